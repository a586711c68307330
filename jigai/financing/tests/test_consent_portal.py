"""Consent and the bank portal: a bank sees published entries only, and only the consented fields; a
withdrawal takes effect at the next request; every look is in the audit trail and the 查阅记录."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse

from jigai.core.errors import Conflict, InvalidInput, NotFound

from .. import selectors, services
from ..models import Consent
from .factories import propose, published

pytestmark = pytest.mark.django_db


def test_bank_sees_only_published_entries(cast):
    proposed = propose(cast, other=True)
    entry = published(cast)
    assert list(selectors.bank_projects(actor=cast.bank)) == [entry]
    with pytest.raises(Http404):
        selectors.bank_project(actor=cast.bank, pk=proposed.pk)


def test_no_consent_no_fields(cast):
    entry = published(cast)
    bp = selectors.bank_project(actor=cast.bank, pk=entry.pk)
    assert bp.fields == [] and bp.sections == {}


def test_consent_per_institution_and_for_all(cast):
    entry = published(cast)
    services.consent_set(actor=cast.ent_user, institution=cast.bank_inst, fields=["overview", "contacts"])
    mine = selectors.bank_project(actor=cast.bank, pk=entry.pk)
    theirs = selectors.bank_project(actor=cast.other_bank, pk=entry.pk)
    assert mine.fields == ["overview", "contacts"]
    assert dict(mine.sections["contacts"])["联系人"] == "张三"
    assert theirs.fields == []  # consent for one institution only
    services.consent_set(actor=cast.ent_user, institution=None, fields=["investment"])
    assert selectors.bank_project(actor=cast.other_bank, pk=entry.pk).fields == ["investment"]
    assert selectors.bank_project(actor=cast.bank, pk=entry.pk).fields == [
        "overview",
        "investment",
        "contacts",
    ]


def test_withdrawal_takes_effect_at_once_and_history_stays(cast):
    entry = published(cast)
    consent = services.consent_set(
        actor=cast.ent_user, institution=cast.bank_inst, fields=["overview", "investment"]
    )
    client = Client()
    client.force_login(cast.bank)
    url = reverse("financing:bank_detail", args=[entry.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="section-investment"' in page and 'data-testid="section-progress"' not in page
    services.consent_withdraw(actor=cast.ent_user, consent=consent)
    page = client.get(url).content.decode()
    assert 'data-testid="section-investment"' not in page and 'data-testid="no-consent"' in page
    assert Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=False).exists()
    with pytest.raises(Conflict):
        services.consent_withdraw(actor=cast.ent_user, consent=consent)


def test_a_new_consent_replaces_the_live_one(cast):
    first = services.consent_set(actor=cast.ent_user, institution=cast.bank_inst, fields=["overview"])
    second = services.consent_set(actor=cast.ent_user, institution=cast.bank_inst, fields=["awards"])
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.is_active
    assert [c.pk for c in selectors.consent_history(actor=cast.ent_user)] == [second.pk, first.pk]


def test_consent_rules(cast):
    with pytest.raises(InvalidInput):
        services.consent_set(actor=cast.ent_user, institution=None, fields=[])
    with pytest.raises(InvalidInput):
        services.consent_set(actor=cast.ent_user, institution=None, fields=["secrets"])
    for role in ("city", "bank", "province"):
        with pytest.raises(PermissionDenied):
            services.consent_set(actor=getattr(cast, role), institution=None, fields=["overview"])
    theirs = services.consent_set(actor=cast.other_ent_user, institution=None, fields=["overview"])
    with pytest.raises(NotFound):
        services.consent_withdraw(actor=cast.ent_user, consent=theirs)


def test_every_look_and_export_is_recorded_and_the_enterprise_sees_who(cast):
    entry = published(cast)
    client = Client()
    client.force_login(cast.bank)
    assert client.get(reverse("financing:bank_list")).status_code == 200
    assert client.get(reverse("financing:bank_detail", args=[entry.pk])).status_code == 200
    assert client.get(reverse("financing:bank_export")).status_code == 200
    log = selectors.access_rows(selectors.access_log(actor=cast.ent_user))
    assert [r["action"] for r in log] == ["导出", "查看", "查看"]
    assert {r["institution"] for r in log} == {"测试银行"}
    assert not selectors.access_log(actor=cast.other_ent_user).exists()
    ent = Client()
    ent.force_login(cast.ent_user)
    page = ent.get(reverse("financing:access_log")).content.decode()
    assert page.count('data-testid="access-row"') == 3


def test_bank_api_shows_only_consented_fields(cast):
    entry = published(cast)
    services.consent_set(actor=cast.ent_user, institution=cast.bank_inst, fields=["progress", "awards"])
    client = Client()
    client.force_login(cast.bank)
    body = client.get(f"/api/v1/financing/portal/{entry.pk}").json()
    assert body["fields"] == ["progress", "awards"]
    assert [s["code"] for s in body["sections"]] == ["progress", "awards"]
    assert "张三" not in str(body)  # contacts not consented

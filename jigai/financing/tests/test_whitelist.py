"""The whitelist workflow: the city proposes from its library, the province approves/returns and
publishes a dated batch, a project leaves with a reason; each move is an event row and an audit record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from jigai.audit.models import AuditEvent
from jigai.core.errors import Conflict, InvalidInput, NotFound
from jigai.registry.models import LibraryStatus

from .. import selectors, services
from ..models import EntryStatus, WhitelistEntry
from .factories import propose, published

pytestmark = pytest.mark.django_db


def _audited(obj, action):
    return AuditEvent.objects.filter(
        target_type=obj._meta.label_lower, target_id=str(obj.pk), action=action
    ).exists()


def test_city_proposes_a_project_of_its_library(cast):
    entry = propose(cast, amount=Decimal("12000000"), term_months=36, kind="guarantee")
    assert entry.status == EntryStatus.PROPOSED
    assert entry.city_id == "410100"
    assert entry.events.get().to_status == EntryStatus.PROPOSED
    assert _audited(entry, "recommend")


def test_city_cannot_propose_another_citys_project(cast):
    with pytest.raises(InvalidInput) as e:
        services.whitelist_propose(
            actor=cast.city, project=cast.other_project, amount=Decimal(1), term_months=1, kind="loan"
        )
    assert "project" in e.value.errors


def test_only_in_library_projects_once(cast):
    cast.project.library_status = LibraryStatus.SUBMITTED
    cast.project.save()
    with pytest.raises(InvalidInput, match="已入库"):
        propose(cast)
    cast.project.library_status = LibraryStatus.IN_LIBRARY
    cast.project.save()
    propose(cast)
    with pytest.raises(InvalidInput, match="已在白名单"):
        propose(cast)


@pytest.mark.parametrize("field,value", [("amount", Decimal(0)), ("term_months", 0), ("kind", "gift")])
def test_need_is_checked(cast, field, value):
    with pytest.raises(InvalidInput) as e:
        propose(cast, **{field: value})
    assert field in e.value.errors


@pytest.mark.parametrize("role", ["province", "county", "ent_user", "bank", "leader"])
def test_only_the_city_proposes(cast, role):
    with pytest.raises(PermissionDenied):
        services.whitelist_propose(
            actor=getattr(cast, role), project=cast.project, amount=Decimal(1), term_months=1, kind="loan"
        )


def test_province_returns_with_reason_city_corrects_and_resubmits(cast):
    entry = propose(cast)
    with pytest.raises(InvalidInput):
        services.whitelist_move(actor=cast.province, entry=entry, action="return")
    services.whitelist_move(actor=cast.province, entry=entry, action="return", comment="金额偏高")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED and entry.comment == "金额偏高"
    services.whitelist_update(
        actor=cast.city, entry=entry, amount=Decimal("3000000"), term_months=12, kind="loan"
    )
    services.whitelist_move(actor=cast.city, entry=entry, action="resubmit")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PROPOSED and entry.amount == Decimal("3000000")
    assert [e.to_status for e in entry.events.all()] == ["proposed", "returned", "proposed"]


def test_city_cannot_approve_its_own_proposal(cast):
    entry = propose(cast)
    with pytest.raises(Conflict):
        services.whitelist_move(actor=cast.city, entry=entry, action="approve")


def test_publish_makes_a_dated_batch_of_the_approved(cast):
    a = propose(cast)
    b = propose(cast, other=True)
    services.whitelist_move(actor=cast.province, entry=a, action="approve")
    batch = services.whitelist_publish(actor=cast.province, published_on=dt.date(2026, 3, 1))
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.batch_id) == (EntryStatus.PUBLISHED, batch.pk)
    assert b.status == EntryStatus.PROPOSED and b.batch_id is None  # not approved: not published
    assert (batch.year, batch.number, batch.published_on) == (2026, 1, dt.date(2026, 3, 1))
    assert _audited(batch, "publish") and _audited(a, "publish")
    services.whitelist_move(actor=cast.province, entry=b, action="approve")
    assert services.whitelist_publish(actor=cast.province, published_on=dt.date(2026, 4, 1)).number == 2
    with pytest.raises(Conflict):
        services.whitelist_publish(actor=cast.province, published_on=dt.date(2026, 4, 2))


def test_publish_is_the_provinces(cast):
    entry = propose(cast)
    services.whitelist_move(actor=cast.province, entry=entry, action="approve")
    with pytest.raises(PermissionDenied):
        services.whitelist_publish(actor=cast.city, published_on=dt.date(2026, 3, 1))
    with pytest.raises(Conflict):
        services.whitelist_move(actor=cast.province, entry=entry, action="publish")


def test_a_project_leaves_the_list_with_a_reason(cast):
    entry = published(cast)
    with pytest.raises(InvalidInput):
        services.whitelist_move(actor=cast.city, entry=entry, action="remove")
    services.whitelist_move(actor=cast.city, entry=entry, action="remove", comment="企业已完成融资")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED and entry.comment == "企业已完成融资"
    assert not selectors.bank_projects(actor=cast.bank).exists()
    propose(cast)  # a removed project may be proposed again


def test_other_city_cannot_touch_the_entry(cast):
    entry = propose(cast)
    services.whitelist_move(actor=cast.province, entry=entry, action="return", comment="x")
    with pytest.raises(NotFound):
        services.whitelist_move(actor=cast.other_city, entry=entry, action="resubmit")


def test_scope_of_the_list_per_role_and_region(cast):
    mine, theirs = propose(cast), propose(cast, other=True)
    seen = {
        role: set(selectors.whitelist_list(actor=getattr(cast, role)).values_list("pk", flat=True))
        for role in ("province", "leader", "city", "county", "other_city", "other_county", "ent_user", "bank")
    }
    assert seen["province"] == seen["leader"] == {mine.pk, theirs.pk}
    assert seen["city"] == seen["county"] == {mine.pk}
    assert seen["other_city"] == seen["other_county"] == {theirs.pk}
    assert seen["ent_user"] == {mine.pk}
    assert seen["bank"] == set()  # nothing published yet
    assert WhitelistEntry.objects.restrict(cast.leader, "change").count() == 0  # leaders only read

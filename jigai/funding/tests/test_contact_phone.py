"""The application's contact phone is checked (jigai.core.phone) when a draft is created or changed, on the
page and in the API; a wrong number is said on its field and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jigai.core.errors import DomainError
from jigai.core.phone import INVALID_MESSAGE
from jigai.funding import services
from jigai.funding.models import Application
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


def test_create_draft_refuses_a_wrong_phone(guideline, ent_user):
    with pytest.raises(DomainError) as caught:
        f.draft(ent_user, guideline, contact_phone="第一")
    assert caught.value.message == INVALID_MESSAGE and caught.value.field == "contact_phone"
    assert not Application.objects.exists()


def test_create_draft_normalizes_or_falls_back_to_the_enterprise(guideline, ent_user):
    assert f.draft(ent_user, guideline, contact_phone="(0371)65123456").contact_phone == "0371-65123456"
    assert f.draft(ent_user, guideline, contact_phone=" ").contact_phone == "13812345678"


def test_update_draft_refuses_a_wrong_phone_and_changes_nothing(guideline, ent_user):
    app = f.draft(ent_user, guideline, contact_phone="13912345678")
    with pytest.raises(DomainError) as caught:
        services.application_update_draft(
            actor=ent_user, application=app, data={"contact_phone": "139123", "summary": "改了"}
        )
    assert caught.value.field == "contact_phone"
    app.refresh_from_db()
    assert app.contact_phone == "13912345678" and app.summary == ""
    services.application_update_draft(actor=ent_user, application=app, data={"contact_phone": "4001234567"})
    app.refresh_from_db()
    assert app.contact_phone == "400-123-4567"


def test_the_pages_say_it_beside_the_field(client, guideline, ent_user):
    project = f.project(ent_user.enterprise)
    client.force_login(ent_user)
    params = {
        "guideline": guideline.pk,
        "item": "3.1.1",
        "target": f"project:{project.pk}",
        "contact_phone": "abc",
    }
    r = client.post(reverse("funding:apply"), params)
    assert r.status_code == 200 and INVALID_MESSAGE in r.content.decode()
    assert not Application.objects.exists()
    app = f.draft(ent_user, guideline, target=project)
    r = client.post(reverse("funding:application_edit", args=[app.pk]), {"contact_phone": "12"})
    assert r.status_code == 200 and INVALID_MESSAGE in r.content.decode()
    app.refresh_from_db()
    assert app.contact_phone == "13812345678"


def test_the_api_names_the_field(client, guideline, ent_user):
    project = f.project(ent_user.enterprise)
    client.force_login(ent_user)
    body = {
        "guideline": guideline.pk,
        "item": "3.1.1",
        "target_kind": "project",
        "target_id": project.pk,
        "contact_phone": "12345",
    }
    r = client.post("/api/v1/funding/applications", body, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "contact_phone", "message": INVALID_MESSAGE}]
    assert not Application.objects.exists()

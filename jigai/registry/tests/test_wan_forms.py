"""Investments are typed in 万元 on the registry forms and kept as exact yuan (issue 9)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from jigai.accounts.tests.factories import make_user
from jigai.core.forms import WAN_MESSAGE
from jigai.registry.models import LibraryStatus, ProgressReport, Project

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db

PROJECT = {
    "name": "万元技改项目",
    "category": "intelligent",
    "total_investment": "3,000",
    "equipment_investment": "1800.5",
    "software_investment": "400.0001",
    "machine_purchase_investment": "0",
    "planned_start": "2024-03-01",
    "planned_end": "2025-12-31",
}


def test_project_investments_are_typed_in_wan_and_stored_in_yuan(client):
    user = make_user("enterprise")
    client.force_login(user)
    page = client.get(reverse("registry:project_create")).content.decode()
    assert "总投资（万元）" in page and "data-wan-yuan" in page and "jigai/wan.js" in page
    r = client.post(reverse("registry:project_create"), {**PROJECT, "total_investment": "3000.1234567"})
    assert r.status_code == 400 and WAN_MESSAGE in r.content.decode()
    assert not Project.objects.exists()
    r = client.post(reverse("registry:project_create"), PROJECT)
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Project.objects.get()
    assert (p.total_investment, p.equipment_investment, p.software_investment) == (
        Decimal("30000000"),
        Decimal("18005000"),
        Decimal("4000001"),
    )
    edit = client.get(reverse("registry:project_edit", args=[p.pk])).content.decode()
    assert re.search(r'name="total_investment" value="3000"', edit)
    assert 'value="1800.5"' in edit and "= 18,005,000 元" in edit


def test_progress_is_typed_in_wan(client):
    user = make_user("enterprise")
    p = ProjectFactory(
        enterprise=user.enterprise,
        library_status=LibraryStatus.IN_LIBRARY,
        total_investment=Decimal("30000000"),
    )
    client.force_login(user)
    url = reverse("registry:progress_create", args=[p.pk])
    r = client.post(url, {"month": "2022-01", "investment_completed": "-1"})
    assert r.status_code == 400 and WAN_MESSAGE in r.content.decode()
    r = client.post(url, {"month": "2022-01", "investment_completed": "250"})
    assert r.status_code == 302
    assert ProgressReport.objects.get(project=p).investment_completed == Decimal("2500000")
    page = client.get(reverse("registry:project_detail", args=[p.pk])).content.decode()
    assert "250 万元" in page

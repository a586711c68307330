"""Menus are built from permissions: each role sees the links its permissions open, nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jigai.accounts.menu import menu_for
from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

PUBLIC = ["公开指南", "公示公告"]


@pytest.mark.parametrize(
    ("role", "funding", "registry"),
    [
        (Role.ENTERPRISE, ["申报工作台", "我要申报"], ["企业门户", "项目", "产品", "平台", "称号"]),
        (Role.COUNTY, ["申报工作台"], ["项目库工作台", "企业库", "项目库"]),
        (
            Role.PROVINCE,
            ["申报工作台", "申报指南", "资金分配", "公示管理"],
            ["项目库工作台", "企业库", "项目库"],
        ),
        (Role.EXPERT, ["申报工作台", "评审任务"], []),
        (Role.FINANCE, ["申报工作台", "资金拨付"], ["项目库工作台", "企业库", "项目库"]),
        (Role.BANK, [], []),
        (Role.ADMIN, [], ["项目库工作台", "企业库", "项目库"]),
    ],
)
def test_each_role_sees_what_its_permissions_open(role, funding, registry):
    user = make_user(role)
    assert [i["label"] for i in menu_for(user, "funding")] == [*funding, *PUBLIC]
    assert [i["label"] for i in menu_for(user, "registry")] == registry


def test_anonymous_sees_the_public_links_only():
    assert [i["label"] for i in menu_for(AnonymousUser(), "funding")] == PUBLIC
    assert menu_for(None, "registry") == []


def test_the_pages_render_the_menu(client):
    from django.urls import reverse

    client.force_login(make_user(Role.EXPERT))
    page = client.get(reverse("funding:queue")).content.decode()
    assert reverse("funding:expert_list") in page and reverse("funding:decision_index") not in page

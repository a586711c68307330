"""Menus are built from permissions: each role sees the links its permissions open, nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jigai.accounts.menu import SIDE_GROUPS, breadcrumbs, menu_for, side_menu_for
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
        (Role.ADMIN, [], []),  # 三权分立: no administrator does the business
        (Role.SECADMIN, [], []),
        (Role.AUDITADMIN, [], []),
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


# ------------------------------------------------------------------ the side menu of every page


def _groups(menu):
    return {g["label"]: [i["label"] for i in g["items"]] for g in menu.groups}


@pytest.mark.parametrize(
    ("role", "groups"),
    [
        (Role.ENTERPRISE, ["项目库", "专项资金", "系统管理"]),
        (Role.COUNTY, ["项目库", "专项资金", "系统管理"]),
        (Role.PROVINCE, ["项目库", "专项资金", "系统管理"]),
        (Role.EXPERT, ["专项资金", "系统管理"]),
        (Role.BANK, ["专项资金", "系统管理"]),
        (Role.ADMIN, ["专项资金", "系统管理"]),
    ],
)
def test_side_menu_shows_only_groups_with_items_in_the_fixed_order(role, groups):
    menu = side_menu_for(make_user(role), "/")
    labels = [g["label"] for g in menu.groups]
    # Other areas add public items to their groups; the groups this role's permissions open are there, and
    # every group keeps the fixed order.
    assert set(groups) <= set(labels)
    assert labels == [g for g in SIDE_GROUPS if g in labels]
    if role in (Role.EXPERT, Role.BANK, Role.ADMIN):
        assert "项目库" not in labels
    assert menu.workbench["label"] == "工作台"


def test_side_menu_items_follow_permissions():
    province = _groups(side_menu_for(make_user(Role.PROVINCE), "/"))
    assert {"申报指南", "资金分配", "公示管理", "资质核验"} <= {*province["专项资金"], *province["项目库"]}
    assert "用户管理" not in province["系统管理"]
    admin = _groups(side_menu_for(make_user(Role.ADMIN), "/"))
    assert admin["系统管理"][0] == "用户管理"
    assert "登录日志" not in admin["系统管理"] and "账号安全" not in admin["系统管理"]
    assert "申报指南" not in admin["专项资金"] and "项目库" not in admin
    security = _groups(side_menu_for(make_user(Role.SECADMIN), "/"))
    assert security["系统管理"][:2] == ["安全策略", "账号安全"] and "用户管理" not in security["系统管理"]
    audit = _groups(side_menu_for(make_user(Role.AUDITADMIN), "/"))
    assert audit["系统管理"][0] == "登录日志" and "用户管理" not in audit["系统管理"]
    enterprise = _groups(side_menu_for(make_user(Role.ENTERPRISE), "/"))
    assert enterprise["项目库"][:2] == ["企业门户", "我的项目"]
    assert "项目库概览" not in enterprise["项目库"]  # the same url is listed once


def test_side_menu_marks_the_longest_matching_item_current():
    menu = side_menu_for(make_user(Role.PROVINCE), "/funding/guidelines/3/edit/")
    assert menu.current["label"] == "申报指南" and menu.current_group == "专项资金"
    current = [i["label"] for g in menu.groups for i in g["items"] if i["current"]]
    assert current == ["申报指南"]
    assert (
        side_menu_for(make_user(Role.PROVINCE), "/funding/applications/1/").current["label"] == "申报工作台"
    )
    dashboard = side_menu_for(make_user(Role.PROVINCE), "/dashboard/")
    assert dashboard.current is dashboard.workbench and dashboard.workbench["current"]


def test_side_menu_of_the_anonymous_is_the_public_links():
    menu = side_menu_for(AnonymousUser(), "/notices/")
    assert menu.workbench is None
    assert _groups(menu)["专项资金"] == ["公开指南", "公示公告", "政策计算器", "政策原文"]
    assert "系统管理" not in _groups(menu)
    assert menu.current["label"] == "公示公告"


def test_breadcrumbs_name_the_group_the_item_and_the_page():
    path = "/funding/guidelines/3/"
    menu = side_menu_for(make_user(Role.PROVINCE), path)
    crumbs = breadcrumbs(menu, "2026年度申报指南", path)
    assert [c["label"] for c in crumbs] == ["工作台", "专项资金", "申报指南", "2026年度申报指南"]
    assert crumbs[2]["url"] == "/funding/guidelines/" and crumbs[-1]["url"] == ""
    # On the item's own page the item is the last crumb; the title is not repeated.
    menu = side_menu_for(make_user(Role.PROVINCE), "/funding/guidelines/")
    crumbs = breadcrumbs(menu, "申报指南管理", "/funding/guidelines/")
    assert [c["label"] for c in crumbs] == ["工作台", "专项资金", "申报指南"]
    # A page outside the menu: the workbench, then the title.
    menu = side_menu_for(make_user(Role.PROVINCE), "/nowhere/")
    assert [c["label"] for c in breadcrumbs(menu, "某页", "/nowhere/")] == ["工作台", "某页"]

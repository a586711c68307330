"""The shell of every page (base.html): header with the unit and role, side menu, breadcrumbs, footer,
favicon; and the Chinese 403, 404 and 500 pages inside it."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import ensure_region, make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_header_names_the_unit_and_role_and_the_side_menu_marks_the_page(client):
    client.force_login(make_user(Role.COUNTY, "410102"))
    html = client.get(reverse("registry:project_list")).content.decode()
    assert '<span class="site-unit">中原区</span>' in html
    assert '<span class="site-role">县级工信部门</span>' in html
    assert '<a href="/registry/projects/" aria-current="page">项目库</a>' in html
    assert "<summary>项目库</summary>" in html and "<summary>专项资金</summary>" in html
    client.force_login(make_user(Role.EXPERT))  # an expert has nothing in 融资与用地: the group does not show
    expert_html = client.get(reverse("dashboard")).content.decode()
    assert "<summary>融资与用地</summary>" not in expert_html
    assert 'aria-label="breadcrumb"' in html and ">工作台</a>" in html
    assert "豫政办〔2022〕8号" in html
    assert 'rel="icon" href="/static/jigai/favicon.svg"' in html
    assert "退出" in html


def test_the_enterprise_user_sees_the_enterprise_as_unit(client):
    enterprise = make_enterprise("410102")
    client.force_login(make_user(Role.ENTERPRISE, enterprise=enterprise))
    html = client.get(reverse("dashboard")).content.decode()
    assert f'<span class="site-unit">{enterprise.name}</span>' in html
    assert '<a href="/dashboard/" aria-current="page">工作台</a>' in html


def test_the_unit_follows_a_changed_region_without_signing_in_again(client):
    user = make_user(Role.COUNTY, "410102")
    client.force_login(user)
    user.region = ensure_region("410103")
    user.save()
    html = client.get(reverse("dashboard")).content.decode()
    assert f'<span class="site-unit">{user.region.name}</span>' in html


def test_breadcrumbs_carry_the_group_and_the_page_title(client):
    client.force_login(make_user(Role.PROVINCE))
    html = client.get(reverse("funding:guideline_create")).content.decode()
    trail = html.split('aria-label="breadcrumb"')[1].split("</nav>")[0]
    assert all(label in trail for label in ("工作台", "专项资金", "申报指南"))
    assert 'aria-current="page"' in trail


def test_the_favicon_ships_with_the_app():
    assert finders.find("jigai/favicon.svg")


def test_a_missing_url_answers_the_chinese_404_page_inside_the_shell(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "回到首页" in html and 'class="side-menu"' in html
    assert "Not Found" not in html
    client.force_login(make_user(Role.PROVINCE))
    html = client.get("/no/such/page/", HTTP_REFERER="http://testserver/dashboard/").content.decode()
    assert "回到工作台" in html and 'href="http://testserver/dashboard/"' in html


def test_a_missing_object_does_not_show_djangos_english_text(client):
    client.force_login(make_user(Role.PROVINCE))
    response = client.get(reverse("funding:guideline_detail", args=[999999]))
    assert response.status_code == 404
    assert "matches the given query" not in response.content.decode()


def test_a_forbidden_page_answers_the_chinese_403_page_with_the_reason(client):
    client.force_login(make_user(Role.EXPERT))
    response = client.get(reverse("registry:project_queue"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问此页面" in html and "只有县级、市级工信部门审核项目。" in html and "回到工作台" in html


def test_a_foreign_referer_is_not_offered_as_the_way_back(client):
    client.force_login(make_user(Role.EXPERT))
    html = client.get(reverse("registry:project_queue"), HTTP_REFERER="https://evil.example/x").content
    assert b"evil.example" not in html


def test_the_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统暂时出现错误" in html and "豫政办〔2022〕8号" in html and "回到首页" in html


def test_a_csrf_failure_answers_in_chinese():
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_a_page_under_a_menu_item_has_one_trail_through_it(client):
    client.force_login(make_user(Role.PROVINCE))
    html = client.get(reverse("jobs:calculator_batch")).content.decode()
    assert html.count('aria-label="breadcrumb"') == 1
    trail = html.split('aria-label="breadcrumb"')[1].split("</nav>")[0]
    assert all(label in trail for label in ("工作台", "系统管理", "后台任务与导出", "政策计算器批量计算"))

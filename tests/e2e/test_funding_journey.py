"""The funding round in a real Chromium: the province publishes a guideline, an enterprise applies, county,
city and province approve, two experts score, the province allocates, the notice runs and an objection is
dismissed, finance pays the first stage (entered by one user, confirmed by another)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from jigai.accounts.tests.factories import PASSWORD, make_user
from jigai.funding.models import Application, AppStatus, Payment, PublicNotice
from jigai.funding.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "数控机床智能化改造项目"


def _as(browser: Browser, base: str, user, errors: list[str], *, via_form: bool = False) -> Page:
    """A browser context signed in as `user`: through the sign-in form once, then with a session cookie
    (the sign-in page is not what this journey tests, and eleven sign-ins would double its time)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # irreversible steps ask first (data-confirm)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    if via_form:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("button", name="退出")).to_be_visible()
        return page
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return page


def _approve(browser: Browser, base: str, user, app: Application, button: str, errors: list[str]) -> None:
    page = _as(browser, base, user, errors)
    page.goto(f"{base}/funding/applications/{app.pk}/")
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("已办理")
    page.context.close()


def test_guideline_to_first_payment(page: Page, browser: Browser, live_server):
    base = live_server.url
    errors: list[str] = []
    province = make_user("province", username="sheng_gxt", full_name="省厅处员")
    county = make_user("county", "410102", username="zhongyuan", full_name="中原区审核员")
    city = make_user("city", "410100", username="zhengzhou", full_name="郑州市审核员")
    experts = [make_user("expert", username=f"expert{i}", full_name=f"评审专家{i}") for i in (1, 2)]
    maker = make_user("finance", username="caizheng_a", full_name="财政录入员")
    checker = make_user("finance", username="caizheng_b", full_name="财政复核员")
    ent_user = f.enterprise_user("410102", username="qiye", full_name="企业填报员")
    f.project(ent_user.enterprise, name=PROJECT)
    now = timezone.localtime()

    # 1. The province creates and publishes the guideline.
    p = _as(browser, base, province, errors, via_form=True)
    p.goto(f"{base}/funding/guidelines/new/")
    p.get_by_label("技术改造示范项目（三（一）1）").check()
    p.get_by_label("申报开始时间").fill((now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    p.get_by_label("申报截止时间").fill((now + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"))
    p.get_by_label("预算：技术改造项目（三（一））（万元）").fill("5,000")
    p.get_by_role("button", name="保存").click()
    expect(p.locator(".flash-success")).to_contain_text("指南已保存为草稿")
    p.get_by_role("button", name="发布指南").click()
    expect(p.locator(".flash-success")).to_contain_text("指南已发布")
    p.context.close()

    # 2. The enterprise sees the computed ceiling, saves a draft and submits.
    e = _as(browser, base, ent_user, errors)
    e.goto(f"{base}/funding/apply/")
    e.get_by_label("申报事项").select_option("3.1.1")
    e.get_by_label("申报对象").select_option(label=f"技术改造项目：{PROJECT}")
    e.get_by_role("button", name="测算补助上限").click()
    expect(e.locator("[data-testid=ceiling]")).to_have_text("360 万元（3,600,000 元）")
    e.get_by_role("button", name="保存草稿").click()
    expect(e.locator(".flash-success")).to_contain_text("申报草稿已保存")
    e.locator("[data-testid=submit]").click()
    expect(e.locator("[data-testid=status]")).to_have_text("待县级初审")
    app = Application.objects.get(enterprise=ent_user.enterprise)
    assert re.fullmatch(r"JG\d{4}-410100-\d{5}", app.tracking_no)
    e.context.close()

    # 3. County, city and province approve.
    _approve(browser, base, county, app, "通过", errors)
    _approve(browser, base, city, app, "推荐", errors)
    _approve(browser, base, province, app, "通过", errors)
    p = _as(browser, base, province, errors)
    p.goto(f"{base}/funding/applications/{app.pk}/")
    # The audit trail is read when opened (htmx under the strict CSP): the approvals are in it, by name.
    trail = p.locator("[data-testid=history]")
    expect(trail.locator("table.audit-history")).to_have_count(0)
    trail.locator("summary").click()
    expect(trail.locator("table.audit-history tbody tr")).to_have_count(5)  # created, submitted, 3 moves
    expect(trail.locator("table.audit-history")).to_contain_text("中原区审核员")
    expect(trail.locator("table.audit-history")).to_contain_text("待市级推荐")
    for expert in experts:
        p.get_by_label(expert.full_name).check()
    p.get_by_role("button", name="分配").click()
    expect(p.locator(".flash-success")).to_contain_text("已分配 2 位专家")
    p.context.close()

    # 4. Two experts declare no conflict, then score.
    for expert, total in zip(experts, (84, 90), strict=True):
        x = _as(browser, base, expert, errors)
        x.goto(f"{base}/funding/reviews/")
        x.get_by_role("link", name=app.tracking_no).click()
        expect(x.get_by_text(ent_user.enterprise.name)).to_have_count(0)
        x.get_by_label("本人与申报企业无利益冲突").check()
        x.get_by_role("button", name="提交声明").click()
        expect(x.get_by_text(ent_user.enterprise.name)).to_be_visible()
        for key, label, top in (
            ("technology", "技术先进性", 30),
            ("economic", "经济效益", 25),
            ("investment", "投资真实性", 25),
            ("demonstration", "示范带动", 20),
        ):
            x.get_by_label(f"{label}（满分 {top}）").fill(f.rubric_scores(total)[key])
        x.get_by_label("评审意见").fill("技术路线清晰，投资真实，建议支持。")
        x.get_by_role("button", name="提交评分").click()
        expect(x.locator(".flash-success")).to_contain_text("评分已提交")
        x.context.close()

    # 5. The province closes the review and allocates by score.
    p = _as(browser, base, province, errors)
    p.goto(f"{base}/funding/applications/{app.pk}/")
    expect(p.locator("[data-testid=stats]")).to_contain_text("平均分 87.00")
    p.get_by_role("button", name="结束专家评审").click()
    expect(p.locator("[data-testid=status]")).to_have_text("待省级决策")
    p.goto(f"{base}/funding/decision/{app.guideline_id}/")
    p.get_by_label("资金类别").select_option("3.1")
    p.get_by_label("按评分排序择优安排").check()
    p.get_by_role("button", name="拟定方案").click()
    expect(p.locator("[data-testid=proposal-total]")).to_have_text("360 万元（3,600,000 元）")
    p.get_by_role("button", name="按此方案决策").click()
    expect(p.locator(".flash-success")).to_contain_text("已决策")

    # 6. Notice, an objection dismissed, the period ends, the award becomes final.
    p.goto(f"{base}/funding/notices/")
    p.get_by_role("button", name="发布公示").click()
    expect(p.locator(".flash-success")).to_contain_text("公示已发布")
    notice = PublicNotice.objects.get()
    p.get_by_text("登记异议").click()
    p.get_by_label("收到日期").fill(notice.starts_on.isoformat())
    p.get_by_label("异议内容").fill("该项目设备投资存在虚报。")
    p.get_by_role("button", name="登记").click()
    expect(p.locator(".flash-success")).to_contain_text("异议已登记")
    p.get_by_role("link", name="待处理").click()
    p.get_by_label("异议不成立").check()
    p.get_by_label("处理意见").fill("经核查发票与合同，投资属实，异议不成立。")
    p.get_by_role("button", name="提交处理结论").click()
    expect(p.locator(".flash-success")).to_contain_text("异议已处理")
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1)
    )
    p.reload()
    p.get_by_role("button", name="公示期满，确定立项").click()
    expect(p.locator(".flash-success")).to_contain_text("已确定立项")
    p.context.close()
    app.refresh_from_db()
    assert app.status == AppStatus.AWARDED and app.granted_amount == Decimal("3600000")

    # The public list, without signing in, masks the credit code.
    page.goto(f"{base}/notices/{notice.pk}/")
    expect(page.get_by_text(ent_user.enterprise.name)).to_be_visible()
    expect(page.get_by_text(ent_user.enterprise.uscc)).to_have_count(0)
    expect(
        page.get_by_text(ent_user.enterprise.uscc[:4] + "*" * 12 + ent_user.enterprise.uscc[-2:])
    ).to_be_visible()

    # 7. Finance pays the first stage: one enters, another confirms.
    m = _as(browser, base, maker, errors)
    m.goto(f"{base}/funding/payments/")
    m.get_by_role("link", name="录入拨付").first.click()
    m.get_by_label("凭证号").fill("豫财企〔2026〕88号")
    m.get_by_label("开户银行").fill("中国工商银行郑州中原支行")  # the payee's account (issue 9)
    m.get_by_label("银行账号").fill("6222 0212 3456 7890")
    m.get_by_role("button", name="录入").click()
    expect(m.locator(".flash-success")).to_contain_text("等待另一位财政人员复核")
    # the maker's own entry: 复核确认 disabled, the reason beside it (issue 9: four eyes)
    expect(m.get_by_role("button", name="复核确认")).to_be_disabled()
    expect(m.get_by_text("录入与复核须由不同人员办理：您不能复核自己录入的拨付。")).to_be_visible()
    m.context.close()
    c = _as(browser, base, checker, errors)
    c.goto(f"{base}/funding/payments/")
    c.get_by_role("button", name="复核确认").click()
    expect(c.locator(".flash-success")).to_contain_text("拨付已复核确认")
    c.context.close()
    paid = Payment.objects.get(stage__application=app)
    assert (paid.status, paid.amount, paid.entered_by, paid.confirmed_by) == (
        "confirmed",
        Decimal("3600000"),
        maker,
        checker,
    )
    assert errors == []

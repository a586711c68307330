"""Financing support (四（二）) in a real Chromium: a city proposes a project of its library for the
whitelist, the province approves it and publishes the batch, the enterprise consents to two fields for the
bank, the bank user sees exactly those two fields and records a loan, the city confirms it, and the
disbursed figure moves on the 融资统计 page and on the province's monitoring dashboard
(融资与用地（四（二））)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from jigai.accounts.tests.factories import make_user
from jigai.financing.models import FinancialInstitution, InstitutionMember, WhitelistEntry
from jigai.funding.tests import factories as f
from jigai.registry.models import LibraryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "高端装备智能化改造项目"


def _as(browser: Browser, base: str, user, errors: list[str]) -> Page:
    """A browser context signed in as `user` by a session cookie (the sign-in form is tested elsewhere)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared machine is slow at times
    page.on("dialog", lambda dialog: dialog.accept())
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return page


def _total_disbursed(page: Page) -> str:
    return page.get_by_test_id("total-disbursed").inner_text().strip()


def _dashboard_disbursed(page: Page, base: str) -> tuple[str, str]:
    """The province's monitoring dashboard: the disbursed figure of the 融资与用地 section (headline, and the
    total of the by-city table)."""
    page.goto(f"{base}/monitoring/dash/")
    expect(page.get_by_test_id("dash-finance")).to_contain_text("融资与用地（四（二））")
    return (
        page.get_by_test_id("kpi-disbursed").inner_text().strip(),
        page.get_by_test_id("financing_region-total-disbursed").inner_text().strip(),
    )


def test_whitelist_to_confirmed_loan(browser: Browser, live_server):
    base = live_server.url
    expect.set_options(timeout=30_000)  # the shared machine is slow at times
    errors: list[str] = []
    province = make_user("province", full_name="省厅处员")
    city = make_user("city", "410100", full_name="市局科员")
    ent_user = f.enterprise_user("410102", full_name="企业填报员")
    ent = ent_user.enterprise
    f.project(ent, name=PROJECT, library_status=LibraryStatus.IN_LIBRARY)
    bank_inst = FinancialInstitution.objects.create(name="中原银行郑州分行", kind="bank")
    bank = make_user("bank", full_name="客户经理")
    InstitutionMember.objects.create(institution=bank_inst, user=bank)

    # The province's figures before: nothing disbursed.
    prov = _as(browser, base, province, errors)
    prov.goto(f"{base}/financing/stats/")
    before = _total_disbursed(prov)
    assert _dashboard_disbursed(prov, base) == ("0 万元（0 元）", "0 万元")

    # 1. The city proposes the project with the financing it needs (万元).
    pc = _as(browser, base, city, errors)
    pc.goto(f"{base}/financing/whitelist/propose/")
    pc.get_by_label("项目").select_option(label=f"{ent.name} · {PROJECT}")
    pc.get_by_label("融资需求").fill("800")
    pc.get_by_label("期限（月）").fill("36")
    pc.get_by_label("融资方式").select_option(label="贷款")
    pc.get_by_role("button", name="推荐进入白名单").click()
    expect(pc.locator(".flash-success")).to_contain_text("已推荐")
    entry = WhitelistEntry.objects.get(project__name=PROJECT)
    assert entry.amount == 8_000_000

    # 2. The province approves it and publishes the batch.
    prov.goto(f"{base}/financing/whitelist/review/")
    prov.get_by_test_id(f"approve-{entry.pk}").click()
    expect(prov.locator(".flash-success")).to_contain_text("已办理")
    expect(prov.get_by_test_id("publish")).to_be_visible()
    prov.get_by_test_id("publish").click()
    expect(prov.locator(".flash-success")).to_contain_text("已发布")

    # 3. The enterprise consents to two fields for that bank.
    pe = _as(browser, base, ent_user, errors)
    pe.goto(f"{base}/financing/consent/")
    pe.get_by_label("授权对象").select_option(label="中原银行郑州分行（银行）")
    pe.get_by_label("项目概况").check()
    pe.get_by_label("联系人").check()
    pe.get_by_role("button", name="授权", exact=True).click()
    expect(pe.locator(".flash-success")).to_contain_text("授权已生效")

    # 4. The bank sees the project with exactly those two sections and records a loan.
    pb = _as(browser, base, bank, errors)
    pb.goto(f"{base}/financing/portal/")
    pb.get_by_role("link", name=PROJECT).click()
    sections = pb.locator("section[data-testid^='section-']")
    expect(sections).to_have_count(2)
    expect(pb.get_by_test_id("section-overview")).to_be_visible()
    expect(pb.get_by_test_id("section-contacts")).to_contain_text("张三")
    expect(pb.get_by_test_id("section-investment")).to_have_count(0)
    side = pb.locator(".side-menu").inner_text()
    assert "项目库" not in side and "申报工作台" not in side
    pb.get_by_label("阶段").select_option(label="放款")
    pb.get_by_label("金额").fill("500")
    pb.get_by_label("金融产品").fill("技改贷")
    pb.get_by_label("年利率（%）").fill("3.45")
    pb.get_by_role("button", name="录入").click()
    expect(pb.locator(".flash-success")).to_contain_text("等待项目所在市工信部门确认")

    # Unconfirmed: the figure has not moved yet.
    prov.goto(f"{base}/financing/stats/")
    assert _total_disbursed(prov) == before
    assert _dashboard_disbursed(prov, base) == ("0 万元（0 元）", "0 万元")

    # 5. The city confirms the loan.
    pc.goto(f"{base}/financing/outcomes/?status=entered")
    outcome = entry.outcomes.get()
    pc.get_by_test_id(f"confirm-outcome-{outcome.pk}").click()
    expect(pc.locator(".flash-success")).to_contain_text("已确认")

    # 6. The figure moves on the 融资统计 page (500 万元 disbursed), and the chart is drawn.
    prov.goto(f"{base}/financing/stats/")
    assert _total_disbursed(prov) != before
    assert "500" in _total_disbursed(prov)
    expect(prov.locator("#financing-chart canvas")).to_have_count(1)

    # 7. The province's monitoring dashboard shows it too: 500 万元 disbursed in 郑州, the chart drawn.
    assert _dashboard_disbursed(prov, base) == ("500 万元（5,000,000 元）", "500 万元")
    zhengzhou = prov.locator("#table-financing_region tr[data-key='410100']")
    expect(zhengzhou).to_contain_text("郑州市")
    expect(zhengzhou).to_contain_text("800 万元")  # the financing needed
    expect(zhengzhou).to_contain_text("500 万元")
    expect(prov.locator("[data-source='chart-financing_region'][data-drawn='bars'] canvas")).to_have_count(1)
    expect(prov.locator("#table-financing_institution")).to_contain_text("中原银行郑州分行")

    # The enterprise sees who looked.
    pe.goto(f"{base}/financing/access-log/")
    expect(pe.get_by_test_id("access-row").first).to_contain_text("中原银行郑州分行")
    assert not errors, errors

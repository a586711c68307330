"""The rules that hold across applications, years and funds (policy 三 末段, 三（二）1-2, 三（三）1,
三（四）): one a year with the 头雁 fixed-award exception, prior support (this system, the register of
other provincial funds), once-only awards, the 500万 a year cap over 首台（套） awards, invoice
fingerprints, zero ceilings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jigai.audit.models import AuditEvent
from jigai.core.errors import Conflict, DomainError, NotFound
from jigai.funding import services
from jigai.funding.models import (
    Application,
    AppStatus,
    FingerprintFlag,
    FlagStatus,
    OtherFundAward,
)
from jigai.funding.services import other_funds, programme
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _goose(ent, *, verified: bool = True) -> None:
    today = timezone.localdate()
    f.qualification(
        ent,
        "leading_goose",
        valid_from=today - dt.timedelta(days=30),
        valid_to=today + dt.timedelta(days=300),
        verified=verified,
    )


# ---------------------------------------------------------------------------------------------- 头雁


def test_leading_goose_exception_on_a_declared_fixed_item_for_a_verified_goose(cast, ent_user):
    g = f.guideline(actor=cast.province, leading_goose_items=["3.4.1"])
    _goose(ent_user.enterprise)
    first = f.submitted(ent_user, g)
    second = f.submitted(ent_user, g, item="3.4.1", target=f.title(ent_user.enterprise))
    assert second.status == AppStatus.SUBMITTED and second.is_leading_goose_fixed_award
    assert not first.is_leading_goose_fixed_award
    # The exception is recorded in the audit trail of the submission.
    event = AuditEvent.objects.filter(target_id=str(second.pk), action="submit").get()
    assert event.after["is_leading_goose_fixed_award"] is True


def test_leading_goose_exception_needs_a_verified_qualification(cast, ent_user):
    g = f.guideline(actor=cast.province, leading_goose_items=["3.4.1"])
    _goose(ent_user.enterprise, verified=False)  # a claim nobody vouched for
    f.submitted(ent_user, g)
    second = f.draft(ent_user, g, item="3.4.1", target=f.title(ent_user.enterprise))
    with pytest.raises(DomainError, match="同一企业原则上一个申报年度内只能申请1个") as err:
        services.application_submit(actor=ent_user, application=second)
    assert err.value.code == "one_per_year"


def test_leading_goose_exception_only_on_items_the_guideline_declares(cast, ent_user):
    g = f.guideline(actor=cast.province)  # no 头雁 items declared
    _goose(ent_user.enterprise)
    f.submitted(ent_user, g)
    second = f.draft(ent_user, g, item="3.4.1", target=f.title(ent_user.enterprise))
    with pytest.raises(DomainError, match="只能申请1个"):
        services.application_submit(actor=ent_user, application=second)


@pytest.mark.parametrize("item", ["3.1.1", "3.2.1-insurance", "3.3.1-cultivation"])
def test_only_fixed_amount_items_can_be_declared_leading_goose_awards(cast, item):
    with pytest.raises(DomainError, match="不是定额奖励") as err:
        f.guideline(actor=cast.province, leading_goose_items=[item])
    assert err.value.field == "leading_goose_items"


def test_a_declared_leading_goose_item_must_be_open(cast):
    with pytest.raises(DomainError, match="未在本指南开放") as err:
        f.guideline(actor=cast.province, items=["3.1.1", "3.4.1"], leading_goose_items=["3.4.2"])
    assert err.value.field == "leading_goose_items"


# ---------------------------------------------------------------------------------------------- prior support


def test_a_project_pending_last_year_cannot_be_submitted_again(cast, ent_user):
    last = f.guideline(actor=cast.province, year=THIS_YEAR - 1)
    now = f.guideline(actor=cast.province)
    earlier = f.submitted(ent_user, last)  # still pending: never decided
    again = f.draft(ent_user, now, item="3.1.1", target=earlier.project)
    with pytest.raises(DomainError, match="原则上不再重复支持") as err:
        services.application_submit(actor=ent_user, application=again)
    assert earlier.tracking_no in err.value.message and "正在申报" in err.value.message
    assert err.value.code == "already_supported"


def test_the_same_project_under_another_item_is_refused(cast, ent_user):
    last = f.guideline(actor=cast.province, year=THIS_YEAR - 1)
    now = f.guideline(actor=cast.province)
    today = timezone.localdate()
    f.qualification(
        ent_user.enterprise,
        "national_little_giant",
        valid_from=today - dt.timedelta(days=400),
        valid_to=today + dt.timedelta(days=300),
    )
    earlier = f.submitted(ent_user, last)
    again = f.draft(ent_user, now, item="3.1.3", target=earlier.project)
    with pytest.raises(DomainError, match="原则上不再重复支持"):
        services.application_submit(actor=ent_user, application=again)


def test_the_preview_lists_the_refusals(cast, ent_user):
    last = f.guideline(actor=cast.province, year=THIS_YEAR - 1)
    now = f.guideline(actor=cast.province)
    earlier = f.submitted(ent_user, last)
    preview = services.application_preview(
        actor=ent_user, guideline=now, item="3.1.1", target=earlier.project
    )
    assert any("原则上不再重复支持" in m for m in preview["refusals"])


def _register(**kw):
    data = {
        "fund_name": "省科技创新专项资金",
        "year": THIS_YEAR - 1,
        "uscc": kw.pop("uscc"),
        "enterprise_name": "某企业",
        "project_name": "智能化改造项目",
        "amount": "3000000",
        "document_no": "豫科〔2025〕12号",
    }
    data.update(kw)
    return other_funds.other_fund_award_create(actor=f.make_user("province"), data=data)


def test_an_award_in_the_register_of_other_funds_refuses_the_same_project(cast, guideline, ent_user):
    project = f.project(ent_user.enterprise, name="年产10万台(套)智能装备项目")
    # Typed by the province with full-width brackets and a space: the same project.
    award = _register(uscc=ent_user.enterprise.uscc, project_name="年产 10万台（套）智能装备项目")
    assert award.enterprise == ent_user.enterprise
    app = f.draft(ent_user, guideline, target=project)
    with pytest.raises(DomainError, match="省级财政其他专项资金支持记录") as err:
        services.application_submit(actor=ent_user, application=app)
    assert "省科技创新专项资金" in err.value.message and "豫科〔2025〕12号" in err.value.message
    app.refresh_from_db()
    assert app.status == AppStatus.DRAFT


def test_the_register_matches_on_the_credit_code_too(cast, guideline, ent_user):
    project = f.project(ent_user.enterprise, name="智能化改造项目")
    _register(uscc=f.valid_uscc("410103"), project_name="智能化改造项目")  # another enterprise
    app = f.submitted(ent_user, guideline, target=project)
    assert app.status == AppStatus.SUBMITTED


def test_the_register_matches_a_linked_object_whatever_its_name(cast, guideline, ent_user):
    project = f.project(ent_user.enterprise, name="二期工程")
    award = _register(uscc=ent_user.enterprise.uscc, project_name="完全不同的名称")
    OtherFundAward.objects.filter(pk=award.pk).update(project=project)
    with pytest.raises(DomainError, match="省级财政其他专项资金支持记录"):
        f.submitted(ent_user, guideline, target=project)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uscc", "91410100MA9XXXXXX1", "信用代码"),
        ("amount", "三百万", "安排金额须为金额"),
        ("amount", "-1", "非负"),
        ("year", "去年", "四位年份"),
        ("project_name", "  ", "请填写项目名称"),
    ],
)
def test_register_entries_are_checked_field_by_field(field, value, message):
    data = {"uscc": f.valid_uscc(), field: value}
    with pytest.raises(DomainError, match=message) as err:
        _register(**data)
    assert err.value.field == field
    assert not OtherFundAward.objects.exists()


def test_only_the_province_keeps_the_register(cast, ent_user):
    from jigai.core.errors import AccessDenied

    for actor in (ent_user, cast.county, cast.city, cast.finance[0]):
        with pytest.raises(AccessDenied):
            other_funds.other_fund_award_create(
                actor=actor,
                data={
                    "fund_name": "x",
                    "year": 2024,
                    "uscc": ent_user.enterprise.uscc,
                    "enterprise_name": "x",
                    "project_name": "x",
                    "amount": "1",
                },
            )


def test_deleting_a_register_row_needs_a_reason_and_is_audited(cast):
    award = _register(uscc=f.valid_uscc())
    with pytest.raises(DomainError, match="请填写删除原因"):
        other_funds.other_fund_award_delete(actor=cast.province, award=award, reason=" ")
    other_funds.other_fund_award_delete(actor=cast.province, award=award, reason="录入错误")
    assert not OtherFundAward.objects.exists()
    assert AuditEvent.objects.filter(target_type="funding.otherfundaward", action="delete").exists()


# ---------------------------------------------------------------------------------------------- once only


def test_a_title_award_is_once_ever(cast, ent_user):
    last = f.guideline(actor=cast.province, year=THIS_YEAR - 1)
    now = f.guideline(actor=cast.province)
    t = f.title(ent_user.enterprise)
    earlier = f.submitted(ent_user, last, item="3.4.1", target=t)
    Application.objects.filter(pk=earlier.pk).update(
        status=AppStatus.AWARDED, granted_amount=Decimal("1000000")
    )
    again = f.draft(ent_user, now, item="3.4.1", target=t)
    with pytest.raises(DomainError, match="一次性奖励，同一中心或称号只能获得一次") as err:
        services.application_submit(actor=ent_user, application=again)
    assert err.value.code == "once_only"


def _provincial_centre(ent):
    from jigai.registry.models import Platform

    return Platform.objects.create(
        enterprise=ent,
        kind="innovation_center",
        name="河南省智能装备制造业创新中心",
        level="national",
        promoted_to_national=True,
        equipment_investment=Decimal("8000000"),
        service_revenue=Decimal("10000000"),
    )


ITEMS_331 = ["3.1.1", "3.3.1-provincial", "3.3.1-national-promotion"]


def test_promotion_is_once_and_leaves_the_provincial_support_open(cast, ent_user):
    last = f.guideline(actor=cast.province, year=THIS_YEAR - 1, items=ITEMS_331)
    now = f.guideline(actor=cast.province, items=ITEMS_331)
    later = f.guideline(actor=cast.province, year=THIS_YEAR + 1, items=ITEMS_331)
    centre = _provincial_centre(ent_user.enterprise)
    promotion = f.submitted(ent_user, last, item="3.3.1-national-promotion", target=centre)
    assert promotion.ceiling == Decimal("30000000")
    Application.objects.filter(pk=promotion.pk).update(
        status=AppStatus.AWARDED, granted_amount=Decimal("30000000")
    )
    # 三（三）1 "除继续享受省级制造业创新中心支持政策外": the provincial support is still open.
    support = f.submitted(ent_user, now, item="3.3.1-provincial", target=centre)
    assert support.status == AppStatus.SUBMITTED and support.ceiling > 0
    # The promotion itself is never granted twice.
    again = f.draft(ent_user, later, item="3.3.1-national-promotion", target=centre)
    with pytest.raises(DomainError, match="一次性奖励"):
        services.application_submit(actor=ent_user, application=again)


def test_stacking_is_only_between_promotion_and_centre_support():
    assert programme.stacks("3.3.1-national-promotion", "3.3.1-provincial")
    assert programme.stacks("3.3.1-provincial", "3.3.1-national-promotion")
    assert not programme.stacks("3.3.1-national-promotion", "3.3.1-national-promotion")
    assert not programme.stacks("3.3.1-provincial", "3.3.1-provincial")
    assert not programme.stacks("3.1.1", "3.1.3")


# ---------------------------------------------------------------------------------------------- zero ceiling


def test_a_zero_ceiling_cannot_be_submitted_and_leaves_the_year_free(cast, ent_user):
    g = f.guideline(actor=cast.province)
    centre = f.cultivation_centre(ent_user.enterprise, investment="0")
    app = f.draft(ent_user, g, item="3.3.1-cultivation", target=centre)
    with pytest.raises(DomainError, match="补助上限为 0 元") as err:
        services.application_submit(actor=ent_user, application=app)
    assert err.value.code == "zero_ceiling"
    app.refresh_from_db()
    assert app.status == AppStatus.DRAFT
    assert f.submitted(ent_user, g).status == AppStatus.SUBMITTED  # the year is still free


# ---------------------------------------------------------------------------------------------- 500万 a year


ITEMS_32 = ["3.1.1", "3.2.1-award", "3.4.1"]


def test_the_annual_cap_counts_the_enterprises_other_awards_of_the_year(cast, ent_user):
    """Two awards of one enterprise in one year (a 头雁 flag set before the rule was enforced) — the second
    gets only what is left of 三（二）1's 5,000,000 and the explanation says so."""
    g = f.guideline(actor=cast.province, items=ITEMS_32)
    first = f.submitted(
        ent_user, g, item="3.2.1-award", target=f.award_product(ent_user.enterprise, "80000000")
    )
    assert first.ceiling == Decimal("4000000")
    Application.objects.filter(pk=first.pk).update(is_leading_goose_fixed_award=True)  # legacy data
    second_product = f.award_product(ent_user.enterprise, "90000000")
    preview = services.application_preview(
        actor=ent_user, guideline=g, item="3.2.1-award", target=second_product
    )
    assert preview["ceiling"] == Decimal("1000000")
    assert "enterprise_annual_cap" in preview["result"]["limits_applied"]
    assert any("4,000,000" in line and "1,000,000" in line for line in preview["result"]["explanation"])
    second = f.submitted(ent_user, g, item="3.2.1-award", target=second_product)
    assert second.ceiling == Decimal("1000000")
    assert second.snapshot["case"]["annual_cap_used"] == "4000000.00"


def test_nothing_left_of_the_annual_cap_is_not_eligible(cast, ent_user):
    g = f.guideline(actor=cast.province, items=ITEMS_32)
    first = f.submitted(
        ent_user, g, item="3.2.1-award", target=f.award_product(ent_user.enterprise, "200000000")
    )
    assert first.ceiling == Decimal("5000000")
    Application.objects.filter(pk=first.pk).update(is_leading_goose_fixed_award=True)
    app = f.draft(ent_user, g, item="3.2.1-award", target=f.award_product(ent_user.enterprise, "10000000"))
    with pytest.raises(DomainError, match="不能提交"):
        services.application_submit(actor=ent_user, application=app)


def test_allocation_rechecks_the_annual_cap(cast, ent_user):
    """Legacy data: two applications of the year were frozen at 4,000,000 and 4,500,000 before the rule held.
    The allocation cuts the second to what is left once the first is decided, and a decision that would pass
    the cap is refused."""
    g1 = f.guideline(actor=cast.province, items=ITEMS_32)
    g2 = f.guideline(actor=cast.province, items=ITEMS_32)
    a1 = f.submitted(
        ent_user, g1, item="3.2.1-award", target=f.award_product(ent_user.enterprise, "80000000")
    )
    Application.objects.filter(pk=a1.pk).update(is_leading_goose_fixed_award=True)
    a2 = f.submitted(
        ent_user, g2, item="3.2.1-award", target=f.award_product(ent_user.enterprise, "90000000")
    )
    Application.objects.filter(pk=a2.pk).update(
        ceiling=Decimal("4500000"), requested_amount=Decimal("4500000")
    )
    Application.objects.filter(pk__in=[a1.pk, a2.pk]).update(
        status=AppStatus.REVIEWED, score_avg=Decimal("85")
    )
    p1 = services.allocation_propose(actor=cast.province, guideline=g1, item_group="3.2", method="score")
    p2 = services.allocation_propose(actor=cast.province, guideline=g2, item_group="3.2", method="score")
    assert p1.total_granted == Decimal("4000000") and p2.total_granted == Decimal("4500000")
    services.allocation_decide(actor=cast.province, allocation=p1)
    with pytest.raises(Conflict, match=r"单个企业年度奖励上限.*剩余 100 万元（1,000,000 元）"):
        services.allocation_decide(actor=cast.province, allocation=p2)
    again = services.allocation_propose(actor=cast.province, guideline=g2, item_group="3.2", method="score")
    assert again.total_granted == Decimal("1000000")
    services.allocation_decide(actor=cast.province, allocation=again)
    granted = sum(a.granted_amount for a in Application.objects.filter(enterprise=ent_user.enterprise))
    assert granted == Decimal("5000000")


# ---------------------------------------------------------------------------------------------- fingerprints


def test_the_same_invoice_claimed_twice_is_flagged_and_blocks_the_award(cast):
    g_last = f.guideline(actor=cast.province, year=THIS_YEAR - 1, items=ITEMS_32)
    g = f.guideline(actor=cast.province, items=ITEMS_32)
    one = f.enterprise_user("410102")
    two = f.enterprise_user("410102")
    first = f.submitted(
        one,
        g_last,
        item="3.2.1-award",
        target=f.award_product(one.enterprise, "80000000", invoice="44001122"),
    )
    # Another enterprise claims the same invoice (code + number) for its own product, a year later.
    second = f.submitted(
        two, g, item="3.2.1-award", target=f.award_product(two.enterprise, "80000000", invoice="44001122")
    )
    flag = FingerprintFlag.objects.get(application=second)
    assert flag.other_application == first and flag.status == FlagStatus.OPEN
    assert "44001122" in flag.label
    # The county is told at once.
    from jigai.notifications.models import Notification

    assert Notification.objects.filter(recipient=cast.county, body__contains="重复申报疑点").exists()
    Application.objects.filter(pk=second.pk).update(status=AppStatus.REVIEWED, score_avg=Decimal("80"))
    with pytest.raises(DomainError, match="重复申报疑点"):
        services.allocation_propose(actor=cast.province, guideline=g, item_group="3.2", method="score")
    # Clearing needs a reason, a reviewer who reaches the application, and is audited.
    with pytest.raises(DomainError, match="请填写核查意见"):
        programme.fingerprint_flag_clear(actor=cast.county, flag=flag, reason="")
    with pytest.raises(NotFound):
        programme.fingerprint_flag_clear(actor=two, flag=flag, reason="我说没问题")
    outsider = f.make_user("county", "410103")
    with pytest.raises(NotFound):
        programme.fingerprint_flag_clear(actor=outsider, flag=flag, reason="看过了")
    programme.fingerprint_flag_clear(
        actor=cast.county, flag=flag, reason="发票为两笔不同交易，税务系统核验无误"
    )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CLEARED and flag.cleared_by == cast.county
    assert AuditEvent.objects.filter(target_id=str(second.pk), action="clear_flag").exists()
    allocation = services.allocation_propose(
        actor=cast.province, guideline=g, item_group="3.2", method="score"
    )
    assert allocation.total_granted == Decimal("4000000")


def test_a_flag_raised_after_the_proposal_blocks_the_decision(cast):
    g = f.guideline(actor=cast.province, items=ITEMS_32)
    one = f.enterprise_user("410102")
    app = f.submitted(one, g, item="3.2.1-award", target=f.award_product(one.enterprise, "80000000"))
    Application.objects.filter(pk=app.pk).update(status=AppStatus.REVIEWED, score_avg=Decimal("80"))
    allocation = services.allocation_propose(
        actor=cast.province, guideline=g, item_group="3.2", method="score"
    )
    two = f.enterprise_user("410102")
    other = f.submitted(
        two,
        f.guideline(actor=cast.province, year=THIS_YEAR - 1, items=ITEMS_32),
        item="3.2.1-award",
        target=f.award_product(two.enterprise, "1000000"),
    )
    FingerprintFlag.objects.create(
        application=app, other_application=other, kind="invoice", value="X:1", label="发票 1"
    )
    with pytest.raises(Conflict, match="重复申报疑点"):
        services.allocation_decide(actor=cast.province, allocation=allocation)
    app.refresh_from_db()
    assert app.status == AppStatus.REVIEWED and app.granted_amount is None


def test_withdrawn_applications_do_not_raise_flags(cast):
    g = f.guideline(actor=cast.province, items=ITEMS_32)
    one, two = f.enterprise_user("410102"), f.enterprise_user("410102")
    first = f.submitted(
        one, g, item="3.2.1-award", target=f.award_product(one.enterprise, "80000000", invoice="7")
    )
    services.application_transition(actor=one, application=first, action="withdraw")
    second = f.submitted(
        two, g, item="3.2.1-award", target=f.award_product(two.enterprise, "80000000", invoice="7")
    )
    assert not FingerprintFlag.objects.filter(application=second).exists()


def test_name_key_folds_width_spaces_and_punctuation():
    assert programme.name_key("年产 10万台（套）智能装备项目") == programme.name_key(
        "年产10万台(套)智能装备项目"
    )
    assert programme.name_key("ＡＢＣ－1") == programme.name_key("abc1")


# ------------------------------------------------------------------------------------------- register import


def _register_workbook(rows: list[list]) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["资金名称", "安排年度", "统一社会信用代码", "企业名称", "项目名称", "安排金额（元）", "文号"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_register_imports_all_rows_or_none(cast, ent_user):
    from jigai.registry.excel import import_file, template

    assert template("other_fund_awards", cast.province)[:2] == b"PK"  # the template downloads
    good = [
        "省科技创新专项资金",
        2025,
        ent_user.enterprise.uscc,
        ent_user.enterprise.name,
        "智能化改造项目",
        "3000000",
        "豫科〔2025〕1号",
    ]
    negative = ["省节能专项资金", 2025, ent_user.enterprise.uscc, "某公司", "节能改造", "-5", ""]
    bad_code = ["省节能专项资金", 2025, "91410100MA9XXXXXX1", "某公司", "节能改造", "5", ""]
    result = import_file(
        actor=cast.province, kind="other_fund_awards", file=_register_workbook([good, negative, bad_code])
    )
    assert not result.ok and result.error_file
    by_row = {e.row: e.message for e in result.errors}
    assert "负数" in by_row[3] and "信用代码" in by_row[4] and 2 not in by_row
    assert not OtherFundAward.objects.exists()
    result = import_file(actor=cast.province, kind="other_fund_awards", file=_register_workbook([good]))
    assert result.ok and result.created == 1
    award = OtherFundAward.objects.get()
    assert award.enterprise == ent_user.enterprise and award.project_key == programme.name_key(
        "智能化改造项目"
    )
    assert AuditEvent.objects.filter(target_type="funding.otherfundaward", target_id=str(award.pk)).exists()


def test_the_register_import_is_the_provinces(cast):
    from jigai.core.errors import AccessDenied
    from jigai.registry.excel import import_file

    with pytest.raises(AccessDenied):
        import_file(actor=cast.county, kind="other_fund_awards", file=_register_workbook([]))


def test_register_pages_by_role(client, cast, ent_user):
    _register(uscc=ent_user.enterprise.uscc)
    _register(uscc=f.valid_uscc("410305"), enterprise_name="洛阳某企业")
    client.force_login(cast.province)
    page = client.get("/funding/other-funds/")
    assert page.status_code == 200 and page.content.decode().count("省科技创新专项资金") == 2
    bad = client.post("/funding/other-funds/", {"fund_name": "x", "year": "2025", "uscc": "bad"})
    assert bad.status_code == 400 and OtherFundAward.objects.count() == 2
    client.force_login(cast.county)  # 中原区: sees only its own region's row, cannot add
    page = client.get("/funding/other-funds/")
    assert page.status_code == 200 and page.content.decode().count("省科技创新专项资金") == 1
    assert "登记一条记录" not in page.content.decode()
    assert client.post("/funding/other-funds/", {"fund_name": "x"}).status_code == 403
    client.force_login(ent_user)
    assert client.get("/funding/other-funds/").status_code == 403

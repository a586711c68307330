"""Printable documents of the funding round (issue 9): the 申报书, the review sheet of each level (县级初审,
市级推荐, 省级形式审查), the expert's score sheet, the approval notice (立项通知) and the payment record.

Each builder reads through the same selectors and screens as the page of the object (so exactly who may
see the object may print it; anyone else gets the same 404), turns it into label/value rows and hands them
to the document toolkit in jigai.web.pdf. No rule is decided here: the statuses, the frozen facts, the
calculator's explanation and the amounts are the ones the pages show; money as the pages write it (万元
with the exact 元)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jigai.accounts.roles import Role
from jigai.core.errors import NotFound
from jigai.core.money import wan_yuan
from jigai.web.pdf import Document

from . import calc, screens, selectors
from .models import Action, Application, AppStatus, Level, Payment, PaymentStatus
from .models.choices import stage_label
from .services.experts import RUBRIC

PROVINCE = "河南省工业和信息化厅"
FINANCE = "河南省财政厅"
POLICY = "豫政办〔2022〕8号"


@dataclass(frozen=True)
class Built:
    """A finished document: its file name and bytes."""

    filename: str
    pdf: bytes


def _date(value: Any) -> str:
    if value is None:
        return "—"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value:%Y年%m月%d日}"


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else wan_yuan(amount)


def _person(user: Any) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


def _application_rows(app: Application) -> list[tuple[str, Any]]:
    ent = app.enterprise
    return [
        ("申报编号", app.tracking_no or "（未提交）"),
        ("申报企业", ent.name),
        ("统一社会信用代码", ent.uscc),
        ("所在地区", ent.region.name),
        ("申报事项", calc.item_label(app.item)),
        ("申报对象", f"{calc.TARGET_LABELS.get(app.target_kind, '')}：{app.target}"),
        ("申请金额", _money(app.requested_amount)),
        ("测算上限", _money(app.ceiling)),
    ]


# ------------------------------------------------------------------------------------ frozen facts


def _fact_value(fact: dict[str, Any], value: Any) -> str:
    """A frozen fact as a reader reads it: money in 万元 with 元, a choice by its label, 是/否, lists
    counted (their rows are in the attachments), never a raw code."""
    if value is None or value == "":
        return "—"
    kind = fact.get("type")
    if kind == "money":
        try:
            return wan_yuan(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = dict(fact.get("choices") or [])
    if choices and not isinstance(value, list):
        return str(choices.get(value, value))
    if isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            return "、".join(str(choices.get(v, v)) for v in value)
        return f"{len(value)} 项"
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, v in value.items())
    return str(value)


def frozen_fact_rows(app: Application) -> list[tuple[str, str]]:
    """The facts frozen at submission (snapshot.case.facts) with the labels of the item's catalog."""
    from jigai.policy import item_catalog

    facts = ((app.snapshot or {}).get("case") or {}).get("facts") or {}
    catalog = next((i for i in item_catalog() if i["code"] == app.item), {"facts": []})
    described = {f["key"]: f for f in catalog["facts"]}
    rows = []
    for key, value in facts.items():
        fact = described.get(key, {"label": key})
        rows.append((str(fact.get("label", key)), _fact_value(fact, value)))
    return rows


# ------------------------------------------------------------------------------------------ 申报书


def application_form(*, actor: Any, pk: int, compress: bool = True) -> Built:
    """The 申报书: the application with its frozen facts, the ceiling and the calculator's explanation."""
    app = screens.application_readable(actor=actor, pk=pk)
    snapshot = app.snapshot or {}
    result = snapshot.get("result") or {}
    doc = Document(
        title="河南省企业技术改造提升专项资金申报书",
        doc_no=f"申报编号：{app.tracking_no or '（未提交）'}",
        subtitle=app.guideline.title,
        compress=compress,
    )
    doc.heading("一、申报单位")
    doc.fields(
        [
            ("企业名称", app.enterprise.name),
            ("统一社会信用代码", app.enterprise.uscc),
            ("所在地区", app.enterprise.region.name),
            ("申报联系人", app.contact_person or "—"),
            ("联系电话", app.contact_phone or "—"),
        ]
    )
    doc.heading("二、申报事项")
    doc.fields(
        [
            ("申报年度", f"{app.year} 年"),
            ("申报指南", app.guideline.title),
            ("申报事项", calc.item_label(app.item)),
            ("申报对象", f"{calc.TARGET_LABELS.get(app.target_kind, '')}：{app.target}"),
            ("申请金额", _money(app.requested_amount)),
            ("已获省级其他专项资金支持", "是（企业声明）" if app.declared_other_provincial_support else "否"),
            ("申报说明", app.summary or "—"),
            ("状态", app.get_status_display()),
            ("提交时间", _date(app.submitted_at)),
        ]
    )
    doc.heading("三、申报时冻结的事实")
    rows = frozen_fact_rows(app)
    if rows:
        doc.fields(rows, label_width=60)
    else:
        doc.para("（草稿尚未提交，事实在提交时冻结。）", "plain")
    doc.heading("四、测算结果")
    doc.fields(
        [
            ("测算上限（不超过）", _money(app.ceiling)),
            ("是否符合条件", "符合" if result.get("eligible") else "不符合"),
            (
                "拨付安排",
                "；".join(
                    f"{stage_label(s['stage'])} {wan_yuan(Decimal(str(s['amount'])))}"
                    for s in result.get("schedule") or []
                )
                or "—",
            ),
            ("政策参数版本", (snapshot.get("policy") or {}).get("version", "—")),
            ("测算日期", snapshot.get("as_of") or "—"),
        ],
        label_width=40,
    )
    if result.get("explanation"):
        doc.para("测算过程（逐条引用政策条款）：", "plain")
        doc.lines(list(result["explanation"]))
    doc.heading("五、申报单位承诺")
    doc.para(
        "本单位承诺：所填报内容及所附材料真实、准确、完整，同一项目未重复申报省级财政其他专项资金；"
        f"如有虚假，愿按{POLICY}及有关规定承担责任。"
    )
    doc.signatures(["法定代表人", "申报联系人"], seal="申报单位（盖章）")
    return Built(f"申报书-{app.tracking_no or app.pk}.pdf", doc.render())


# --------------------------------------------------------------------------------------- review sheets

REVIEW_SHEETS = {
    # level: (title, the opinion box's heading, who signs, whose seal)
    Level.COUNTY: ("县级初审意见表", "县级初审意见", "经办人", "县（市、区）工业和信息化主管部门"),
    Level.CITY: ("市级推荐意见表", "市级推荐意见", "经办人", "省辖市工业和信息化主管部门"),
    Level.PROVINCE_FORMAL: ("省级形式审查表", "形式审查意见", "审查人", PROVINCE),
}
SHEET_OF = {"county": Level.COUNTY, "city": Level.CITY, "province": Level.PROVINCE_FORMAL}


def review_sheet(*, actor: Any, pk: int, level: str, compress: bool = True) -> Built:
    """The review sheet of one level with the opinion recorded there (or an empty box, printed before the
    review to fill by hand), the signature and the seal places."""
    if level not in SHEET_OF:
        raise NotFound("没有这一级的审核表。")
    code = SHEET_OF[level]
    title, box, signer, seal = REVIEW_SHEETS[code]
    app = screens.application_readable(actor=actor, pk=pk)
    events = [
        e
        for e in selectors.application_events(actor=actor, application=app).order_by("created_at", "pk")
        if e.level == code and not e.voided
    ]
    last = events[-1] if events else None
    doc = Document(title=title, doc_no=f"申报编号：{app.tracking_no or '—'}", compress=compress)
    rows = _application_rows(app)
    if level == "city" and app.city_rank:
        rows.append(("市级推荐排序", f"第 {app.city_rank} 位"))
    doc.fields(rows)
    if last is not None:
        opinion = f"{last.get_action_display()}。{last.comment}".rstrip("。") + "。"
        doc.opinion(
            box,
            opinion,
            signer=f"{signer}（{_person(last.actor)}）",
            seal=seal,
            date_text=_date(last.created_at),
        )
    else:
        doc.opinion(box, "", signer=signer, seal=seal)
    if len(events) > 1:
        doc.para("本级此前的办理记录：", "plain")
        doc.table(
            ["时间", "办理", "意见", "经办人"],
            [
                [_date(e.created_at), e.get_action_display(), e.comment or "—", _person(e.actor)]
                for e in events[:-1]
            ],
            widths=[32, 30, 78, 30],
        )
    doc.para(f"依据：{POLICY}。", "small")
    return Built(f"{title}-{app.tracking_no or app.pk}.pdf", doc.render())


# ----------------------------------------------------------------------------------- expert score sheet


def expert_score_sheet(*, actor: Any, pk: int, compress: bool = True) -> Built:
    """The expert's score sheet of one assignment: the rubric with the points given, the comment, the
    conflict-of-interest declaration and the signature place. The expert reaches it only after declaring
    no conflict (the same gate as the application)."""
    assignment = selectors.expert_assignment_get(actor=actor, pk=pk)
    app = screens.application_readable(actor=actor, pk=assignment.application_id)
    doc = Document(
        title="专项资金申报专家评审评分表",
        doc_no=f"申报编号：{app.tracking_no or '—'}",
        compress=compress,
    )
    doc.fields(_application_rows(app))
    scores = assignment.scores or {}
    rows = [[label, str(top), str(scores.get(key, ""))] for key, label, top in RUBRIC]
    rows.append(
        [
            "合计",
            str(sum(top for _, _, top in RUBRIC)),
            "" if assignment.total is None else f"{assignment.total}",
        ]
    )
    doc.heading("评分")
    doc.table(["评审内容", "分值", "得分"], rows, widths=[100, 30, 40], right=(1, 2))
    doc.heading("评审意见")
    doc.para(assignment.comment or "（尚未提交评分）", "plain")
    doc.heading("利益冲突声明")
    doc.para(
        f"{assignment.get_conflict_display()}（声明时间：{_date(assignment.conflict_declared_at)}）。本人与申报企业"
        "无利益关系，评审意见客观公正。",
        "plain",
    )
    doc.signatures([f"评审专家（{_person(assignment.expert)}）"], date_text=_date(assignment.submitted_at))
    return Built(f"专家评分表-{app.tracking_no or app.pk}-{assignment.pk}.pdf", doc.render())


# ------------------------------------------------------------------------------------ approval notice


def approval_notice(*, actor: Any, pk: int, compress: bool = True) -> Built:
    """The 立项通知 of an award (status 已立项): addressed to the enterprise, issued by the province under
    its red header, with the amount granted and the payment stages."""
    app = screens.application_readable(actor=actor, pk=pk)
    if app.status != AppStatus.AWARDED:
        raise NotFound("该申报尚未确定立项，没有立项通知。")
    entry = (
        app.notice_entries.filter(withdrawn=False, notice__finalized_at__isnull=False)
        .select_related("notice")
        .order_by("-notice__finalized_at")
        .first()
    )
    notice = entry.notice if entry else None
    finalized = notice.finalized_at if notice else app.decided_at
    doc = Document(
        title="专项资金项目立项通知",
        issuer=PROVINCE,
        doc_no=f"编号：{app.tracking_no}",
        compress=compress,
    )
    doc.para(f"{app.enterprise.name}：", "plain")
    period = f"，经公示（{_date(notice.starts_on)}至{_date(notice.ends_on)}）" if notice else ""
    doc.para(
        f"你单位申报的“{app.target}”（{calc.item_label(app.item)}），经县级初审、市级推荐、省级形式审查、"
        f"专家评审和省级决策{period}，确定立项，安排省级财政专项资金 {_money(app.granted_amount)}。"
    )
    doc.para(
        f"资金按以下阶段拨付（{POLICY}），请严格按照有关规定专款专用，按时报送项目实施情况，接受监督检查。"
    )
    stages = list(app.payment_stages.order_by("sequence"))
    if stages:
        doc.table(
            ["序号", "拨付阶段", "计划拨付"],
            [[str(s.sequence), s.label, _money(s.planned_amount)] for s in stages],
            widths=[15, 75, 80],
            right=(2,),
        )
    doc.fields([*_application_rows(app), ("安排金额", _money(app.granted_amount))])
    doc.signatures([], seal=f"{PROVINCE}（盖章）", date_text=_date(finalized))
    return Built(f"立项通知-{app.tracking_no}.pdf", doc.render())


# ------------------------------------------------------------------------------------- payment record


def payment_record(*, actor: Any, pk: int, compress: bool = True) -> Built:
    """The record of one payment: stage, amount, voucher, the payee's account (in full for finance only,
    masked for everyone else who reaches the award), maker and checker with their signature places."""
    payment: Payment = selectors.payment_get(actor=actor, pk=pk)
    app = screens.application_readable(actor=actor, pk=payment.stage.application_id)
    account = payment.payee_account if actor.role == Role.FINANCE else payment.payee_account_masked
    doc = Document(
        title="专项资金拨付记录",
        doc_no=f"凭证号：{payment.voucher_no}",
        compress=compress,
    )
    doc.fields(
        [
            *_application_rows(app),
            ("安排金额", _money(app.granted_amount)),
            ("拨付阶段", payment.stage.label),
            ("计划拨付", _money(payment.stage.planned_amount)),
            ("本次拨付金额", _money(payment.amount)),
            ("拨付日期", _date(payment.paid_on)),
            ("收款单位", payment.payee_name or "—"),
            ("开户银行", payment.payee_bank or "—"),
            ("银行账号", account or "—"),
            ("状态", payment.get_status_display()),
            ("银行回单", "已附" if payment.receipt else "未附"),
            ("累计已拨付（已复核）", _money(selectors.paid_total(app))),
        ]
    )
    confirmed = payment.status == PaymentStatus.CONFIRMED
    doc.signatures(
        [
            f"录入人（{_person(payment.entered_by)}，{_date(payment.entered_at)}）",
            f"复核人（{_person(payment.confirmed_by) if confirmed else '—'}，"
            f"{_date(payment.confirmed_at) if confirmed else '—'}）",
        ],
        seal=f"{FINANCE}（盖章）",
    )
    return Built(f"拨付记录-{app.tracking_no}-{payment.pk}.pdf", doc.render())


def review_sheets(app: Application, events: list[Any] | None = None) -> list[tuple[str, str]]:
    """(url name, sheet title) of the levels the application has been sent to: the county's sheet once
    submitted, the city's once the county approved, the province's once the city recommended. `events`:
    the application's review events when the caller has read them already (the application page)."""
    if app.status == AppStatus.DRAFT:  # never submitted: no level has it yet
        return []
    if events is None:
        events = list(app.events.filter(action=Action.APPROVE, voided=False))
    approved = {e.level for e in events if e.action == Action.APPROVE and not e.voided}
    sent = {"county": True, "city": Level.COUNTY in approved, "province": Level.CITY in approved}
    return [(f"review_{key}_pdf", REVIEW_SHEETS[SHEET_OF[key]][0]) for key, ok in sent.items() if ok]

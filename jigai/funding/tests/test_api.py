"""The funding API (/api/v1/funding/) for every role: the same scope as the pages (out-of-scope ids answer
404), the same services (refusals carry the rule's Chinese message and change nothing), maker-checker, CSRF,
public endpoints, and the OpenAPI document that describes all of it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jigai.accounts.tests.factories import make_user
from jigai.audit.models import AuditEvent
from jigai.funding import services
from jigai.funding.models import (
    Application,
    AppStatus,
    ExpertAssignment,
    Guideline,
    Payment,
    PaymentStatus,
    ReviewEvent,
)
from jigai.funding.models import Conflict as Declared
from jigai.funding.services.payments import create_stages
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db

API = "/api/v1/funding"
ROLES = [
    "enterprise_own",
    "enterprise_other",
    "county_own",
    "county_other",
    "city_own",
    "city_other",
    "province",
    "expert_assigned",
    "expert_unassigned",
    "finance",
    "leader",
    "anonymous",
]
# The bank: every funding operation answers 403 at the bank portal's wall (jigai/financing/gate.py), held for
# every operation with real ids by jigai/financing/tests/test_bank_walk.py.


class World:
    """The own enterprise in 中原区 (郑州), another in 老城区 (洛阳), one user for every row of the matrix."""

    def __init__(self) -> None:
        self.cast = cast = f.Cast()
        self.guideline = f.guideline(actor=cast.province)
        self.own = f.enterprise_user("410102")
        self.other = f.enterprise_user("410302")
        self.maker = cast.finance[0]
        self.users: dict[str, Any] = {
            "enterprise_own": self.own,
            "enterprise_other": self.other,
            "county_own": cast.county,
            "county_other": make_user("county", "410103"),
            "city_own": cast.city,
            "city_other": make_user("city", "410300"),
            "province": cast.province,
            "expert_assigned": cast.experts[0],
            "expert_unassigned": cast.experts[1],
            "finance": cast.finance[1],
            "bank": make_user("bank"),
            "leader": make_user("leader"),
            "anonymous": None,
        }

    def submitted(self, user: Any = None, **kw: Any) -> Application:
        return f.submitted(user or self.own, self.guideline, **kw)

    def assign(self, app: Application, conflict: str = Declared.NONE) -> ExpertAssignment:
        """The assignment as the expert services leave it (assign + declare tested in test_experts)."""
        return ExpertAssignment.objects.create(
            application=app,
            expert=self.users["expert_assigned"],
            assigned_by=self.cast.province,
            conflict=conflict,
        )

    def awarded(self, app: Application, granted: str = "3000000") -> Application:
        """Skip the review (driven through the services in test_workflow): an award with its payment plan."""
        Application.objects.filter(pk=app.pk).update(
            status=AppStatus.AWARDED, granted_amount=Decimal(granted), decided_at=timezone.now()
        )
        app.refresh_from_db()
        create_stages(app)
        return app


@pytest.fixture
def w(db) -> World:
    return World()


# One client for the module: a new one would load the middleware again (whitenoise scans every static file).
CLIENT = Client()


def call(user: Any, method: str, path: str, body: Any = None, **params: Any) -> tuple[int, Any]:
    client = CLIENT
    client.cookies.clear()
    if user is not None:
        client.force_login(user)
    if method == "get":
        response = client.get(API + path, params)
    else:
        response = client.post(
            API + path, json.dumps(body or {}, ensure_ascii=False), content_type="application/json"
        )
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def unchanged(app: Application) -> tuple:
    """What a refusal must leave as it was: the row, its events, the audit trail."""
    app.refresh_from_db()
    return (
        app.status,
        app.requested_amount,
        app.granted_amount,
        app.last_comment,
        ReviewEvent.objects.filter(application=app).count(),
        AuditEvent.objects.count(),
    )


def expect(table: dict[str, int], role: str) -> int:
    return table.get(role, table.get("*", 0))


# ---------------------------------------------------------------------------------------------- guidelines


@pytest.mark.parametrize("role", ROLES)
def test_guidelines_are_public_drafts_only_for_the_province(w, role):
    user = w.users[role]
    draft = f.guideline(actor=w.cast.province, publish=False)
    Guideline.objects.filter(pk=draft.pk).update(title="草稿指南")
    status, body = call(user, "get", "/guidelines")
    if role == "bank":  # the bank portal's wall (jigai/financing/gate.py): the public page, not the API
        assert status == 403
        return
    assert status == 200
    ids = {g["id"] for g in body}
    assert w.guideline.pk in ids
    assert (draft.pk in ids) == (role == "province")
    published = next(g for g in body if g["id"] == w.guideline.pk)
    assert published["open_now"] is True and published["status_label"] == "已发布"
    assert {"code": "3.1.1", "label": "技术改造示范项目（三（一）1）"} in published["items"]
    assert {"item_group": "3.1", "item_group_label": "技术改造项目（三（一））", "amount": "20000000.00"} in (
        published["budgets"]
    )

    status, body = call(user, "get", f"/guidelines/{w.guideline.pk}")
    assert status == 200 and body["title"] == w.guideline.title
    status, body = call(user, "get", f"/guidelines/{draft.pk}")
    if role == "province":
        assert status == 200 and body["status"] == "draft"
    else:
        assert status == 404 and body == {"detail": "未找到该记录，或您无权查看。", "code": "not_found"}


# ---------------------------------------------------------------------------------------------- reading

# A: the own enterprise's award (expert assigned, declared no conflict); B: the other enterprise's submission.
LIST_SEES = {
    "enterprise_own": {"A"},
    "enterprise_other": {"B"},
    "county_own": {"A"},
    "county_other": set(),
    "city_own": {"A"},
    "city_other": {"B"},
    "province": {"A", "B"},
    "expert_assigned": {"A"},
    "expert_unassigned": set(),
    "finance": {"A"},  # finance sees decided awards only
    "leader": {"A", "B"},
}
READ_A = {
    "enterprise_own": 200,
    "county_own": 200,
    "city_own": 200,
    "province": 200,
    "expert_assigned": 200,
    "finance": 200,
    "leader": 200,
    "anonymous": 401,
    "*": 404,
}


@pytest.fixture
def ab(w):
    a = w.awarded(w.submitted())
    w.assign(a)
    b = w.submitted(w.other)
    return {"A": a, "B": b}


@pytest.mark.parametrize("role", ROLES)
def test_application_list_is_scoped(w, ab, role):
    status, body = call(w.users[role], "get", "/applications")
    if role == "anonymous":
        assert status == 401 and body["code"] == "not_authenticated" and "请先登录" in body["detail"]
        return
    if role == "bank":
        assert status == 403 and body["detail"] == "您的角色不参与专项资金申报。"
        return
    assert status == 200
    want = {ab[k].pk for k in LIST_SEES[role]}
    assert {item["id"] for item in body["items"]} == want and body["total"] == len(want)


@pytest.mark.parametrize("role", ROLES)
def test_application_detail_is_scoped(w, ab, role):
    a = ab["A"]
    status, body = call(w.users[role], "get", f"/applications/{a.pk}")
    assert status == expect(READ_A, role), body
    if status == 404:
        assert body == {"detail": "未找到该记录，或您无权查看。", "code": "not_found"}
    if status != 200:
        return
    assert body["tracking_no"] == a.tracking_no and body["status"] == "awarded"
    assert body["ceiling"] == "3600000.00" and body["granted_amount"] == "3000000.00"
    frozen = body["frozen"]
    assert frozen["result"]["amount"] == "3600000" and frozen["result"]["citations"] == ["三（一）1"]
    assert frozen["case"]["facts"]["equipment_investment"] == "9000000.00"
    assert frozen["policy"]["id"] == "henan-2022-8"
    assert [e["action"] for e in body["events"]] == ["submit"]
    assert body["enterprise"]["region"] == {"code": "410102", "name": "中原区"}
    # The audit trail, as on the page, is not shown to experts.
    assert (body["history"] == []) == (role == "expert_assigned")


@pytest.mark.parametrize("role", ROLES)
def test_application_payments_are_scoped(w, ab, role):
    a = ab["A"]
    status, body = call(w.users[role], "get", f"/applications/{a.pk}/payments")
    assert status == expect(READ_A, role), body
    if status == 200:
        assert body["granted_amount"] == "3000000.00" and body["paid_total"] == "0.00"
        assert [(s["stage"], s["planned_amount"], s["paid"]) for s in body["stages"]] == [
            ("on_approval", "3000000.00", False)
        ]


def test_an_expert_reads_the_application_only_after_declaring(w):
    a = w.submitted()
    assignment = w.assign(a, conflict=Declared.PENDING)
    expert = w.users["expert_assigned"]
    for path in (f"/applications/{a.pk}", f"/applications/{a.pk}/payments"):
        status, body = call(expert, "get", path)
        assert status == 403 and body["code"] == "conflict_not_declared" and "利益冲突" in body["detail"]
    services.expert_declare(actor=expert, assignment=assignment, has_conflict=False)
    assert call(expert, "get", f"/applications/{a.pk}")[0] == 200


def test_list_filters_sort_and_paging(w):
    apps = [w.submitted(f.enterprise_user("410102")) for _ in range(3)]
    far = w.submitted(f.enterprise_user("410103"))
    province = w.users["province"]
    status, body = call(province, "get", "/applications", sort="tracking", limit=2, offset=1)
    assert status == 200 and body["total"] == 4 and (body["limit"], body["offset"]) == (2, 1)
    assert [i["tracking_no"] for i in body["items"]] == sorted(a.tracking_no for a in [*apps, far])[1:3]
    status, body = call(province, "get", "/applications", region="410103")
    assert [i["id"] for i in body["items"]] == [far.pk]
    status, body = call(province, "get", "/applications", q=apps[1].tracking_no)
    assert [i["id"] for i in body["items"]] == [apps[1].pk]
    status, body = call(province, "get", "/applications", item="3.1.1", guideline=w.guideline.pk)
    assert body["total"] == 4
    status, body = call(province, "get", "/applications", item_group="3.4")
    assert body["total"] == 0
    services.application_transition(
        actor=w.cast.county, application=apps[0], action="approve", comment="同意"
    )
    status, body = call(w.cast.county, "get", "/applications", status="todo")
    assert {i["id"] for i in body["items"]} == {apps[1].pk, apps[2].pk}
    status, body = call(province, "get", "/applications", status="county_approved")
    assert [i["id"] for i in body["items"]] == [apps[0].pk]
    assert body["items"][0]["status_label"] == "待市级推荐"


def test_list_bad_filters_are_field_errors_in_chinese(w):
    status, body = call(w.users["province"], "get", "/applications", status="nope", limit=0, region="41")
    assert status == 422 and body["code"] == "invalid_input"
    fields = {e["field"]: e["message"] for e in body["detail"]}
    assert fields["status"].startswith("请选择有效的申报状态") and "todo（待我处理）" in fields["status"]
    assert fields["limit"] == "不能小于 1。"
    assert fields["region"].startswith("请填写 6 位行政区划代码")


def test_list_query_count_does_not_grow_with_the_rows(w):
    client = CLIENT
    client.cookies.clear()
    client.force_login(w.users["province"])
    w.submitted(f.enterprise_user("410102"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{API}/applications").status_code == 200
    for _ in range(4):
        w.submitted(f.enterprise_user("410102"))
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(f"{API}/applications").json()["items"]) == 5
    assert len(five) == len(one)


# ---------------------------------------------------------------------------------------------- submission

CREATE = {"enterprise_own": 201, "enterprise_other": 422, "anonymous": 401, "*": 403}


@pytest.mark.parametrize("role", ROLES)
def test_create_draft_by_role(w, role):
    project = f.project(w.own.enterprise)
    body = {
        "guideline": w.guideline.pk,
        "item": "3.1.1",
        "target_kind": "project",
        "target_id": project.pk,
        "requested_amount": "3000000.00",
    }
    audit_before = AuditEvent.objects.count()
    status, answer = call(w.users[role], "post", "/applications", body)
    assert status == expect(CREATE, role), answer
    if status == 201:
        app = Application.objects.get()
        assert answer["id"] == app.pk and answer["status"] == "draft" and answer["frozen"] is None
        assert answer["requested_amount"] == "3000000.00" and answer["can_submit"] is True
        assert answer["target_label"] == str(project) and app.created_by == w.own
        return
    assert not Application.objects.exists() and AuditEvent.objects.count() == audit_before
    if status == 422:  # another enterprise's project: the service's rule, on its field
        assert answer["detail"] == [
            {"field": "target", "message": "所选技术改造项目不存在或不属于本企业，不能申报。"}
        ]
    if status == 403:
        assert answer["detail"] == "您的角色无权执行此操作。"


def test_create_refusals_name_the_field(w):
    project = f.project(w.own.enterprise)
    g = f.guideline(actor=w.cast.province, items=["3.4.1"])
    base = {"guideline": g.pk, "item": "3.1.1", "target_kind": "project", "target_id": project.pk}
    status, body = call(w.own, "post", "/applications", base)
    assert status == 422 and body["detail"][0]["field"] == "item"
    assert body["detail"][0]["message"].startswith("本指南未开放") and body["code"] == "item_not_open"
    status, body = call(w.own, "post", "/applications", {**base, "requested_amount": "-1", "colour": "red"})
    assert status == 422
    fields = {e["field"]: e["message"] for e in body["detail"]}
    assert fields["requested_amount"].startswith("请填写以元为单位的金额字符串")
    assert fields["colour"] == "不支持此字段，请检查字段名。"
    draft = f.guideline(actor=w.cast.province, publish=False)
    assert call(w.own, "post", "/applications", {**base, "guideline": draft.pk})[0] == 404
    assert not Application.objects.exists()


SUBMIT = {"enterprise_own": 200, "anonymous": 401, "*": 404}


@pytest.mark.parametrize("role", ROLES)
def test_submit_by_role(w, role):
    draft = f.draft(w.own, w.guideline)
    before = unchanged(draft)
    status, body = call(w.users[role], "post", f"/applications/{draft.pk}/submit")
    assert status == expect(SUBMIT, role), body
    if status == 200:
        assert body["status"] == "submitted" and body["ceiling"] == "3600000.00"
        assert body["requested_amount"] == "3600000.00"  # left empty: the ceiling
        assert body["frozen"]["result"]["eligible"] is True and body["can_submit"] is False
        assert body["actions"] == ["withdraw"]
    else:
        assert unchanged(draft) == before


def test_submit_refusals_give_the_rule_and_change_nothing(w):
    w.submitted()
    second = f.draft(w.own, w.guideline, item="3.4.1", target=f.title(w.own.enterprise))
    before = unchanged(second)
    status, body = call(w.own, "post", f"/applications/{second.pk}/submit")
    assert status == 400 and body["code"] == "one_per_year"
    assert (
        "同一企业原则上一个申报年度内只能申请1个制造业高质量发展专项资金项目（政策三，末段）"
        in body["detail"]
    )
    assert unchanged(second) == before

    third = f.draft(w.other, w.guideline, requested_amount="9999999")
    before = unchanged(third)
    status, body = call(w.other, "post", f"/applications/{third.pk}/submit")
    assert status == 422 and body["detail"][0]["field"] == "requested_amount"
    assert "超过按政策测算的上限 360 万元（3,600,000 元）" in body["detail"][0]["message"]
    assert unchanged(third) == before

    services.application_update_draft(actor=w.other, application=third, data={"requested_amount": ""})
    assert call(w.other, "post", f"/applications/{third.pk}/submit")[0] == 200
    status, body = call(w.other, "post", f"/applications/{third.pk}/submit")
    assert status == 409 and body["code"] == "repeated" and "不能重复提交" in body["detail"]


def test_submit_outside_the_window_is_refused(w):
    draft = f.draft(w.own, w.guideline)
    Guideline.objects.filter(pk=w.guideline.pk).update(
        opens_at=timezone.now() + dt.timedelta(days=1), closes_at=timezone.now() + dt.timedelta(days=2)
    )
    before = unchanged(draft)
    status, body = call(w.own, "post", f"/applications/{draft.pk}/submit")
    assert status == 400 and body["code"] == "outside_window" and body["detail"].startswith("不在申报时间内")
    assert unchanged(draft) == before


# ---------------------------------------------------------------------------------------------- transitions

# approve on a submitted application of the own enterprise: only the own county may; who sees it but
# may not move it gets the workflow's 409, who does not see it 404.
APPROVE = {
    "county_own": 200,
    "enterprise_own": 409,
    "city_own": 409,
    "province": 409,
    "anonymous": 401,
    "*": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_approve_by_role(w, role):
    app = w.submitted()
    before = unchanged(app)
    status, body = call(w.users[role], "post", f"/applications/{app.pk}/transitions", {"action": "approve"})
    assert status == expect(APPROVE, role), body
    if status == 200:
        assert body["status"] == "county_approved" and body["status_label"] == "待市级推荐"
        assert [(e["level"], e["action"], e["actor"]) for e in body["events"]][-1] == (
            "county",
            "approve",
            w.cast.county.get_full_name(),
        )
        return
    assert unchanged(app) == before
    if status == 409:
        assert body["code"] == "illegal_transition"
        assert body["detail"].startswith("该申报当前为“待县级初审”，您不能执行“通过”操作")


def test_return_reject_and_the_full_review_path(w):
    app = w.submitted()
    url = f"/applications/{app.pk}/transitions"
    assert call(w.cast.county, "post", url, {"action": "approve", "comment": "同意"})[0] == 200
    before = unchanged(app)
    status, body = call(w.cast.city, "post", url, {"action": "return"})
    assert status == 422
    assert body["detail"] == [{"field": "comment", "message": "退回补正或不予通过时须填写意见（说明理由）。"}]
    assert unchanged(app) == before
    status, body = call(w.cast.city, "post", url, {"action": "promote"})
    assert status == 422 and body["detail"][0]["field"] == "action"
    assert body["detail"][0]["message"].startswith("请选择有效的操作")

    status, body = call(w.cast.city, "post", url, {"action": "return", "comment": "请补充设备发票"})
    assert status == 200 and body["status"] == "returned" and body["last_comment"] == "请补充设备发票"
    assert body["actions"] == [] and call(w.own, "get", f"/applications/{app.pk}")[1]["can_submit"] is True
    assert call(w.own, "post", f"/applications/{app.pk}/submit")[0] == 200
    assert call(w.cast.county, "post", url, {"action": "approve", "comment": "同意"})[0] == 200
    status, body = call(w.cast.city, "post", url, {"action": "approve", "rank": 3})
    assert status == 200 and body["status"] == "city_recommended" and body["city_rank"] == 3
    status, body = call(w.cast.province, "post", url, {"action": "approve"})
    assert status == 200 and body["status"] == "formal_checked"
    before = unchanged(app)
    status, body = call(w.cast.province, "post", url, {"action": "approve"})
    assert status == 400 and body["code"] == "experts_pending" and "专家" in body["detail"]
    assert unchanged(app) == before
    status, body = call(w.cast.province, "post", url, {"action": "reject", "comment": "不符合支持方向"})
    assert status == 200 and body["status"] == "rejected" and body["status_label"] == "不予支持"
    # The return voided the county's first approval; the approvals after the resubmission count.
    assert [e["voided"] for e in body["events"] if e["action"] == "approve"] == [True, False, False, False]
    status, body = call(w.cast.province, "post", url, {"action": "approve"})
    assert status == 409 and body["code"] == "illegal_transition"


def test_withdraw_by_the_enterprise(w):
    app = w.submitted()
    status, body = call(w.own, "post", f"/applications/{app.pk}/transitions", {"action": "withdraw"})
    assert status == 200 and body["status"] == "withdrawn"


# ---------------------------------------------------------------------------------------------- notices


def _on_notice(w: World) -> Application:
    """A proposed award (the review and allocation are driven in test_workflow / test_allocation), put on
    notice by the real service."""
    app = w.submitted()
    Application.objects.filter(pk=app.pk).update(status=AppStatus.APPROVED, granted_amount=Decimal("3000000"))
    services.notice_publish(actor=w.cast.province, guideline=w.guideline)
    app.refresh_from_db()
    assert app.status == AppStatus.ON_NOTICE
    return app


@pytest.mark.parametrize("role", ROLES)
def test_notices_are_public_and_masked_as_on_the_page(w, role):
    app = _on_notice(w)
    ent = w.own.enterprise
    status, body = call(w.users[role], "get", "/notices")
    assert status == 200 and len(body) == 1
    notice = body[0]
    (entry,) = notice["entries"]
    assert entry == {
        "tracking_no": app.tracking_no,
        "enterprise": ent.name,
        "uscc": services.mask_uscc(ent.uscc),
        "region": "中原区",
        "item": "3.1.1",
        "item_label": "技术改造示范项目（三（一）1）",
        "contact": services.mask_name(app.contact_person),
        "phone": services.mask_phone(app.contact_phone),
        "granted_amount": f"{app.granted_amount:.2f}",
    }
    raw = json.dumps(body, ensure_ascii=False)
    assert ent.uscc not in raw and app.contact_phone not in raw and app.contact_person not in raw
    assert notice["finalized"] is False and notice["notice_days"] == 5
    status, one = call(w.users[role], "get", f"/notices/{notice['id']}")
    assert status == 200 and one == notice


def test_the_api_masks_exactly_as_the_public_page(client, w):
    app = _on_notice(w)
    page = client.get(f"/notices/{app.notice_entries.get().notice_id}/").content.decode()
    (entry,) = call(None, "get", "/notices")[1][0]["entries"]
    for key in ("uscc", "contact", "phone"):
        assert f"<td>{entry[key]}</td>" in page


def test_unpublished_notice_is_404(w):
    app = _on_notice(w)
    notice = app.notice_entries.get().notice
    type(notice).objects.filter(pk=notice.pk).update(published=False)
    assert call(None, "get", "/notices")[1] == []
    assert call(None, "get", f"/notices/{notice.pk}")[0] == 404


# ---------------------------------------------------------------------------------------------- payments

ENTER = {"finance": 201, "anonymous": 401, "*": 403}  # finance alone enters (not the province)
CONFIRM = {"finance": 200, "anonymous": 401, "*": 403}


def _stage(w: World):
    app = w.awarded(w.submitted())
    return app, app.payment_stages.get()


@pytest.mark.parametrize("role", ROLES)
def test_payment_enter_by_role(w, role):
    app, stage = _stage(w)
    body = {
        "stage": stage.pk,
        "paid_on": timezone.localdate().isoformat(),
        "amount": "3000000",
        "voucher_no": "V1",
        **f.PAYEE,
    }
    audit_before = AuditEvent.objects.count()
    status, answer = call(w.users[role], "post", "/payments", body)
    assert status == expect(ENTER, role), answer
    if status == 201:
        assert answer["status"] == "entered" and answer["amount"] == "3000000.00"
        assert answer["application_id"] == app.pk and answer["stage_label"] == "批准后拨付"
        assert answer["entered_by"] == w.users[role].get_full_name() and answer["confirmed_by"] is None
        return
    assert not Payment.objects.exists() and AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize("role", ROLES)
def test_payment_confirm_by_role(w, role):
    _, stage = _stage(w)
    payment = services.payment_enter(
        actor=w.maker, stage=stage, paid_on=timezone.localdate(), amount="3000000", voucher_no="V1", **f.PAYEE
    )
    status, answer = call(w.users[role], "post", f"/payments/{payment.pk}/confirm")
    assert status == expect(CONFIRM, role), answer
    payment.refresh_from_db()
    if status == 200:
        assert answer["status"] == "confirmed" and answer["confirmed_by"] == w.users[role].get_full_name()
        assert payment.status == PaymentStatus.CONFIRMED
    else:
        assert payment.status == PaymentStatus.ENTERED and payment.confirmed_by is None


def test_maker_checker_through_the_api(w):
    app, stage = _stage(w)
    checker = w.users["finance"]
    body = {
        "stage": stage.pk,
        "paid_on": timezone.localdate().isoformat(),
        "amount": "3000000.00",
        "voucher_no": "财企〔2026〕1号",
        **f.PAYEE,
    }
    status, entered = call(w.maker, "post", "/payments", body)
    assert status == 201
    pk = entered["id"]

    status, answer = call(w.maker, "post", f"/payments/{pk}/confirm")
    assert status == 400 and answer["code"] == "maker_checker"
    assert answer["detail"] == "录入与复核须由不同人员办理：您不能复核自己录入的拨付。"
    assert Payment.objects.get(pk=pk).status == PaymentStatus.ENTERED

    status, answer = call(w.maker, "post", "/payments", {**body, "voucher_no": "V2"})
    assert status == 409 and answer["code"] == "stage_pending"

    status, answer = call(checker, "post", f"/payments/{pk}/confirm")
    assert (
        status == 200 and answer["status"] == "confirmed" and answer["entered_by"] == w.maker.get_full_name()
    )

    status, answer = call(checker, "post", f"/payments/{pk}/confirm")
    assert status == 409 and answer["detail"] == "该笔拨付已复核确认，不能重复确认。"
    status, answer = call(w.maker, "post", "/payments", {**body, "voucher_no": "V3"})
    assert status == 409 and answer == {"detail": "该阶段已拨付，不能重复拨付。", "code": "stage_paid"}
    assert Payment.objects.filter(stage=stage, status=PaymentStatus.CONFIRMED).count() == 1

    status, schedule = call(w.own, "get", f"/applications/{app.pk}/payments")
    assert schedule["paid_total"] == "3000000.00"
    (row,) = schedule["stages"]
    assert row["paid"] is True and [p["status"] for p in row["payments"]] == ["confirmed"]
    assert row["payments"][0]["confirmed_by"] == checker.get_full_name()


def test_payment_refusals_name_the_field_and_change_nothing(w):
    _, stage = _stage(w)
    today = timezone.localdate()
    base = {
        "stage": stage.pk,
        "paid_on": today.isoformat(),
        "amount": "3000000",
        "voucher_no": "V",
        **f.PAYEE,
    }
    cases = [
        ({"amount": "3000000.01"}, "amount", "金额超过该阶段计划拨付 300 万元（3,000,000 元）。"),
        ({"paid_on": (today + dt.timedelta(days=1)).isoformat()}, "paid_on", "拨付日期不能晚于今天。"),
        ({"paid_on": "2026-02-30"}, "paid_on", "请填写有效的日期，格式为 YYYY-MM-DD，如 2026-05-31。"),
        (
            {"amount": 3000000},
            "amount",
            '请填写以元为单位的金额字符串，如 "3000000.00"：不能为负数，最多两位小数。',
        ),
        ({"voucher_no": ""}, "voucher_no", "至少 1 个字符。"),
        # the payee's account is required (issue 9), each field by its own message
        ({"payee_name": " "}, "payee_name", "请填写收款单位。"),
        ({"payee_bank": ""}, "payee_bank", "请填写开户银行。"),
        ({"payee_account": ""}, "payee_account", "请填写银行账号。"),
        (
            {"payee_account": "1234-567"},
            "payee_account",
            "银行账号应为 8 至 32 位数字（可含空格或短横线分隔）。",
        ),
    ]
    audits = AuditEvent.objects.count()
    for change, field, message in cases:
        status, body = call(w.maker, "post", "/payments", {**base, **change})
        assert status == 422 and {"field": field, "message": message} in body["detail"], (change, body)
    for missing in ("payee_name", "payee_bank", "payee_account"):
        without = {k: v for k, v in base.items() if k != missing}
        status, body = call(w.maker, "post", "/payments", without)
        assert status == 422 and {"field": missing, "message": "此项必填。"} in body["detail"], body
    assert AuditEvent.objects.count() == audits
    assert call(w.maker, "post", "/payments", {**base, "stage": stage.pk + 1000})[0] == 404
    assert call(w.maker, "post", "/payments/999999/confirm")[0] == 404
    assert not Payment.objects.exists()


def test_payments_only_for_awards(w):
    app = w.submitted()
    status, body = call(w.users["province"], "get", f"/applications/{app.pk}/payments")
    assert status == 200 and body["stages"] == [] and body["granted_amount"] is None


# ---------------------------------------------------------------------------------------------- auth


def test_unsafe_methods_need_the_csrf_token(w):
    app = w.submitted()
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.cast.county)
    url = f"{API}/applications/{app.pk}/transitions"
    body = json.dumps({"action": "approve"})
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    app.refresh_from_db()
    assert app.status == AppStatus.SUBMITTED
    token = "k" * 32  # what the csrftoken cookie of any page holds
    client.cookies["csrftoken"] = token
    r = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200 and r.json()["status"] == "county_approved"
    # Anonymous callers are told to sign in, whatever the token.
    r = Client(enforce_csrf_checks=True).post(url, body, content_type="application/json")
    assert r.status_code == 401


def test_ids_beyond_64_bits_are_field_errors(w):
    status, body = call(None, "get", f"/guidelines/{2**64}")
    assert status == 422 and body["detail"][0]["field"] == "id"
    status, body = call(w.users["province"], "get", f"/applications/{2**64}")
    assert status == 422


# ---------------------------------------------------------------------------------------------- OpenAPI


def test_openapi_documents_the_funding_api(client):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    expected = {
        ("get", "/api/v1/funding/guidelines"),
        ("get", "/api/v1/funding/guidelines/{id}"),
        ("get", "/api/v1/funding/applications"),
        ("post", "/api/v1/funding/applications"),
        ("get", "/api/v1/funding/applications/{id}"),
        ("delete", "/api/v1/funding/applications/{id}"),
        ("post", "/api/v1/funding/applications/{id}/submit"),
        ("post", "/api/v1/funding/applications/{id}/transitions"),
        ("get", "/api/v1/funding/applications/{id}/payments"),
        ("get", "/api/v1/funding/notices"),
        ("get", "/api/v1/funding/notices/{id}"),
        ("post", "/api/v1/funding/payments"),
        ("post", "/api/v1/funding/payments/{id}/confirm"),
        ("get", "/api/v1/funding/applications/{id}/flags"),
        ("post", "/api/v1/funding/flags/{id}/clear"),
        ("get", "/api/v1/funding/other-fund-awards"),
        ("post", "/api/v1/funding/other-fund-awards"),
        ("post", "/api/v1/funding/batch-transitions"),  # 批量初审 / 推荐 (services.batch)
        # 指南测算 (issue 13, funding/simulator)
        ("get", "/api/v1/funding/simulator/scenarios"),
        ("post", "/api/v1/funding/simulator/scenarios"),
        ("post", "/api/v1/funding/simulator/scenarios/{scenario_id}/runs"),
        ("get", "/api/v1/funding/simulator/runs/{run_id}"),
        ("get", "/api/v1/funding/simulator/runs/{run_id}/cases/{case_id}"),
    }
    found = {(m, p) for p, ops in paths.items() if "/funding/" in p for m in ops}
    assert found == expected
    for method, path in expected:
        op = paths[path][method]
        assert op["tags"] == ["专项资金申报"]
        public = path.endswith(("/guidelines", "/guidelines/{id}", "/notices", "/notices/{id}"))
        assert ("401" in op["responses"]) == (not public), path
    schemas = doc["components"]["schemas"]
    money = schemas["FundingApplicationOut"]["properties"]["ceiling"]
    assert money["type"] == "string" and "pattern" in money
    body = schemas["FundingPaymentIn"]["properties"]
    assert body["amount"]["type"] == "string" and body["paid_on"]["format"] == "date"
    assert schemas["FundingTransitionIn"]["properties"]["action"]["enum"] == [
        "approve",
        "return",
        "reject",
        "withdraw",
    ]


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_test_connection():
    """As in tests/test_openapi.py: a request through the raw WSGI app must keep the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_test_connection")
def test_signed_in_answers_with_real_data_match_the_document(w):
    """tests/test_openapi.py calls every operation anonymously on an empty database; here every operation is
    called by the user it serves on real data (and some refusals), through the WSGI app with the session
    cookie and the CSRF token, and each answer is checked against the document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

    def run(user, method, path, expected, *, path_parameters=None, query=None, body=None):
        headers, cookies = {}, {}
        if user is not None:
            CLIENT.cookies.clear()
            CLIENT.force_login(user)
            cookies = {"sessionid": CLIENT.cookies["sessionid"].value, "csrftoken": "k" * 32}
            headers = {"X-CSRFToken": "k" * 32}
        extra = {"body": body} if body is not None else {}
        case = schema[f"/api/v1/funding{path}"][method].Case(
            path_parameters=path_parameters, query=query, headers=headers, cookies=cookies, **extra
        )
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == expected, response.text
        return response.json()

    award = w.awarded(w.submitted())
    stage = award.payment_stages.get()
    other = w.submitted(w.other)
    newcomer = f.enterprise_user("410102")
    project = f.project(newcomer.enterprise)
    province, county, maker, checker = w.cast.province, w.cast.county, w.maker, w.users["finance"]
    today = timezone.localdate().isoformat()

    run(None, "GET", "/guidelines", 200)
    run(province, "GET", "/guidelines/{id}", 200, path_parameters={"id": w.guideline.pk})
    run(None, "GET", "/guidelines/{id}", 404, path_parameters={"id": award.pk + 10_000})
    run(province, "GET", "/applications", 200, query={"status": "awarded", "sort": "-ceiling", "limit": 5})
    run(province, "GET", "/applications", 422, query={"status": "nope"})
    run(w.users["bank"], "GET", "/applications", 403)
    run(None, "GET", "/applications", 401)
    run(province, "GET", "/applications/{id}", 200, path_parameters={"id": award.pk})
    run(w.users["county_other"], "GET", "/applications/{id}", 404, path_parameters={"id": award.pk})

    created = run(
        newcomer,
        "POST",
        "/applications",
        201,
        body={
            "guideline": w.guideline.pk,
            "item": "3.1.1",
            "target_kind": "project",
            "target_id": project.pk,
        },
    )
    run(newcomer, "POST", "/applications/{id}/submit", 200, path_parameters={"id": created["id"]})
    run(newcomer, "POST", "/applications/{id}/submit", 409, path_parameters={"id": created["id"]})
    run(
        county,
        "POST",
        "/applications/{id}/transitions",
        422,
        path_parameters={"id": created["id"]},
        body={"action": "reject"},
    )
    run(
        county,
        "POST",
        "/applications/{id}/transitions",
        200,
        path_parameters={"id": created["id"]},
        body={"action": "approve", "comment": "同意"},
    )
    run(
        w.cast.city,
        "POST",
        "/applications/{id}/transitions",
        404,
        path_parameters={"id": other.pk},
        body={"action": "approve"},
    )

    payment = run(
        maker,
        "POST",
        "/payments",
        201,
        body={"stage": stage.pk, "paid_on": today, "amount": "3000000.00", "voucher_no": "V1", **f.PAYEE},
    )
    run(maker, "POST", "/payments/{id}/confirm", 400, path_parameters={"id": payment["id"]})
    run(checker, "POST", "/payments/{id}/confirm", 200, path_parameters={"id": payment["id"]})
    run(checker, "POST", "/payments/{id}/confirm", 409, path_parameters={"id": payment["id"]})
    run(w.own, "GET", "/applications/{id}/payments", 200, path_parameters={"id": award.pk})

    Application.objects.filter(pk=other.pk).update(status=AppStatus.APPROVED, granted_amount=Decimal("100"))
    services.notice_publish(actor=province, guideline=w.guideline)
    (notice,) = run(None, "GET", "/notices", 200)
    run(None, "GET", "/notices/{id}", 200, path_parameters={"id": notice["id"]})

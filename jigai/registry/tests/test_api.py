"""The registry API (/api/v1/registry/…) through Django's test client: every endpoint for every role (a
generated matrix), bad input answered field by field in Chinese with nothing changed, the library workflow
legal and illegal, the monthly progress and its over-total rule, the calculator case, CSRF, and the OpenAPI
document."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jigai.accounts.tests.factories import make_user
from jigai.audit.selectors import audit_history
from jigai.policy import evaluate_request
from jigai.registry.facts import calculator_case
from jigai.registry.models import LibraryStatus, ProgressReport, Project, ProjectEvent
from jigai.registry.services.progress_totals import store_project_totals

from .factories import EnterpriseFactory, ProjectFactory, QualificationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"
S = LibraryStatus
SCHEMA_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# ---------------------------------------------------------------------------------------------- the actors

# Everyone the matrix tries, relative to one enterprise in 中原区 (410102, 郑州市 410100).
ROLES: dict[str, Callable[[dict], Any]] = {
    "enterprise_own": lambda w: w["owner"],
    "enterprise_other": lambda w: make_user("enterprise"),  # another enterprise in the same county
    "county_own": lambda w: make_user("county", "410102"),
    "county_other": lambda w: make_user("county", "410103"),
    "city_own": lambda w: make_user("city", "410100"),
    "city_other": lambda w: make_user("city", "410300"),
    "province": lambda w: make_user("province"),
    "expert": lambda w: make_user("expert"),
    # the bank: refused at the portal's wall for every registry operation (financing/tests/test_bank_walk.py)
    "finance": lambda w: make_user("finance"),
    "leader": lambda w: make_user("leader"),
    "admin": lambda w: make_user("admin"),
    "anonymous": lambda w: None,
}
# Who may see the enterprise and its projects (the scope gate's answer, stated independently here). The
# system administrator runs the system, not the business (三权分立, issue 12): it sees no enterprise.
SEES = {"enterprise_own", "county_own", "city_own", "province", "finance", "leader"}


@pytest.fixture
def world() -> dict[str, Any]:
    enterprise = EnterpriseFactory(name="郑州精工装备有限公司", size="medium", above_designated_size=True)
    owner = make_user("enterprise", enterprise=enterprise)
    QualificationFactory(enterprise=enterprise, kind="leading_goose")
    project = ProjectFactory(enterprise=enterprise, library_status=S.IN_LIBRARY)
    return {"enterprise": enterprise, "owner": owner, "project": project}


# One request handler per CSRF mode for the whole module: building one loads the middleware, and
# WhiteNoise's start-up scan of the static files costs ~0.6 s each time (a new Client builds a new one).
_HANDLERS: dict[bool, Any] = {}


def client_for(user: Any, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.handler = _HANDLERS.setdefault(enforce_csrf_checks, client.handler)
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body, ensure_ascii=False), content_type="application/json")


def fields_of(response: Any) -> dict[str, list[str]]:
    """{field: [messages]} of a 422 answer, asserting the documented shape."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] and isinstance(body["detail"], list)
    out: dict[str, list[str]] = {}
    for error in body["detail"]:
        out.setdefault(error["field"], []).append(error["message"])
    return out


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def last_month() -> dt.date:
    first = timezone.localdate().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


PROJECT_BODY = {
    "name": "数控机床智能化改造项目",
    "category": "intelligent",
    "total_investment": "30000000.00",
    "equipment_investment": "18000000",
    "software_investment": "2000000.50",
    "planned_start": "2024-03-01",
    "planned_end": "2025-06-30",
}

# ---------------------------------------------------------------------------------------------- read matrix

READS: dict[str, Callable[[dict], str]] = {
    "enterprise_list": lambda w: f"{API}/enterprises",
    "enterprise_detail": lambda w: f"{API}/enterprises/{w['enterprise'].pk}",
    "project_list": lambda w: f"{API}/projects",
    "project_detail": lambda w: f"{API}/projects/{w['project'].pk}",
    "progress_list": lambda w: f"{API}/projects/{w['project'].pk}/progress",
    "calculator_case": lambda w: (
        f"{API}/projects/{w['project'].pk}/calculator-case?item=3.1.1&as_of=2022-06-30"
    ),
}


@pytest.mark.parametrize("endpoint", list(READS))
@pytest.mark.parametrize("role", list(ROLES))
def test_read_matrix(world, role, endpoint):
    response = client_for(ROLES[role](world)).get(READS[endpoint](world))
    assert response["Content-Type"].startswith("application/json")
    if role == "anonymous":
        assert response.status_code == 401
        assert response.json() == {
            "detail": "请先登录（使用网页登录后的会话）。",
            "code": "not_authenticated",
        }
        return
    if endpoint.endswith("_list") and endpoint != "progress_list":
        # a list answers 200 to everyone signed in, holding only what they may see
        assert response.status_code == 200
        body = response.json()
        wanted = world["enterprise"].pk if endpoint == "enterprise_list" else world["project"].pk
        assert (wanted in [item["id"] for item in body["items"]]) == (role in SEES)
        assert body["total"] == len(body["items"])
        return
    if role in SEES:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到该记录，或您无权查看。", "code": "not_found"}


# ---------------------------------------------------------------------------------------------- write matrix


@pytest.mark.parametrize("role", list(ROLES))
def test_create_matrix(world, role):
    """Only an enterprise user enters a project, always for their own enterprise."""
    actor = ROLES[role](world)
    before = Project.objects.count()
    response = post(client_for(actor), f"{API}/projects", PROJECT_BODY)
    if role == "anonymous":
        assert response.status_code == 401
    elif role.startswith("enterprise"):
        assert response.status_code == 201, response.content
        project = Project.objects.get(pk=response.json()["id"])
        assert project.enterprise_id == actor.enterprise_id
        assert project.library_status == S.DRAFT
        return
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert Project.objects.count() == before


TRANSITIONS = [
    # action, state before, {role: status} for the roles that see the project (others that see it: 403)
    ("submit", S.DRAFT, {"enterprise_own": 200}),
    ("county_approve", S.SUBMITTED, {"county_own": 200}),
    ("city_approve", S.COUNTY_CHECKED, {"city_own": 200}),
    ("return", S.SUBMITTED, {"county_own": 200, "city_own": 409}),
    ("return", S.COUNTY_CHECKED, {"city_own": 200, "county_own": 409}),
]
AFTER = {"submit": S.SUBMITTED, "county_approve": S.COUNTY_CHECKED, "city_approve": S.IN_LIBRARY}


@pytest.mark.parametrize(("action", "state", "allowed"), TRANSITIONS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("role", list(ROLES))
def test_transition_matrix(world, role, action, state, allowed):
    project = world["project"]
    Project.objects.filter(pk=project.pk).update(library_status=state)
    response = post(
        client_for(ROLES[role](world)),
        f"{API}/projects/{project.pk}/transitions",
        {"action": action, "comment": "请补充设备购置清单"},
    )
    expected = 401 if role == "anonymous" else allowed.get(role, 403) if role in SEES else 404
    assert response.status_code == expected, response.content
    project.refresh_from_db()
    if expected == 200:
        assert project.library_status == AFTER.get(action, S.RETURNED)
        assert response.json()["library_status"] == project.library_status
        assert ProjectEvent.objects.filter(project=project, from_status=state).count() == 1
    else:
        assert project.library_status == state
        assert not ProjectEvent.objects.filter(project=project).exists()
        assert has_chinese(response.json()["detail"])


@pytest.mark.parametrize("role", list(ROLES))
def test_progress_matrix(world, role):
    project = world["project"]
    body = {"month": last_month().strftime("%Y-%m"), "investment_completed": "1000000.00"}
    response = post(client_for(ROLES[role](world)), f"{API}/projects/{project.pk}/progress", body)
    expected = (
        401 if role == "anonymous" else 201 if role == "enterprise_own" else 403 if role in SEES else 404
    )
    assert response.status_code == expected, response.content
    assert ProgressReport.objects.filter(project=project).count() == (1 if expected == 201 else 0)


# ---------------------------------------------------------------------------------------------- lists


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_enterprise_filters_and_pagination(world):
    mine = world["enterprise"]
    small = EnterpriseFactory(name="洛阳小型轴承厂", size="small", above_designated_size=False)
    luoyang = EnterpriseFactory(name="洛阳重型机械有限公司", region=make_user("city", "410300").region)
    pending = EnterpriseFactory(name="待确认企业", status="pending")
    client = client_for(make_user("province"))
    assert ids(client.get(f"{API}/enterprises?q=精工")) == [mine.pk]
    assert ids(client.get(f"{API}/enterprises?q={mine.uscc.lower()}")) == [mine.pk]
    assert set(ids(client.get(f"{API}/enterprises?size=small"))) == {small.pk}
    assert small.pk in ids(client.get(f"{API}/enterprises?above_designated=false"))
    assert small.pk not in ids(client.get(f"{API}/enterprises?above_designated=true"))
    assert ids(client.get(f"{API}/enterprises?region=410300")) == [luoyang.pk]
    assert luoyang.pk not in ids(client.get(f"{API}/enterprises?region=410100"))
    assert ids(client.get(f"{API}/enterprises?status=pending")) == [pending.pk]
    everything = client.get(f"{API}/enterprises").json()
    assert everything["total"] == 4 and everything["limit"] == 20 and everything["offset"] == 0
    page = client.get(f"{API}/enterprises?limit=2&offset=1").json()
    assert page["total"] == 4 and [e["id"] for e in page["items"]] == [
        e["id"] for e in everything["items"][1:3]
    ]


def test_a_county_filtering_another_region_still_sees_only_its_own(world):
    """The region filter narrows the scope, never widens it."""
    EnterpriseFactory(region=make_user("city", "410300").region)
    client = client_for(make_user("county", "410102"))
    assert ids(client.get(f"{API}/enterprises?region=410300")) == []
    assert ids(client.get(f"{API}/projects?region=410000")) == [world["project"].pk]


def test_enterprise_list_item_shape(world):
    body = client_for(world["owner"]).get(f"{API}/enterprises").json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["region"] == {"code": "410102", "name": "中原区"}
    assert item["size"] == "medium" and item["size_label"] == "中型"
    assert item["status_label"] == "已确认" and item["above_designated_size"] is True
    assert item["industry_label"].startswith("C ")


def test_enterprise_detail_has_qualifications(world):
    enterprise = world["enterprise"]
    today = timezone.localdate()
    QualificationFactory(
        enterprise=enterprise,
        kind="provincial_specialized",
        valid_from=today - dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=10),
    )
    body = client_for(make_user("county", "410102")).get(f"{API}/enterprises/{enterprise.pk}").json()
    assert body["uscc"] == enterprise.uscc and body["contact_person"] == "张经理"
    quals = {q["kind"]: q for q in body["qualifications"]}
    assert quals["leading_goose"]["kind_label"] == "头雁企业"
    assert (
        quals["leading_goose"]["valid_from"] == "2022-01-01"
        and quals["leading_goose"]["valid_today"] is False
    )
    assert quals["provincial_specialized"]["valid_today"] is True


def test_project_filters(world):
    mine = world["project"]
    enterprise = world["enterprise"]
    green = ProjectFactory(
        enterprise=enterprise, category="green", construction_status="under_construction", name="余热回收"
    )
    other = ProjectFactory(enterprise__region=make_user("city", "410300").region, name="洛阳高端装备")
    client = client_for(make_user("province"))
    assert ids(client.get(f"{API}/projects?category=green")) == [green.pk]
    assert ids(client.get(f"{API}/projects?construction_status=under_construction")) == [green.pk]
    assert ids(client.get(f"{API}/projects?library_status=in_library")) == [mine.pk]
    assert ids(client.get(f"{API}/projects?region=410300")) == [other.pk]
    assert ids(client.get(f"{API}/projects?q=余热")) == [green.pk]
    assert set(ids(client.get(f"{API}/projects?enterprise={enterprise.pk}"))) == {mine.pk, green.pk}
    # 应统尽统: in library, under construction, no report for last month
    Project.objects.filter(pk=mine.pk).update(construction_status="under_construction")
    assert ids(client.get(f"{API}/projects?missing=true")) == [mine.pk]
    assert client.get(f"{API}/projects?limit=1").json()["total"] == 3


def test_project_list_item_money_and_cumulative(world):
    project = world["project"]
    ProgressReport.objects.create(
        project=project, month=dt.date(2023, 1, 1), investment_completed=Decimal("1.5")
    )
    ProgressReport.objects.create(
        project=project, month=dt.date(2023, 2, 1), investment_completed=Decimal("2")
    )
    store_project_totals([project.pk])  # rows written outside the services
    item = client_for(world["owner"]).get(f"{API}/projects").json()["items"][0]
    assert item["total_investment"] == "20000000.00"
    assert item["equipment_investment"] == "9000000.00"
    assert item["cumulative_investment"] == "3.50"
    assert item["planned_start"] == "2022-01-01"
    assert item["enterprise"]["name"] == "郑州精工装备有限公司"
    assert item["category_label"] == "智能化" and item["library_status_label"] == "已入库"


@pytest.mark.parametrize("url", [f"{API}/enterprises", f"{API}/projects"])
def test_list_query_count_does_not_grow_with_rows(world, url):
    client = client_for(make_user("city", "410100"))
    client.get(url)  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(5):
        ProjectFactory(enterprise=EnterpriseFactory())
    assert queries() == few


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("size=huge", "size"),
        ("region=4101", "region"),
        ("above_designated=maybe", "above_designated"),
        ("q=%00", "q"),
    ],
)
def test_bad_list_filters_are_field_errors(world, query, field):
    response = client_for(make_user("province")).get(f"{API}/enterprises?{query}")
    errors = fields_of(response)
    assert list(errors) == [field] and all(has_chinese(m) for m in errors[field])


def test_bad_id_is_a_field_error_and_unknown_id_404(world):
    client = client_for(make_user("province"))
    assert list(fields_of(client.get(f"{API}/projects/abc"))) == ["id"]
    assert client.get(f"{API}/projects/999999").status_code == 404
    assert client.get(f"{API}/enterprises/999999").status_code == 404


# ---------------------------------------------------------------------------------------------- create


def test_create_returns_the_draft_with_money_as_strings_and_audits(world):
    response = post(client_for(world["owner"]), f"{API}/projects", PROJECT_BODY)
    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert project.software_investment == Decimal("2000000.50")
    assert body["total_investment"] == "30000000.00" and body["software_investment"] == "2000000.50"
    assert body["library_status"] == "draft" and body["actions"] == ["submit"]
    assert body["calculator_items"] == ["3.1.1", "3.1.2", "3.1.3"]
    assert body["cumulative_investment"] == "0.00" and body["events"] == []
    assert [e.action for e in audit_history(obj=project)] == ["create"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"total_investment": "abc"}, {"total_investment"}),
        ({"total_investment": 30000000.5}, {"total_investment"}),  # a JSON number: never a float
        ({"total_investment": "-1"}, {"total_investment"}),
        ({"equipment_investment": "1.234"}, {"equipment_investment"}),
        ({"planned_start": "2024-13-01"}, {"planned_start"}),
        ({"category": "fancy"}, {"category"}),
        ({"name": None}, {"name"}),
        ({"colour": "red"}, {"colour"}),
        ({"total_investment": "x", "planned_end": "tomorrow"}, {"total_investment", "planned_end"}),
        # the service's rules, the same as on the page
        ({"planned_end": "2024-01-01"}, {"planned_end"}),
        ({"equipment_investment": "29000000", "software_investment": "2000000"}, {"total_investment"}),
        ({"zero_new_land": True}, {"added_floor_area"}),
        ({"is_machine_replacement": True}, {"machine_purchase_investment"}),
        ({"name": ""}, {"name"}),
        ({"name": "项目\x00", "description": "\x00"}, {"name", "description"}),  # PostgreSQL stores no NUL
    ],
)
def test_bad_project_is_refused_field_by_field_and_nothing_is_saved(world, change, fields):
    before = Project.objects.count()
    response = post(client_for(world["owner"]), f"{API}/projects", {**PROJECT_BODY, **change})
    errors = fields_of(response)
    assert set(errors) == fields
    assert all(has_chinese(m) for ms in errors.values() for m in ms), errors
    assert Project.objects.count() == before


def test_missing_fields_are_listed(world):
    errors = fields_of(post(client_for(world["owner"]), f"{API}/projects", {}))
    assert set(errors) == {"name", "category", "total_investment", "planned_start", "planned_end"}
    assert errors["name"] == ["此项必填。"]


def test_malformed_json_is_a_chinese_400(world):
    response = client_for(world["owner"]).post(
        f"{API}/projects", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400 and has_chinese(response.json()["detail"])
    response = post(client_for(world["owner"]), f"{API}/projects", ["a list"])
    assert list(fields_of(response)) == ["__all__"]


def test_unconfirmed_enterprise_cannot_create(world):
    owner = make_user("enterprise", enterprise=EnterpriseFactory(status="pending"))
    response = post(client_for(owner), f"{API}/projects", PROJECT_BODY)
    assert response.status_code == 403 and response.json()["code"] == "enterprise_not_confirmed"


# ---------------------------------------------------------------------------------------------- workflow


def test_full_workflow_county_then_city(world):
    project = ProjectFactory(enterprise=world["enterprise"])
    url = f"{API}/projects/{project.pk}/transitions"
    county, city = make_user("county", "410102"), make_user("city", "410100")
    assert client_for(county).get(f"{API}/projects/{project.pk}").json()["actions"] == []
    assert post(client_for(world["owner"]), url, {"action": "submit"}).json()["library_status"] == "submitted"
    body = client_for(county).get(f"{API}/projects/{project.pk}").json()
    assert body["actions"] == ["county_approve", "return"]
    assert post(client_for(county), url, {"action": "county_approve", "comment": "同意"}).status_code == 200
    body = post(client_for(city), url, {"action": "city_approve"}).json()
    assert body["library_status"] == "in_library" and body["in_library_at"]
    assert [(e["from_status"], e["to_status"]) for e in body["events"]] == [
        ("draft", "submitted"),
        ("submitted", "county_checked"),
        ("county_checked", "in_library"),
    ]
    assert body["events"][1]["comment"] == "同意" and body["events"][1]["actor"] == county.get_full_name()


def test_return_needs_a_comment_and_voids_earlier_approvals(world):
    project = ProjectFactory(enterprise=world["enterprise"], library_status=S.SUBMITTED)
    url = f"{API}/projects/{project.pk}/transitions"
    county, city = make_user("county", "410102"), make_user("city", "410100")
    post(client_for(county), url, {"action": "county_approve"})
    errors = fields_of(post(client_for(city), url, {"action": "return", "comment": "  "}))
    assert list(errors) == ["comment"] and "意见" in errors["comment"][0]
    project.refresh_from_db()
    assert project.library_status == S.COUNTY_CHECKED
    body = post(client_for(city), url, {"action": "return", "comment": "设备清单与发票不符"}).json()
    assert body["library_status"] == "returned" and body["library_comment"] == "设备清单与发票不符"
    assert [e["voided"] for e in body["events"]] == [True, False]
    # the enterprise corrects and submits again; the county checks afresh
    assert post(client_for(world["owner"]), url, {"action": "submit"}).status_code == 200


@pytest.mark.parametrize(
    ("state", "role", "action", "code"),
    [
        (S.SUBMITTED, "enterprise_own", "submit", "repeated_transition"),
        (S.IN_LIBRARY, "enterprise_own", "submit", "illegal_transition"),
        (S.SUBMITTED, "city_own", "city_approve", "illegal_transition"),
        (S.DRAFT, "county_own", "return", "illegal_transition"),
        (S.COUNTY_CHECKED, "county_own", "county_approve", "repeated_transition"),
    ],
)
def test_illegal_moves_are_409_with_the_reason(world, state, role, action, code):
    project = world["project"]
    Project.objects.filter(pk=project.pk).update(library_status=state)
    response = post(
        client_for(ROLES[role](world)),
        f"{API}/projects/{project.pk}/transitions",
        {"action": action, "comment": "x"},
    )
    assert response.status_code == 409 and response.json()["code"] == code
    assert f"“{S(state).label}”" in response.json()["detail"]  # the reason names the current state
    project.refresh_from_db()
    assert project.library_status == state


def test_unknown_action_is_a_field_error(world):
    url = f"{API}/projects/{world['project'].pk}/transitions"
    errors = fields_of(post(client_for(world["owner"]), url, {"action": "approve"}))
    assert list(errors) == ["action"] and "submit" in errors["action"][0]


def test_submitting_an_invalid_draft_is_refused_by_the_same_rules(world):
    project = ProjectFactory(enterprise=world["enterprise"], planned_end=dt.date(2021, 1, 1))
    errors = fields_of(
        post(client_for(world["owner"]), f"{API}/projects/{project.pk}/transitions", {"action": "submit"})
    )
    assert list(errors) == ["planned_end"]
    project.refresh_from_db()
    assert project.library_status == S.DRAFT


# ---------------------------------------------------------------------------------------------- progress


def test_progress_list_with_cumulative(world):
    project = world["project"]
    for month, amount in ((2, "2000000"), (1, "1000000.25"), (3, "0")):
        ProgressReport.objects.create(
            project=project,
            month=dt.date(2023, month, 1),
            investment_completed=Decimal(amount),
            note=f"{month}月",
        )
    store_project_totals([project.pk])  # rows written outside the services
    body = client_for(make_user("city", "410100")).get(f"{API}/projects/{project.pk}/progress").json()
    assert body["project_id"] == project.pk
    assert body["total_investment"] == "20000000.00" and body["cumulative_investment"] == "3000000.25"
    assert [(r["month"], r["investment_completed"], r["cumulative"]) for r in body["items"]] == [
        ("2023-01-01", "1000000.25", "1000000.25"),
        ("2023-02-01", "2000000.00", "3000000.25"),
        ("2023-03-01", "0.00", "3000000.25"),
    ]


def test_progress_report_and_the_over_total_rule(world):
    project = world["project"]  # total 20,000,000
    client = client_for(world["owner"])
    url = f"{API}/projects/{project.pk}/progress"
    month = last_month()
    earlier = (month - dt.timedelta(days=1)).replace(day=1)
    first = post(client, url, {"month": earlier.strftime("%Y-%m"), "investment_completed": "15000000"})
    assert first.status_code == 201 and first.json()["cumulative"] == "15000000.00"
    assert first.json()["reported_by"] == world["owner"].get_full_name()
    over = {"month": month.isoformat(), "investment_completed": "6000000.00"}
    errors = fields_of(post(client, url, over))
    assert list(errors) == ["over_total_reason"] and "超过项目总投资" in errors["over_total_reason"][0]
    assert ProgressReport.objects.filter(project=project).count() == 1
    done = post(client, url, {**over, "over_total_reason": "追加了检测设备"})
    assert done.status_code == 201, done.content
    assert done.json()["month"] == month.isoformat() and done.json()["cumulative"] == "21000000.00"
    assert done.json()["over_total_reason"] == "追加了检测设备"
    report = ProgressReport.objects.get(pk=done.json()["id"])
    assert [e.action for e in audit_history(obj=report)] == ["create"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"month": "2023-13", "investment_completed": "1"}, "month"),
        ({"month": "May 2023", "investment_completed": "1"}, "month"),
        ({"month": "2023-05", "investment_completed": "-5"}, "investment_completed"),
        ({"month": "2023-05", "investment_completed": "一百万"}, "investment_completed"),
        ({"month": "2023-05"}, "investment_completed"),
    ],
)
def test_bad_progress_is_refused_field_by_field(world, body, field):
    response = post(client_for(world["owner"]), f"{API}/projects/{world['project'].pk}/progress", body)
    errors = fields_of(response)
    assert list(errors) == [field] and has_chinese(errors[field][0])
    assert not ProgressReport.objects.exists()


def test_progress_rules_of_the_service(world):
    project = world["project"]
    client = client_for(world["owner"])
    url = f"{API}/projects/{project.pk}/progress"
    future = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    assert list(fields_of(post(client, url, {"month": future, "investment_completed": "1"}))) == ["month"]
    assert (
        post(client, url, {"month": "2023-05-17", "investment_completed": "1"}).json()["month"]
        == "2023-05-01"
    )
    again = fields_of(post(client, url, {"month": "2023-05", "investment_completed": "2"}))
    assert "已填报" in again["month"][0]
    draft = ProjectFactory(enterprise=world["enterprise"])
    response = post(
        client, f"{API}/projects/{draft.pk}/progress", {"month": "2023-05", "investment_completed": "1"}
    )
    assert response.status_code == 409 and response.json()["code"] == "not_in_library"
    assert ProgressReport.objects.count() == 1


# ---------------------------------------------------------------------------------------------- calculator


def test_calculator_case_is_built_from_the_project_and_evaluated(world):
    project = world["project"]
    response = client_for(world["owner"]).get(
        f"{API}/projects/{project.pk}/calculator-case?item=3.1.2&as_of=2022-06-30"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    expected_case = calculator_case(obj=project, item="3.1.2", as_of=dt.date(2022, 6, 30))
    assert body["case"] == expected_case
    assert body["case"]["facts"] == {
        "equipment_investment": "9000000.00",
        "software_investment": "3000000.00",
    }
    assert body["case"]["applicant"]["qualifications"][0]["kind"] == "leading_goose"
    expected = evaluate_request({"cases": [expected_case]})
    assert body["result"] == {"options": [], **expected["results"][0]}
    # The schema also names a round's overrides and their year; without overrides they are null.
    policy = {k: v for k, v in body["policy"].items() if v is not None}
    assert policy == expected["policy"] and body["result"]["policy_version"] == "2022-01-24"
    assert body["result"]["eligible"] is True and body["result"]["amount"] != "0"
    assert body["result"]["explanation"]


def test_calculator_case_defaults_to_today_and_takes_other_support(world):
    project = world["project"]
    url = f"{API}/projects/{project.pk}/calculator-case?item=3.1.1&other_provincial_support=true"
    body = client_for(world["owner"]).get(url).json()
    assert body["case"]["as_of"] == timezone.localdate().isoformat()
    assert body["case"]["other_provincial_support"] is True
    assert body["result"]["eligible"] is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("item=3.1.4", "item"),  # not a 机器换人 project
        ("item=3.2.1-award", "item"),
        ("", "item"),
        ("item=3.1.1&as_of=2022-02-30", "as_of"),
    ],
)
def test_calculator_bad_input(world, query, field):
    url = f"{API}/projects/{world['project'].pk}/calculator-case?{query}"
    errors = fields_of(client_for(world["owner"]).get(url))
    assert list(errors) == [field] and has_chinese(errors[field][0])


# ---------------------------------------------------------------------------------------------- session, CSRF


def _csrf_client(user: Any) -> tuple[Client, str]:
    client = client_for(user, enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return client, token


def test_unsafe_methods_need_the_csrf_token(world):
    client, token = _csrf_client(world["owner"])
    body = json.dumps(PROJECT_BODY)
    refused = client.post(f"{API}/projects", data=body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert not Project.objects.filter(name=PROJECT_BODY["name"]).exists()
    done = client.post(f"{API}/projects", data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert done.status_code == 201
    assert client.get(f"{API}/projects").status_code == 200  # reads need no token


def test_anonymous_is_401_even_without_csrf_token(world):
    client, _ = _csrf_client(None)
    response = client.post(f"{API}/projects", data=json.dumps(PROJECT_BODY), content_type="application/json")
    assert response.status_code == 401


def test_a_user_who_must_change_password_is_refused(world):
    owner = world["owner"]
    owner.must_change_password = True
    owner.save(update_fields=["must_change_password"])
    response = client_for(owner).get(f"{API}/projects")
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"


def test_inactive_user_is_401(world):
    owner = world["owner"]
    client = client_for(owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert client.get(f"{API}/projects").status_code == 401


# ---------------------------------------------------------------------------------------------- OpenAPI


OPERATIONS = {
    ("get", "/api/v1/registry/enterprises"): "EnterprisePageOut",
    ("get", "/api/v1/registry/enterprises/{id}"): "EnterpriseDetailOut",
    ("get", "/api/v1/registry/projects"): "ProjectPageOut",
    ("post", "/api/v1/registry/projects"): "ProjectDetailOut",
    ("get", "/api/v1/registry/projects/{id}"): "ProjectDetailOut",
    ("post", "/api/v1/registry/projects/{id}/transitions"): "ProjectDetailOut",
    ("get", "/api/v1/registry/projects/{id}/progress"): "ProgressListOut",
    ("post", "/api/v1/registry/projects/{id}/progress"): "ProgressOut",
    ("get", "/api/v1/registry/projects/{id}/calculator-case"): "CalculatorOut",
}


def test_openapi_document_declares_every_operation_precisely():
    doc = client_for(None).get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for (method, path), out in OPERATIONS.items():
        op = doc["paths"][path][method]
        assert op["tags"] == ["企业与项目库"] and has_chinese(op["summary"])
        assert op["security"] == [{"SessionCsrfAuth": []}]
        ok = "201" if method == "post" and not path.endswith("transitions") else "200"
        ref = op["responses"][ok]["content"]["application/json"]["schema"]["$ref"]
        assert ref == f"#/components/schemas/{out}"
        for status, shape in (("401", "ErrorOut"), ("403", "ErrorOut"), ("422", "FieldErrorsOut")):
            content = op["responses"][status]["content"]["application/json"]["schema"]
            assert content["$ref"] == f"#/components/schemas/{shape}"
        if "{id}" in path:
            assert op["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith(
                "/ErrorOut"
            )
        if method == "post":
            assert "requestBody" in op and "409" in op["responses"]
    assert doc["components"]["securitySchemes"]["SessionCsrfAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
    }
    money = schemas["ProjectOut"]["properties"]["total_investment"]
    assert money["type"] == "string" and money["pattern"]
    money_in = schemas["ProjectIn"]["properties"]["total_investment"]
    assert money_in["type"] == "string" and "pattern" in money_in
    assert schemas["ProjectIn"]["additionalProperties"] is False
    assert schemas["TransitionIn"]["properties"]["action"]["enum"] == [
        "submit",
        "county_approve",
        "city_approve",
        "return",
    ]
    assert schemas["ProjectOut"]["properties"]["planned_start"]["format"] == "date"


# ---------------------------------------------------------------------------------------------- schemathesis

# The registry's operations from the document itself, called as a signed-in enterprise user whose project is
# in the library (tests/test_openapi.py calls every operation anonymously): generated requests, valid and
# not, never get a server error and every answer matches its documented status, content type and schema.
registry_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex=r"^/api/v1/registry/"
)


@pytest.fixture
def signed_in(world):
    """Session and CSRF cookies of the project's owner, kept across the raw WSGI calls."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = client_for(world["owner"])
    token = _get_new_csrf_string()
    yield {
        # as cookies: schemathesis fills the documented session cookie itself (with an empty value)
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
        "project": world["project"],
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@registry_schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,  # the same examples on every run: reproducible, never flaky
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_registry_operations_conform_when_signed_in(case, signed_in):
    if isinstance((case.path_parameters or {}).get("id"), int):
        case.path_parameters["id"] = signed_in["project"].pk  # reach the handler, not only the 404
    case.cookies = {**(case.cookies or {}), **signed_in["cookies"]}
    case.call_and_validate(headers=signed_in["headers"], checks=SCHEMA_CHECKS)

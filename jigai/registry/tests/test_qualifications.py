"""Qualifications are facts someone vouches for (issue 7): the verify / reject services, who may vouch for
which kind, an edit sending a decision back, the enterprise never setting the state itself (service, page
form, Excel import, API), the officers' queue page and its buttons, the workbench link, the API endpoints,
and the 研发、生产在河南省内 declaration with the county's check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jigai.accounts.tests.factories import make_user
from jigai.accounts.workbench import links_for
from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from jigai.notifications.models import Notification
from jigai.registry import excel as registry_excel
from jigai.registry import services
from jigai.registry.facts import calculator_case
from jigai.registry.models import Enterprise, Qualification

from .factories import EnterpriseFactory, ProjectFactory, QualificationFactory
from .test_excel_import import xlsx

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"


def events_of(obj, action=None):
    qs = AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


@pytest.fixture
def w():
    """An enterprise in 中原区 (410102, 郑州) with its user, a claimed little giant, and the officers."""
    ent_user = make_user("enterprise")
    ent = ent_user.enterprise
    claim = QualificationFactory(
        enterprise=ent,
        kind="national_little_giant",
        level="national",
        certificate_no="工信部企业函〔2022〕1号",
        valid_from=dt.date(2022, 7, 1),
        valid_to=dt.date(2025, 6, 30),
        status="submitted",
    )
    return {
        "ent_user": ent_user,
        "ent": ent,
        "claim": claim,
        "province": make_user("province"),
        "county": make_user("county", "410102"),
        "other_county": make_user("county", "410103"),
        "city": make_user("city", "410100"),
    }


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ---------------------------------------------------------------------------------------------- services


def test_the_province_verifies_a_claim_audited_and_the_enterprise_is_told(w):
    q = services.qualification_verify(actor=w["province"], qualification=w["claim"], comment=" 与名单一致 ")
    q.refresh_from_db()
    assert (q.status, q.verified_by, q.review_comment) == ("verified", w["province"], "与名单一致")
    assert q.verified_at is not None
    event = events_of(q, "confirm").get()
    assert event.before["status"]["id"] == "submitted" and event.after["status"]["id"] == "verified"
    note = Notification.objects.get(recipient=w["ent_user"])
    assert note.kind == "qualification.verified" and "核验通过" in note.body
    assert note.url == reverse("registry:enterprise_detail", args=[w["ent"].pk])


def test_a_rejection_needs_a_reason_which_the_enterprise_sees(w):
    for reason in ("", "   "):
        with pytest.raises(InvalidInput) as err:
            services.qualification_reject(actor=w["province"], qualification=w["claim"], reason=reason)
        assert "请填写驳回原因" in err.value.errors["reason"][0]
    w["claim"].refresh_from_db()
    assert w["claim"].status == "submitted" and not events_of(w["claim"], "reject").exists()
    q = services.qualification_reject(
        actor=w["province"], qualification=w["claim"], reason="证书编号与名单不符"
    )
    assert (q.status, q.review_comment, q.verified_by) == ("rejected", "证书编号与名单不符", w["province"])
    assert events_of(q, "reject").get().comment == "证书编号与名单不符"
    note = Notification.objects.get(recipient=w["ent_user"], kind="qualification.rejected")
    assert "证书编号与名单不符" in note.body


@pytest.mark.parametrize("who", ["ent_user", "city"])
def test_roles_that_may_not_vouch_are_refused(w, who):
    with pytest.raises(AccessDenied):
        services.qualification_verify(actor=w[who], qualification=w["claim"])
    with pytest.raises(AccessDenied):
        services.qualification_reject(actor=w[who], qualification=w["claim"], reason="x")
    w["claim"].refresh_from_db()
    assert w["claim"].status == "submitted"


@pytest.mark.parametrize("kind", ["leading_goose", "national_little_giant", "provincial_specialized"])
@pytest.mark.parametrize("level", ["national", "provincial", "municipal", ""])
def test_the_county_never_vouches_for_the_calculators_kinds(w, kind, level):
    q = QualificationFactory(enterprise=w["ent"], kind=kind, level=level, status="submitted")
    with pytest.raises(AccessDenied) as err:
        services.qualification_verify(actor=w["county"], qualification=q)
    assert "须由省工信厅核验" in err.value.message
    assert services.qualification_verify(actor=w["province"], qualification=q).status == "verified"


def test_the_county_confirms_a_citys_own_list_in_its_region_only(w):
    q = QualificationFactory(enterprise=w["ent"], kind="green_factory", level="municipal", status="submitted")
    national = QualificationFactory(
        enterprise=w["ent"], kind="green_factory", level="national", status="submitted"
    )
    with pytest.raises(NotFound):  # another county: outside its scope
        services.qualification_verify(actor=w["other_county"], qualification=q)
    with pytest.raises(AccessDenied):  # a national list is the province's
        services.qualification_verify(actor=w["county"], qualification=national)
    assert services.qualification_verify(actor=w["county"], qualification=q).verified_by == w["county"]


def test_moves_follow_the_table(w):
    province, q = w["province"], w["claim"]
    services.qualification_verify(actor=province, qualification=q)
    with pytest.raises(Conflict) as err:
        services.qualification_verify(actor=province, qualification=q)
    assert err.value.code == "repeated_transition" and "请勿重复操作" in err.value.message
    # withdrawn later (the list was revised), then verified again
    assert (
        services.qualification_reject(actor=province, qualification=q, reason="已移出名单").status
        == "rejected"
    )
    with pytest.raises(Conflict):
        services.qualification_reject(actor=province, qualification=q, reason="再次")
    q = services.qualification_verify(actor=province, qualification=q)
    assert q.status == "verified"
    assert services.allowed_moves(actor=province, qualification=q) == ["rejected"]
    assert services.allowed_moves(actor=w["county"], qualification=q) == []
    assert services.allowed_moves(actor=w["ent_user"], qualification=q) == []


@pytest.mark.parametrize("decided", ["verified", "rejected"])
@pytest.mark.parametrize(
    "change",
    [
        {"valid_to": dt.date(2026, 6, 30)},
        {"valid_from": dt.date(2022, 1, 1)},
        {"kind": "provincial_specialized"},
        {"certificate_no": "另一个文号"},
        {"level": "provincial"},
        {"certificate": SimpleUploadedFile("新证书.pdf", b"%PDF-1.4 other")},
    ],
    ids=["valid_to", "valid_from", "kind", "certificate_no", "level", "certificate"],
)
def test_an_edit_of_what_was_vouched_for_sends_it_back(w, decided, change):
    q = w["claim"]
    if decided == "verified":
        services.qualification_verify(actor=w["province"], qualification=q)
    else:
        services.qualification_reject(actor=w["province"], qualification=q, reason="看不清")
    q = services.qualification_update(actor=w["ent_user"], qualification=q, data=change)
    q.refresh_from_db()
    assert (q.status, q.verified_by, q.verified_at, q.review_comment) == ("submitted", None, None, "")
    event = events_of(q, "update").get()
    assert event.before["status"]["id"] == decided and event.after["status"]["id"] == "submitted"


def test_saving_without_a_change_keeps_the_decision(w):
    q = services.qualification_verify(actor=w["province"], qualification=w["claim"])
    same = {"valid_to": q.valid_to, "certificate_no": q.certificate_no, "kind": q.kind}
    q = services.qualification_update(actor=w["ent_user"], qualification=q, data=same)
    q.refresh_from_db()
    assert q.status == "verified" and q.verified_by == w["province"]


@pytest.mark.parametrize(
    "forged",
    [{"status": "verified"}, {"verified_by": None}, {"verified_at": None}, {"list_document_no": "x"}],
)
def test_the_enterprise_can_never_set_the_state_through_the_service(w, forged):
    data = {"kind": "leading_goose", "valid_from": dt.date(2023, 1, 1), "valid_to": dt.date(2025, 12, 31)}
    with pytest.raises(InvalidInput) as err:
        services.qualification_create(actor=w["ent_user"], enterprise=w["ent"], data={**data, **forged})
    assert "不能修改的字段" in err.value.message
    with pytest.raises(InvalidInput):
        services.qualification_update(actor=w["ent_user"], qualification=w["claim"], data=forged)
    assert Qualification.objects.filter(enterprise=w["ent"]).count() == 1
    w["claim"].refresh_from_db()
    assert w["claim"].status == "submitted"


def test_a_new_claim_is_submitted_whoever_enters_it(w):
    data = {"kind": "leading_goose", "valid_from": dt.date(2023, 1, 1), "valid_to": dt.date(2025, 12, 31)}
    for actor in (w["ent_user"], w["county"], w["province"]):
        q = services.qualification_create(
            actor=actor, enterprise=w["ent"], data=data | {"certificate_no": actor.username}
        )
        assert q.status == "submitted" and q.verified_by is None


# ---------------------------------------------------------------------------------------------- the pages


def test_the_page_form_cannot_set_the_state(w):
    c = client_for(w["ent_user"])
    url = reverse("registry:qualification_create", args=[w["ent"].pk])
    page = c.get(url).content.decode()
    assert 'name="status"' not in page and 'name="verified_by"' not in page
    response = c.post(
        url,
        {
            "kind": "leading_goose",
            "level": "provincial",
            "valid_from": "2023-01-01",
            "valid_to": "2025-12-31",
            "status": "verified",
            "verified_by": w["province"].pk,
            "review_comment": "自己核验",
            "certificate": SimpleUploadedFile("证书.pdf", b"%PDF-1.4 anything"),
        },
    )
    assert response.status_code == 302
    q = Qualification.objects.get(enterprise=w["ent"], kind="leading_goose")
    assert (q.status, q.verified_by, q.review_comment) == ("submitted", None, "")
    # editing a rejected one with a forged state: the state is ignored, the edit sends it back
    services.qualification_reject(actor=w["province"], qualification=q, reason="证书不清晰")
    c.post(
        reverse("registry:qualification_edit", args=[q.pk]),
        {
            "kind": "leading_goose",
            "level": "provincial",
            "valid_from": "2023-01-01",
            "valid_to": "2025-12-31",
            "certificate_no": "新文号",
            "status": "verified",
        },
    )
    q.refresh_from_db()
    assert q.status == "submitted"


def test_the_enterprise_sees_each_state_and_the_rejection_reason(w):
    services.qualification_reject(actor=w["province"], qualification=w["claim"], reason="名单中查无此企业")
    QualificationFactory(enterprise=w["ent"], kind="leading_goose", status="verified")
    QualificationFactory(enterprise=w["ent"], kind="provincial_specialized", status="submitted")
    page = client_for(w["ent_user"]).get(reverse("registry:enterprise_detail", args=[w["ent"].pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "已驳回" in body and "驳回原因：名单中查无此企业" in body
    assert "已核验" in body and "待核验" in body
    assert "核验通过</button>" not in body  # no vouching buttons for the enterprise


def test_the_province_verifies_from_the_enterprise_page(w):
    c = client_for(w["province"])
    body = c.get(reverse("registry:enterprise_detail", args=[w["ent"].pk])).content.decode()
    assert reverse("registry:qualification_verify", args=[w["claim"].pk]) in body
    assert "csrfmiddlewaretoken" in body
    response = c.post(reverse("registry:qualification_verify", args=[w["claim"].pk]))
    assert response.status_code == 302 and response.url == reverse(
        "registry:enterprise_detail", args=[w["ent"].pk]
    )
    w["claim"].refresh_from_db()
    assert w["claim"].status == "verified"


def test_the_queue_lists_what_the_officer_may_vouch_for(w):
    other = EnterpriseFactory(region_id="410103")
    mine_green = QualificationFactory(
        enterprise=w["ent"], kind="green_factory", level="municipal", status="submitted"
    )
    theirs = QualificationFactory(enterprise=other, kind="leading_goose", status="submitted")
    QualificationFactory(enterprise=other, kind="provincial_specialized", status="verified")
    url = reverse("registry:qualification_queue")
    province_page = client_for(w["province"]).get(url).content.decode()
    assert w["ent"].name in province_page and other.name in province_page
    assert province_page.count("核验通过</button>") == 3  # the three waiting ones
    kind_page = client_for(w["province"]).get(url, {"kind": "leading_goose"}).content.decode()
    assert other.name in kind_page and w["ent"].name not in kind_page
    region_page = client_for(w["province"]).get(url, {"region": "410102"}).content.decode()
    assert w["ent"].name in region_page and other.name not in region_page
    done = client_for(w["province"]).get(url, {"status": "verified"}).content.decode()
    assert other.name in done and "省级专精特新中小企业" in done
    county_page = client_for(w["county"]).get(url).content.decode()
    assert reverse("registry:qualification_verify", args=[mine_green.pk]) in county_page
    assert reverse("registry:qualification_verify", args=[w["claim"].pk]) not in county_page  # province's
    assert reverse("registry:qualification_verify", args=[theirs.pk]) not in county_page  # other county
    for who in ("ent_user", "city"):
        assert client_for(w[who]).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to sign in


def test_the_queue_buttons_post_with_csrf_and_return_to_the_filtered_queue(w):
    c = Client(enforce_csrf_checks=True)
    c.force_login(w["province"])
    url = reverse("registry:qualification_queue")
    page = c.get(url, {"kind": "national_little_giant"})
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    verify = reverse("registry:qualification_verify", args=[w["claim"].pk])
    assert c.post(verify).status_code == 403  # no CSRF token
    assert c.get(verify).status_code == 405
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else c.cookies["csrftoken"].value
    response = c.post(
        reverse("registry:qualification_reject", args=[w["claim"].pk]),
        {"csrfmiddlewaretoken": token, "reason": "", "from": "queue", "query": "kind=national_little_giant"},
    )
    assert response.status_code == 302 and response.url == f"{url}?kind=national_little_giant"
    w["claim"].refresh_from_db()
    assert w["claim"].status == "submitted"  # no reason: nothing changed
    response = c.post(
        reverse("registry:qualification_reject", args=[w["claim"].pk]),
        {"csrfmiddlewaretoken": token, "reason": "证书过期", "from": "queue", "query": "//evil.example/x"},
    )
    assert response.url.startswith(url)
    w["claim"].refresh_from_db()
    assert (w["claim"].status, w["claim"].review_comment) == ("rejected", "证书过期")


def test_the_workbench_links_the_queue_for_those_who_may_vouch(w):
    url = reverse("registry:qualification_queue")
    for who, shown in (("province", True), ("county", True), ("city", False), ("ent_user", False)):
        assert (url in [link["url"] for link in links_for(w[who])]) is shown, who


# ---------------------------------------------------------------------------------------------- the API


def test_api_shows_the_state_read_only_and_verifies_through_the_same_services(w):
    owner = client_for(w["ent_user"])
    detail = owner.get(f"{API}/enterprises/{w['ent'].pk}").json()
    (q,) = detail["qualifications"]
    assert (q["status"], q["status_label"], q["counts_today"]) == ("submitted", "待核验", False)
    # the enterprise cannot vouch for itself
    assert (
        owner.post(
            f"{API}/qualifications/{w['claim'].pk}/verify", {}, content_type="application/json"
        ).status_code
        == 403
    )
    assert owner.get(f"{API}/qualifications").json()["total"] == 0
    province = client_for(w["province"])
    queue = province.get(f"{API}/qualifications").json()
    assert [(i["id"], i["actions"]) for i in queue["items"]] == [(w["claim"].pk, ["reject", "verify"])]
    bad = province.post(
        f"{API}/qualifications/{w['claim'].pk}/reject", {"reason": " "}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "reason" and "驳回原因" in bad.json()["detail"][0]["message"]
    forged = province.post(
        f"{API}/qualifications/{w['claim'].pk}/verify",
        {"status": "rejected"},
        content_type="application/json",
    )
    assert forged.status_code == 422  # unknown field
    ok = province.post(
        f"{API}/qualifications/{w['claim'].pk}/verify",
        {"comment": "核对无误"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "verified" and ok.json()["actions"] == ["reject"]
    again = province.post(f"{API}/qualifications/{w['claim'].pk}/verify", {}, content_type="application/json")
    assert again.status_code == 409
    assert (
        client_for(w["county"])
        .post(
            f"{API}/qualifications/{w['claim'].pk}/reject", {"reason": "x"}, content_type="application/json"
        )
        .status_code
        == 403
    )
    assert (
        client_for(w["other_county"])
        .post(
            f"{API}/qualifications/{w['claim'].pk}/reject", {"reason": "x"}, content_type="application/json"
        )
        .status_code
        == 404
    )


# ---------------------------------------------------------------------------------------------- Excel


def test_the_qualification_import_cannot_set_the_state(w):
    headers = ["统一社会信用代码", "资质类型", "有效期起", "有效期止", "核验状态", "核验人", "名单文号"]
    row = [
        w["ent"].uscc,
        "头雁企业",
        dt.date(2023, 1, 1),
        dt.date(2025, 12, 31),
        "已核验",
        "省工信厅",
        "豫工信〔2023〕1号",
    ]
    result = registry_excel.import_file(actor=w["ent_user"], kind="qualifications", file=xlsx([headers, row]))
    assert result.ok, result.errors
    q = Qualification.objects.get(enterprise=w["ent"], kind="leading_goose")
    assert (q.status, q.verified_by, q.list_document_no) == ("submitted", None, "")
    with pytest.raises(AccessDenied):  # the lists that verify are the province's
        registry_excel.import_file(actor=w["ent_user"], kind="qualification_lists", file=xlsx([headers, row]))


LIST_HEADERS = ["资质类型", "统一社会信用代码", "企业名称", "证书/文号", "有效期起", "有效期止", "名单文号"]
DOC = "工信部企业函〔2022〕135号"


def test_the_official_list_verifies_in_bulk(w):
    other = EnterpriseFactory(region_id="410302", name="洛阳轴承有限公司")
    lapsed = QualificationFactory(  # a claim of another period: untouched
        enterprise=w["ent"],
        kind="national_little_giant",
        valid_from=dt.date(2018, 1, 1),
        valid_to=dt.date(2020, 12, 31),
        status="submitted",
    )
    rows = [
        # overlaps the claim (2022-07-01 … 2025-06-30): verified, with the list's dates and number
        [
            "国家级专精特新“小巨人”企业",
            w["ent"].uscc,
            w["ent"].name,
            "",
            dt.date(2022, 7, 1),
            dt.date(2025, 6, 29),
            DOC,
        ],
        [
            "省级专精特新中小企业",
            other.uscc,
            "",
            "豫工信企业〔2023〕8号",
            dt.date(2023, 1, 1),
            dt.date(2025, 12, 31),
            DOC,
        ],
    ]
    result = registry_excel.import_file(
        actor=w["province"], kind="qualification_lists", file=xlsx([LIST_HEADERS, *rows])
    )
    assert result.ok, [e.message for e in result.errors]
    assert result.created == 2
    claim = Qualification.objects.get(pk=w["claim"].pk)
    assert (claim.status, claim.verified_by, claim.list_document_no) == ("verified", w["province"], DOC)
    assert claim.valid_to == dt.date(2025, 6, 29) and claim.certificate_no == "工信部企业函〔2022〕1号"
    created = Qualification.objects.get(enterprise=other)
    assert (created.kind, created.status, created.level, created.certificate_no) == (
        "provincial_specialized",
        "verified",
        "provincial",
        "豫工信企业〔2023〕8号",
    )
    lapsed.refresh_from_db()
    assert lapsed.status == "submitted"
    audits = AuditEvent.objects.filter(action="qualification.list_verify")
    assert audits.count() == 2
    updated = audits.get(target_id=str(claim.pk))
    assert updated.after["created"] is False and updated.after["before"]["status"] == "submitted"
    assert audits.get(target_id=str(created.pk)).after["created"] is True
    # the verified claim now reaches the calculator
    case = calculator_case(obj=ProjectFactory(enterprise=w["ent"]), item="3.1.3", as_of=dt.date(2024, 1, 1))
    assert case["applicant"]["qualifications"][0]["kind"] == "national_little_giant"


def test_the_list_import_is_all_or_nothing_with_row_errors(w):
    rows = [
        ["国家级专精特新“小巨人”企业", w["ent"].uscc, "", "", dt.date(2022, 7, 1), dt.date(2025, 6, 30), DOC],
        [
            "头雁企业",
            "91410100MA0000999X",
            "",
            "",
            dt.date(2022, 1, 1),
            dt.date(2024, 12, 31),
            DOC,
        ],  # bad code
        ["头雁企业", w["ent"].uscc, "别的企业", "", dt.date(2022, 1, 1), dt.date(2024, 12, 31), DOC],
        [
            "头雁企业",
            w["ent"].uscc,
            "",
            "",
            dt.date(2023, 1, 1),
            dt.date(2025, 12, 31),
            DOC,
        ],  # overlaps row 4
        ["头雁企业", w["ent"].uscc, "", "", dt.date(2026, 1, 1), dt.date(2025, 12, 31), ""],
    ]
    from .factories import valid_uscc

    rows[1][1] = valid_uscc(98765)  # valid, but no such enterprise
    result = registry_excel.import_file(
        actor=w["province"], kind="qualification_lists", file=xlsx([LIST_HEADERS, *rows])
    )
    assert not result.ok and result.error_file
    got = {(e.row, e.col): e.message for e in result.errors}
    assert "系统中没有该统一社会信用代码的企业" in got[(3, 2)]
    assert "企业名称与统一社会信用代码不符" in got[(4, 3)]
    assert "有效期重叠" in got[(5, 5)]
    assert got[(6, 6)] == "有效期止不能早于有效期起。"
    assert "必填" in got[(6, 7)]
    w["claim"].refresh_from_db()
    assert w["claim"].status == "submitted"  # nothing verified
    assert not AuditEvent.objects.filter(action="qualification.list_verify").exists()
    for who in ("county", "city", "ent_user"):
        with pytest.raises(AccessDenied):
            registry_excel.import_file(
                actor=w[who], kind="qualification_lists", file=xlsx([LIST_HEADERS, rows[0]])
            )
    assert [i.kind for i in registry_excel.importable_kinds(w["province"])].count("qualification_lists") == 1
    assert "qualification_lists" not in [i.kind for i in registry_excel.importable_kinds(w["county"])]


def test_the_list_template_downloads_for_the_province(w):
    c = client_for(w["province"])
    page = c.get(reverse("registry_excel:import", args=["qualification_lists"]))
    assert page.status_code == 200 and "名单文号" in page.content.decode()
    template = c.get(reverse("registry_excel:template", args=["qualification_lists"]))
    assert template.status_code == 200
    assert (
        client_for(w["county"])
        .get(reverse("registry_excel:template", args=["qualification_lists"]))
        .status_code
        == 403
    )


# ---------------------------------------------------------------------------------------------- in_henan


@pytest.fixture
def declared(w):
    Enterprise.objects.filter(pk=w["ent"].pk).update(in_henan_declared=True, in_henan_confirmed=None)
    w["ent"].refresh_from_db()
    return w


def test_the_county_confirms_the_declaration(declared):
    w = declared
    e = services.enterprise_confirm_in_henan(
        actor=w["county"], enterprise=w["ent"], confirmed=True, comment=""
    )
    assert (e.in_henan_confirmed, e.in_henan_confirmed_by, e.in_henan) == (True, w["county"], True)
    event = events_of(e, "confirm").get()
    assert event.before["in_henan_confirmed"] is None and event.after["in_henan_confirmed"] is True
    assert Notification.objects.filter(recipient=w["ent_user"], kind="enterprise.in_henan_checked").exists()
    with pytest.raises(Conflict):
        services.enterprise_confirm_in_henan(actor=w["county"], enterprise=w["ent"], confirmed=True)
    case = calculator_case(obj=ProjectFactory(enterprise=e), item="3.1.1", as_of=dt.date(2022, 6, 30))
    assert case["applicant"]["in_henan"] is True


def test_not_confirmed_needs_a_reason_and_counts_as_not_in_henan(declared):
    w = declared
    with pytest.raises(InvalidInput) as err:
        services.enterprise_confirm_in_henan(
            actor=w["county"], enterprise=w["ent"], confirmed=False, comment=""
        )
    assert "comment" in err.value.errors
    e = services.enterprise_confirm_in_henan(
        actor=w["province"], enterprise=w["ent"], confirmed=False, comment="生产基地在湖北"
    )
    assert (e.in_henan_confirmed, e.in_henan, e.in_henan_comment) == (False, False, "生产基地在湖北")
    assert events_of(e, "reject").exists()


def test_who_may_check_the_declaration(declared):
    w = declared
    for who, error in (("ent_user", AccessDenied), ("city", AccessDenied), ("other_county", NotFound)):
        with pytest.raises(error):
            services.enterprise_confirm_in_henan(actor=w[who], enterprise=w["ent"], confirmed=True)
    w["ent"].refresh_from_db()
    assert w["ent"].in_henan_confirmed is None


def test_an_undeclared_fact_cannot_be_checked(w):
    Enterprise.objects.filter(pk=w["ent"].pk).update(in_henan_declared=False, in_henan_confirmed=None)
    with pytest.raises(Conflict) as err:
        services.enterprise_confirm_in_henan(actor=w["county"], enterprise=w["ent"], confirmed=True)
    assert err.value.code == "not_declared"


def test_a_change_of_the_declaration_or_the_region_drops_the_check(declared):
    w = declared
    services.enterprise_confirm_in_henan(actor=w["county"], enterprise=w["ent"], confirmed=True)
    e = services.enterprise_update(
        actor=w["ent_user"], enterprise=w["ent"], data={"in_henan_declared": False}
    )
    assert (e.in_henan_declared, e.in_henan_confirmed, e.in_henan_confirmed_by) == (False, None, None)
    e = services.enterprise_update(actor=w["ent_user"], enterprise=e, data={"in_henan_declared": True})
    assert e.in_henan_confirmed is None and e.in_henan is False
    services.enterprise_confirm_in_henan(actor=w["county"], enterprise=e, confirmed=True)
    e = services.enterprise_update(actor=w["ent_user"], enterprise=e, data={"contact_person": "新联系人"})
    assert e.in_henan_confirmed is True  # other profile changes keep it
    from jigai.accounts.tests.factories import ensure_region

    e = services.enterprise_update(actor=w["city"], enterprise=e, data={"region": ensure_region("410105")})
    assert e.in_henan_confirmed is None  # moved to another county: that county checks again
    with pytest.raises(InvalidInput):  # only the enterprise declares
        services.enterprise_update(actor=w["city"], enterprise=e, data={"in_henan_declared": False})


def test_the_enterprise_declares_on_its_form_and_the_county_checks_on_the_page(w):
    Enterprise.objects.filter(pk=w["ent"].pk).update(in_henan_declared=False, in_henan_confirmed=None)
    owner = client_for(w["ent_user"])
    edit = reverse("registry:enterprise_edit", args=[w["ent"].pk])
    assert 'name="in_henan_declared"' in owner.get(edit).content.decode()
    assert 'name="in_henan_declared"' not in client_for(w["county"]).get(edit).content.decode()
    response = owner.post(edit, {"name": w["ent"].name, "in_henan_declared": "on"})
    assert response.status_code == 302
    detail = reverse("registry:enterprise_detail", args=[w["ent"].pk])
    assert "企业已声明，待县级核实" in owner.get(detail).content.decode()
    check = reverse("registry:enterprise_check_in_henan", args=[w["ent"].pk])
    assert check not in owner.get(detail).content.decode()
    county = client_for(w["county"])
    assert check in county.get(detail).content.decode()
    assert check not in client_for(w["city"]).get(detail).content.decode()
    assert owner.post(check, {"confirmed": "1"}).status_code == 403
    assert county.post(check, {"confirmed": "1"}).status_code == 302
    e = Enterprise.objects.get(pk=w["ent"].pk)
    assert e.in_henan is True and "县级已核实属实" in owner.get(detail).content.decode()


def test_registration_can_declare_in_henan():
    from jigai.accounts.tests.factories import PASSWORD, ensure_region

    from .factories import valid_uscc

    e, _user = services.enterprise_register(
        uscc=valid_uscc(4242),
        name="郑州声明科技有限公司",
        region=ensure_region("410102"),
        contact_person="李华",
        contact_phone="13912345678",
        username="shengming",
        password=PASSWORD,
        in_henan_declared=True,
    )
    assert (e.in_henan_declared, e.in_henan_confirmed, e.in_henan) == (True, None, False)


def test_api_checks_the_declaration(declared):
    w = declared
    url = f"{API}/enterprises/{w['ent'].pk}/in-henan-check"
    assert (
        client_for(w["ent_user"]).post(url, {"confirmed": True}, content_type="application/json").status_code
        == 403
    )
    bad = client_for(w["county"]).post(url, {"confirmed": False}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "comment"
    ok = client_for(w["county"]).post(
        url, {"confirmed": True, "comment": "现场核实"}, content_type="application/json"
    )
    assert ok.status_code == 200
    body = ok.json()
    assert (body["in_henan_declared"], body["in_henan_confirmed"], body["in_henan"]) == (True, True, True)


def test_the_queue_page_reads_a_fixed_number_of_queries(w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(w["province"])
    url = reverse("registry:qualification_queue")
    c.get(url)  # warm the session and the region choices

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(6):
        QualificationFactory(enterprise=EnterpriseFactory(), kind="leading_goose", status="submitted")
    assert queries() == few

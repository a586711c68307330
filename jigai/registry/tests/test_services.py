import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jigai.accounts.models import User
from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_user
from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from jigai.registry import services
from jigai.registry.models import (
    Enterprise,
    LibraryStatus,
    ProgressReport,
    Project,
    ProjectEvent,
    Qualification,
)
from jigai.registry.services.projects import TRANSITIONS

from .factories import EnterpriseFactory, PlatformFactory, ProductFactory, ProjectFactory, valid_uscc

pytestmark = pytest.mark.django_db

S = LibraryStatus


def events_of(obj):
    return AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


# ---------------------------------------------------------------------------------------------- registration


def register(**over):
    data = {
        "uscc": valid_uscc(901),
        "name": "郑州新材料科技有限公司",
        "region": ensure_region("410102"),
        "contact_person": "李华",
        "contact_phone": "13912345678",
        "username": "xincailiao",
        "password": PASSWORD,
        "industry_section": "C",
        "industry_division": "30",
    }
    data.update(over)
    return services.enterprise_register(**data)


def test_registration_leaves_enterprise_pending_and_account_inactive():
    enterprise, user = register()
    assert enterprise.status == "pending"
    assert user.is_active is False and user.role == "enterprise" and user.enterprise == enterprise
    assert user.check_password(PASSWORD)
    assert events_of(enterprise).filter(action="create").count() == 1


def test_registration_with_letter_first_code_is_accepted():
    body = "Y1410100MA9ABC12K"
    from jigai.registry.uscc import check_character

    enterprise, _ = register(uscc=body + check_character(body))
    assert enterprise.uscc.startswith("Y")


@pytest.mark.parametrize(
    "over, field, words",
    [
        ({"uscc": "91410100MAEUHUXQ72"}, "uscc", "校验位"),
        ({"password": "short"}, "password", "12"),
        ({"region": None}, "region", "请选择"),
        ({"contact_person": ""}, "contact_person", "联系人"),
        ({"industry_section": "A", "industry_division": "30"}, "industry_division", "不一致"),
    ],
)
def test_registration_errors_are_per_field_in_chinese_and_write_nothing(over, field, words):
    with pytest.raises(InvalidInput) as e:
        register(**over)
    assert any(words in m for m in e.value.errors[field]), e.value.errors
    assert not Enterprise.objects.filter(name="郑州新材料科技有限公司").exists()
    assert not User.objects.filter(username="xincailiao").exists()


def test_registration_refuses_city_level_region_and_duplicate_code_and_username():
    with pytest.raises(InvalidInput) as e:
        register(region=ensure_region("410100"))
    assert "region" in e.value.errors
    register()
    with pytest.raises(InvalidInput) as e:
        register(username="other")
    assert "已登记" in e.value.errors["uscc"][0]
    with pytest.raises(InvalidInput) as e:
        register(uscc=valid_uscc(902))
    assert "username" in e.value.errors


def test_county_confirms_and_the_account_becomes_active():
    enterprise, user = register()
    county = make_user("county", "410102")
    services.enterprise_confirm(actor=county, enterprise=enterprise)
    enterprise.refresh_from_db()
    user.refresh_from_db()
    assert enterprise.status == "confirmed" and user.is_active
    assert events_of(enterprise).filter(action="confirm", actor=county).exists()
    with pytest.raises(Conflict):
        services.enterprise_confirm(actor=county, enterprise=enterprise)  # repeated


def test_confirmation_outside_the_county_or_by_another_role_is_refused():
    enterprise, _ = register()
    with pytest.raises(NotFound):
        services.enterprise_confirm(actor=make_user("county", "410103"), enterprise=enterprise)
    with pytest.raises(AccessDenied):
        services.enterprise_confirm(actor=make_user("city", "410100"), enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.status == "pending"


def test_reject_needs_a_reason_and_keeps_the_account_inactive():
    enterprise, user = register()
    county = make_user("county", "410102")
    with pytest.raises(InvalidInput):
        services.enterprise_reject(actor=county, enterprise=enterprise, reason=" ")
    services.enterprise_reject(actor=county, enterprise=enterprise, reason="信用代码与营业执照不符")
    enterprise.refresh_from_db()
    user.refresh_from_db()
    assert enterprise.status == "rejected" and enterprise.review_comment == "信用代码与营业执照不符"
    assert not user.is_active
    assert events_of(enterprise).get(action="reject").comment == "信用代码与营业执照不符"


def test_enterprise_user_edits_own_profile_but_not_code_and_region():
    user = make_user("enterprise")
    services.enterprise_update(actor=user, enterprise=user.enterprise, data={"contact_person": "王五"})
    user.enterprise.refresh_from_db()
    assert user.enterprise.contact_person == "王五"
    assert events_of(user.enterprise).filter(action="update").exists()
    with pytest.raises(InvalidInput):
        services.enterprise_update(actor=user, enterprise=user.enterprise, data={"uscc": valid_uscc(5)})
    other = EnterpriseFactory()
    with pytest.raises(NotFound):
        services.enterprise_update(actor=user, enterprise=other, data={"contact_person": "x"})


# ------------------------------------------------------------------------------------------ qualifications


def test_qualification_upload_is_checked_by_content():
    user = make_user("enterprise")
    data = {
        "kind": "leading_goose",
        "level": "provincial",
        "valid_from": dt.date(2022, 1, 1),
        "valid_to": dt.date(2024, 12, 31),
    }
    fake = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(InvalidInput) as e:
        services.qualification_create(
            actor=user, enterprise=user.enterprise, data={**data, "certificate": fake}
        )
    assert "PDF、PNG 或 JPEG" in e.value.errors["certificate"][0]
    assert not Qualification.objects.exists()
    pdf = SimpleUploadedFile("证书.pdf", b"%PDF-1.4\n...")
    q = services.qualification_create(
        actor=user, enterprise=user.enterprise, data={**data, "certificate": pdf}
    )
    assert q.certificate.name.startswith("registry/qualifications/")
    with pytest.raises(InvalidInput) as e:
        services.qualification_update(actor=user, qualification=q, data={"valid_to": dt.date(2021, 1, 1)})
    assert "valid_to" in e.value.errors


# ---------------------------------------------------------------------------------------------- projects


def project_data(**over):
    data = {
        "name": "数控机床智能化改造",
        "category": "intelligent",
        "total_investment": Decimal("20000000"),
        "equipment_investment": Decimal("9000000"),
        "software_investment": Decimal("3000000"),
        "machine_purchase_investment": Decimal("0"),
        "planned_start": dt.date(2022, 1, 1),
        "planned_end": dt.date(2023, 6, 30),
    }
    data.update(over)
    return data


@pytest.fixture
def people():
    ent_user = make_user("enterprise")  # enterprise in 中原区 410102 (郑州)
    return {
        "ent": ent_user,
        "county": make_user("county", "410102"),
        "city": make_user("city", "410100"),
        "other_county": make_user("county", "410103"),
        "other_city": make_user("city", "410300"),
        "province": make_user("province"),
    }


def test_project_create_validates_and_audits(people):
    ent = people["ent"]
    with pytest.raises(InvalidInput) as e:
        services.project_create(
            actor=ent, enterprise=ent.enterprise, data=project_data(equipment_investment=Decimal("30000000"))
        )
    assert "设备投资与软件投资之和不能超过总投资" in e.value.errors["total_investment"][0]
    with pytest.raises(InvalidInput) as e:
        services.project_create(actor=ent, enterprise=ent.enterprise, data=project_data(zero_new_land=True))
    assert "added_floor_area" in e.value.errors
    assert not Project.objects.exists()
    p = services.project_create(actor=ent, enterprise=ent.enterprise, data=project_data())
    assert p.library_status == S.DRAFT
    assert events_of(p).filter(action="create").exists()


def test_reviewers_cannot_create_projects(people):
    with pytest.raises(AccessDenied):
        services.project_create(
            actor=people["county"], enterprise=people["ent"].enterprise, data=project_data()
        )


def test_full_library_path_with_events_and_audit(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise)
    services.project_submit(actor=people["ent"], project=p)
    services.project_approve(actor=people["county"], project=p, comment="材料齐全")
    services.project_approve(actor=people["city"], project=p)
    p.refresh_from_db()
    assert p.library_status == S.IN_LIBRARY and p.in_library_at is not None
    assert list(ProjectEvent.objects.filter(project=p).values_list("from_status", "to_status")) == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.COUNTY_CHECKED),
        (S.COUNTY_CHECKED, S.IN_LIBRARY),
    ]
    assert list(events_of(p).order_by("seq").values_list("action", flat=True)) == [
        "submit",
        "approve",
        "approve",
    ]


def test_repeated_move_is_refused_with_a_chinese_message(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise)
    services.project_submit(actor=people["ent"], project=p)
    with pytest.raises(Conflict) as e:
        services.project_submit(actor=people["ent"], project=p)
    assert "请勿重复" in e.value.message
    assert ProjectEvent.objects.filter(project=p).count() == 1


ROLES = ("ent", "county", "city")
ROLE_VALUE = {"ent": "enterprise", "county": "county", "city": "city"}


@pytest.mark.parametrize("state", list(S.values))
@pytest.mark.parametrize("role", ROLES)
def test_every_move_not_in_the_table_is_refused(people, state, role):
    """The table is the only source of legal moves: everything else is refused and changes nothing."""
    actor = people[role]
    for to in S.values:
        p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=state)
        legal = to in TRANSITIONS.get((state, ROLE_VALUE[role]), frozenset())
        try:
            services.project_transition(actor=actor, project=p, to_status=to, comment="意见")
        except (Conflict, AccessDenied):
            assert not legal, (state, role, to)
            p.refresh_from_db()
            assert p.library_status == state
        else:
            assert legal, (state, role, to)
            p.refresh_from_db()
            assert p.library_status == to


def test_return_needs_a_comment_voids_approvals_and_allows_edit_and_resubmit(people):
    ent, county, city = people["ent"], people["county"], people["city"]
    p = ProjectFactory(enterprise=ent.enterprise)
    services.project_submit(actor=ent, project=p)
    services.project_approve(actor=county, project=p)
    with pytest.raises(InvalidInput):
        services.project_return(actor=city, project=p, comment="")
    services.project_return(actor=city, project=p, comment="设备清单缺发票")
    p.refresh_from_db()
    assert p.library_status == S.RETURNED and p.library_comment == "设备清单缺发票"
    assert ProjectEvent.objects.get(project=p, to_status=S.COUNTY_CHECKED).voided
    services.project_update(actor=ent, project=p, data={"name": "补正后的项目"})
    services.project_transition(actor=ent, project=p, to_status=S.SUBMITTED)
    p.refresh_from_db()
    assert p.library_status == S.SUBMITTED and p.name == "补正后的项目"
    assert events_of(p).filter(action="resubmit").exists()
    assert events_of(p).get(action="return").comment == "设备清单缺发票"


def test_submitted_project_cannot_be_edited(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.SUBMITTED)
    with pytest.raises(Conflict):
        services.project_update(actor=people["ent"], project=p, data={"name": "x"})


def test_reviewer_of_another_region_gets_not_found(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.SUBMITTED)
    with pytest.raises(NotFound):
        services.project_approve(actor=people["other_county"], project=p)
    p.library_status = S.COUNTY_CHECKED
    p.save()
    with pytest.raises(NotFound):
        services.project_approve(actor=people["other_city"], project=p)


def test_construction_status_only_moves_forward(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.IN_LIBRARY)
    services.project_set_construction_status(actor=people["ent"], project=p, status="under_construction")
    with pytest.raises(Conflict):
        services.project_set_construction_status(actor=people["ent"], project=p, status="planned")
    with pytest.raises(Conflict):
        services.project_set_construction_status(actor=people["ent"], project=p, status="under_construction")


# ---------------------------------------------------------------------------------------------- progress


def in_library(people, **over):
    return ProjectFactory(
        enterprise=people["ent"].enterprise,
        library_status=S.IN_LIBRARY,
        total_investment=Decimal("1000000"),
        **over,
    )


def test_progress_cumulative_is_computed(people):
    from jigai.registry.selectors import progress_with_cumulative

    p = in_library(people)
    services.progress_report(
        actor=people["ent"], project=p, month=dt.date(2022, 3, 15), investment_completed=Decimal("300000")
    )
    services.progress_report(
        actor=people["ent"], project=p, month=dt.date(2022, 1, 1), investment_completed=Decimal("100000.50")
    )
    rows = progress_with_cumulative(project=p)
    assert [(r.month, r.cumulative) for r in rows] == [
        (dt.date(2022, 1, 1), Decimal("100000.50")),
        (dt.date(2022, 3, 1), Decimal("400000.50")),
    ]
    assert services.project_cumulative(p) == Decimal("400000.50")


def test_one_report_per_month(people):
    p = in_library(people)
    services.progress_report(
        actor=people["ent"], project=p, month=dt.date(2022, 3, 1), investment_completed=Decimal("1")
    )
    with pytest.raises(InvalidInput) as e:
        services.progress_report(
            actor=people["ent"], project=p, month=dt.date(2022, 3, 20), investment_completed=Decimal("2")
        )
    assert "已填报" in e.value.errors["month"][0]


def test_report_past_the_total_needs_a_reason(people):
    p = in_library(people)
    services.progress_report(
        actor=people["ent"], project=p, month=dt.date(2022, 1, 1), investment_completed=Decimal("900000")
    )
    with pytest.raises(InvalidInput) as e:
        services.progress_report(
            actor=people["ent"],
            project=p,
            month=dt.date(2022, 2, 1),
            investment_completed=Decimal("100000.01"),
        )
    assert "超过项目总投资" in e.value.errors["over_total_reason"][0]
    assert ProgressReport.objects.filter(project=p).count() == 1
    services.progress_report(
        actor=people["ent"], project=p, month=dt.date(2022, 2, 1), investment_completed=Decimal("100000")
    )
    r = services.progress_report(
        actor=people["ent"],
        project=p,
        month=dt.date(2022, 3, 1),
        investment_completed=Decimal("50000"),
        over_total_reason="设计变更，追加设备",
    )
    assert r.over_total_reason == "设计变更，追加设备"


def test_correcting_an_earlier_month_that_pushes_a_later_one_over_is_refused(people):
    p = in_library(people)
    jan = services.progress_report(
        actor=people["ent"], project=p, month=dt.date(2022, 1, 1), investment_completed=Decimal("400000")
    )
    services.progress_report(
        actor=people["ent"], project=p, month=dt.date(2022, 2, 1), investment_completed=Decimal("500000")
    )
    with pytest.raises(InvalidInput) as e:
        services.progress_update(actor=people["ent"], report=jan, investment_completed=Decimal("600000"))
    assert "investment_completed" in e.value.errors
    services.progress_update(actor=people["ent"], report=jan, investment_completed=Decimal("450000"))
    jan.refresh_from_db()
    assert jan.investment_completed == Decimal("450000")
    assert events_of(jan).filter(action="update").exists()


def test_progress_needs_an_in_library_project_and_no_future_month(people):
    p = ProjectFactory(enterprise=people["ent"].enterprise, library_status=S.SUBMITTED)
    with pytest.raises(Conflict):
        services.progress_report(
            actor=people["ent"], project=p, month=dt.date(2022, 1, 1), investment_completed=Decimal("1")
        )
    p = in_library(people)
    with pytest.raises(InvalidInput) as e:
        services.progress_report(
            actor=people["ent"],
            project=p,
            month=dt.date.today() + dt.timedelta(days=40),
            investment_completed=Decimal("1"),
        )
    assert "未来" in e.value.errors["month"][0]
    with pytest.raises(InvalidInput):
        services.progress_report(
            actor=people["ent"], project=p, month=dt.date(2022, 1, 1), investment_completed=Decimal("-1")
        )


def test_reviewers_do_not_report_progress(people):
    p = in_library(people)
    with pytest.raises(AccessDenied):
        services.progress_report(
            actor=people["county"], project=p, month=dt.date(2022, 1, 1), investment_completed=Decimal("1")
        )


# ---------------------------------------------------------------------------------------------- other objects


def test_platform_level_must_fit_its_kind(people):
    ent = people["ent"]
    with pytest.raises(InvalidInput) as e:
        services.platform_create(
            actor=ent,
            enterprise=ent.enterprise,
            data={"kind": "sme_service", "name": "服务平台", "level": "cultivation"},
        )
    assert "level" in e.value.errors
    p = services.platform_create(
        actor=ent,
        enterprise=ent.enterprise,
        data={"kind": "sme_service", "name": "服务平台", "level": "provincial"},
    )
    services.assessment_create(actor=ent, platform=p, data={"year": 2022, "rank": 2})
    with pytest.raises(InvalidInput):
        services.assessment_create(actor=ent, platform=p, data={"year": 2022, "rank": 1})
    internet = PlatformFactory(enterprise=ent.enterprise)
    with pytest.raises(InvalidInput):
        services.assessment_create(actor=ent, platform=internet, data={"year": 2022, "rank": 1})


def test_product_children_and_invoice_numbers(people):
    ent = people["ent"]
    product = services.product_create(
        actor=ent, enterprise=ent.enterprise, data={"kind": "first_set", "name": "盾构机"}
    )
    services.recognition_create(
        actor=ent, product=product, data={"level": "provincial", "recognized_on": dt.date(2022, 1, 1)}
    )
    with pytest.raises(InvalidInput):
        services.recognition_create(
            actor=ent, product=product, data={"level": "provincial", "recognized_on": dt.date(2022, 2, 1)}
        )
    policy = services.insurance_policy_create(
        actor=ent,
        product=product,
        data={"insured_amount": Decimal("20000000")},
        periods=[{"start": dt.date(2022, 1, 1), "months": 12, "premium": Decimal("700000")}],
    )
    assert policy.periods.count() == 1
    services.invoice_create(
        actor=ent,
        product=product,
        data={"number": "001", "invoice_date": dt.date(2022, 3, 1), "amount": Decimal("10")},
    )
    with pytest.raises(InvalidInput):
        services.invoice_create(
            actor=ent,
            product=product,
            data={"number": "001", "invoice_date": dt.date(2022, 3, 1), "amount": Decimal("10")},
        )
    with pytest.raises(InvalidInput):
        services.invoice_create(
            actor=ent,
            product=product,
            data={"number": "002", "invoice_date": dt.date(2022, 3, 1), "amount": Decimal("-1")},
        )


def test_invoices_carry_their_code_and_code_plus_number_is_the_identity(people, client):
    ent = people["ent"]
    product = ProductFactory(enterprise=ent.enterprise)
    day = {"invoice_date": dt.date(2022, 3, 1), "amount": Decimal("10")}
    inv = services.invoice_create(
        actor=ent, product=product, data={"code": " 4100221130 ", "number": "001", **day}
    )
    assert (inv.code, inv.number) == ("4100221130", "001")
    # the same number under another code (or none: a fully digital invoice) is another invoice
    services.invoice_create(actor=ent, product=product, data={"code": "4100221131", "number": "001", **day})
    services.invoice_create(actor=ent, product=product, data={"number": "001", **day})
    with pytest.raises(InvalidInput) as err:
        services.invoice_create(
            actor=ent, product=product, data={"code": "4100221130", "number": "001", **day}
        )
    assert "发票代码与号码" in err.value.errors["number"][0]
    with pytest.raises(InvalidInput):  # at most 20 characters
        services.invoice_create(actor=ent, product=product, data={"code": "1" * 21, "number": "009", **day})
    client.force_login(ent)
    url = reverse("registry:invoice_create", args=[product.pk])
    assert 'name="code"' in client.get(url).content.decode()
    client.post(url, {"code": "4100223344", "number": "777", "invoice_date": "2022-04-01", "amount": "5"})
    assert product.invoices.get(number="777").code == "4100223344"
    assert (
        "4100223344 / 777"
        in client.get(reverse("registry:product_detail", args=[product.pk])).content.decode()
    )


def test_other_enterprise_objects_cannot_be_changed(people):
    product = ProductFactory()  # another enterprise
    with pytest.raises(NotFound):
        services.product_update(actor=people["ent"], product=product, data={"name": "x"})
    with pytest.raises(AccessDenied):
        services.product_update(actor=make_user("expert"), product=product, data={"name": "x"})


def test_unconfirmed_enterprise_cannot_enter_data():
    enterprise, user = register()
    user.is_active = True  # even if the account were active
    user.save()
    with pytest.raises((AccessDenied, NotFound)):
        services.project_create(actor=user, enterprise=enterprise, data=project_data())


def test_reviewer_enters_a_confirmed_enterprise_of_their_region_only(people):
    data = {
        "uscc": valid_uscc(777),
        "name": "二七区机械厂",
        "region": ensure_region("410103"),
        "industry_section": "C",
        "industry_division": "34",
    }
    with pytest.raises(InvalidInput) as e:
        services.enterprise_create(actor=people["county"], data=data)  # 中原区 reviewer, 二七区 enterprise
    assert "本辖区" in e.value.errors["region"][0]
    assert not Enterprise.objects.filter(name="二七区机械厂").exists()
    created = services.enterprise_create(actor=people["city"], data=data)
    assert created.status == "confirmed"
    assert events_of(created).filter(action="create").exists()
    with pytest.raises(AccessDenied):
        services.enterprise_create(actor=people["ent"], data=data)

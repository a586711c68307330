import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jigai.accounts.models import User
from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_user
from jigai.registry.models import Enterprise, LibraryStatus, ProgressReport, Project, Qualification

from .factories import (
    EnterpriseFactory,
    PeriodFactory,
    PlatformFactory,
    ProductFactory,
    ProjectFactory,
    QualificationFactory,
    TitleFactory,
    valid_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ent_user():
    return make_user("enterprise")


@pytest.fixture
def objects(ent_user):
    e = ent_user.enterprise
    product = ProductFactory(enterprise=e)
    return {
        "enterprise": e,
        "project": ProjectFactory(enterprise=e, library_status=LibraryStatus.IN_LIBRARY),
        "product": product,
        "policy": PeriodFactory(policy__product=product).policy,
        "platform": PlatformFactory(
            enterprise=e, kind="sme_service", level="provincial", internet_status="none"
        ),
        "title": TitleFactory(enterprise=e),
        "qualification": QualificationFactory(enterprise=e),
    }


def detail_urls(o):
    return [
        reverse("registry:enterprise_detail", args=[o["enterprise"].pk]),
        reverse("registry:enterprise_edit", args=[o["enterprise"].pk]),
        reverse("registry:qualification_create", args=[o["enterprise"].pk]),
        reverse("registry:qualification_edit", args=[o["qualification"].pk]),
        reverse("registry:project_detail", args=[o["project"].pk]),
        reverse("registry:project_edit", args=[o["project"].pk]),
        reverse("registry:progress_create", args=[o["project"].pk]),
        reverse("registry:product_detail", args=[o["product"].pk]),
        reverse("registry:product_edit", args=[o["product"].pk]),
        reverse("registry:recognition_create", args=[o["product"].pk]),
        reverse("registry:policy_create", args=[o["product"].pk]),
        reverse("registry:period_create", args=[o["policy"].pk]),
        reverse("registry:invoice_create", args=[o["product"].pk]),
        reverse("registry:platform_detail", args=[o["platform"].pk]),
        reverse("registry:platform_edit", args=[o["platform"].pk]),
        reverse("registry:assessment_create", args=[o["platform"].pk]),
        reverse("registry:title_detail", args=[o["title"].pk]),
        reverse("registry:title_edit", args=[o["title"].pk]),
    ]


LIST_URLS = [
    "registry:portal",
    "registry:project_list",
    "registry:project_missing",
    "registry:product_list",
    "registry:platform_list",
    "registry:title_list",
]


def test_anonymous_is_sent_to_login(client, objects):
    for url in [reverse(n) for n in LIST_URLS] + detail_urls(objects):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_enterprise_user_reaches_every_page_of_its_objects(client, ent_user, objects):
    client.force_login(ent_user)
    for url in [reverse(n) for n in LIST_URLS] + [reverse("registry:project_create")] + detail_urls(objects):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-CN">' in response.content.decode()


@pytest.mark.parametrize(
    "who",
    [
        lambda: make_user("enterprise"),  # another enterprise in the same county
        lambda: make_user("county", "410103"),  # another county
        lambda: make_user("city", "410300"),  # another city
        lambda: make_user("expert"),
        lambda: make_user("bank"),
    ],
    ids=["other-enterprise", "other-county", "other-city", "expert", "bank"],
)
def test_out_of_scope_ids_answer_404(client, objects, who):
    user = who()
    client.force_login(user)
    refused = 403 if user.role == "bank" else 404  # the bank portal's wall answers first
    for url in detail_urls(objects):
        assert client.get(url).status_code == refused, url
    for kind, obj in (("qualification", objects["qualification"]),):
        assert client.post(reverse("registry:child_delete", args=[kind, obj.pk])).status_code == refused
    assert Qualification.objects.filter(pk=objects["qualification"].pk).exists()


@pytest.mark.parametrize(
    "who",
    [
        lambda: make_user("county", "410102"),
        lambda: make_user("city", "410100"),
        lambda: make_user("province"),
    ],
    ids=["county", "city", "province"],
)
def test_reviewers_in_scope_see_the_object_pages(client, objects, who):
    client.force_login(who())
    for url in [
        *detail_urls(objects)[:1],
        reverse("registry:project_detail", args=[objects["project"].pk]),
        reverse("registry:product_detail", args=[objects["product"].pk]),
        reverse("registry:platform_detail", args=[objects["platform"].pk]),
        reverse("registry:title_detail", args=[objects["title"].pk]),
        reverse("registry:enterprise_list"),
        reverse("registry:project_list"),
        reverse("registry:portal"),
    ]:
        assert client.get(url).status_code == 200, url


def test_registration_page_errors_per_field_then_success(client):
    url = reverse("register")
    assert client.get(url).status_code == 200
    data = {
        "uscc": "91410100MAEUHUXQ72",
        "name": "郑州智造有限公司",
        "region": "410102",
        "contact_person": "刘洋",
        "contact_phone": "13700000000",
        "username": "zhizao",
        "password": PASSWORD,
        "password2": PASSWORD + "x",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "两次输入的密码不一致" in body
    data["password2"] = PASSWORD
    response = client.post(url, data)
    assert "校验位不正确" in response.content.decode()
    assert not Enterprise.objects.filter(name="郑州智造有限公司").exists()
    data["uscc"] = "91410100MAEUHUXQ71"
    response = client.post(url, data)
    assert response.status_code == 200 and "注册已提交" in response.content.decode()
    user = User.objects.get(username="zhizao")
    assert not user.is_active and user.enterprise.status == "pending"


def test_county_queue_confirm_and_reject(client):
    pending = EnterpriseFactory(status="pending", region=ensure_region("410102"))
    other = EnterpriseFactory(status="pending", region=ensure_region("410102"))
    User.objects.create_user(
        username="p1", password=PASSWORD, role="enterprise", enterprise=pending, is_active=False
    )
    county = make_user("county", "410102")
    client.force_login(county)
    page = client.get(reverse("registry:enterprise_queue")).content.decode()
    assert pending.name in page and other.name in page
    client.post(reverse("registry:enterprise_confirm", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == "confirmed" and User.objects.get(username="p1").is_active
    client.post(reverse("registry:enterprise_reject", args=[other.pk]), {"reason": ""})
    other.refresh_from_db()
    assert other.status == "pending"
    client.post(reverse("registry:enterprise_reject", args=[other.pk]), {"reason": "材料不实"})
    other.refresh_from_db()
    assert other.status == "rejected"
    response = client.get(reverse("registry:enterprise_detail", args=[pending.pk]))
    assert "确认" in response.content.decode() and "操作记录" in response.content.decode()


def test_queue_is_for_counties_only(client):
    client.force_login(make_user("city", "410100"))
    assert client.get(reverse("registry:enterprise_queue")).status_code == 403
    client.force_login(make_user("enterprise"))
    assert client.get(reverse("registry:project_queue")).status_code == 403


def test_project_form_shows_chinese_errors_per_field(client, ent_user):
    client.force_login(ent_user)
    response = client.post(
        reverse("registry:project_create"),
        {
            "name": "",
            "category": "intelligent",
            "total_investment": "100",
            "equipment_investment": "200",
            "software_investment": "0",
            "machine_purchase_investment": "0",
            "planned_start": "2022-01-01",
            "planned_end": "2021-01-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "这个字段是必填项" in body or "必填" in body
    assert not Project.objects.exists()
    response = client.post(
        reverse("registry:project_create"),
        {
            "name": "技改项目",
            "category": "intelligent",
            "total_investment": "100",
            "equipment_investment": "200",
            "software_investment": "0",
            "machine_purchase_investment": "0",
            "planned_start": "2022-01-01",
            "planned_end": "2021-01-01",
        },
    )
    body = response.content.decode()
    assert "设备投资与软件投资之和不能超过总投资" in body
    assert "计划竣工日期不能早于计划开工日期" in body
    assert not Project.objects.exists()


def test_transitions_through_pages(client, ent_user):
    p = ProjectFactory(enterprise=ent_user.enterprise)
    url = reverse("registry:project_transition", args=[p.pk])
    client.force_login(ent_user)
    client.post(url, {"to_status": "submitted"})
    client.post(url, {"to_status": "submitted"})  # repeated: refused with a message
    p.refresh_from_db()
    assert p.library_status == "submitted" and p.events.count() == 1
    county = make_user("county", "410102")
    client.force_login(county)
    assert p.name in client.get(reverse("registry:project_queue")).content.decode()
    response = client.post(url, {"to_status": "returned", "comment": ""}, follow=True)
    assert "退回补正必须填写意见" in response.content.decode()
    client.post(url, {"to_status": "county_checked", "comment": "同意"})
    client.force_login(make_user("city", "410100"))
    client.post(url, {"to_status": "in_library"})
    p.refresh_from_db()
    assert p.library_status == "in_library"


def test_progress_form_over_total_needs_reason(client, ent_user):
    p = ProjectFactory(
        enterprise=ent_user.enterprise, library_status="in_library", total_investment=Decimal("1000")
    )
    client.force_login(ent_user)
    url = reverse("registry:progress_create", args=[p.pk])
    response = client.post(url, {"month": "2022-01", "investment_completed": "0.15"})
    assert response.status_code == 400
    assert "请填写超出原因" in response.content.decode()
    response = client.post(
        url, {"month": "2022-01", "investment_completed": "0.15", "over_total_reason": "追加投资"}
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=p)
    assert report.month == dt.date(2022, 1, 1)
    page = client.get(reverse("registry:project_detail", args=[p.pk])).content.decode()
    assert "2022年01月" in page and "0.15 万元" in page


def test_certificate_upload_through_the_form(client, ent_user):
    client.force_login(ent_user)
    url = reverse("registry:qualification_create", args=[ent_user.enterprise.pk])
    data = {
        "kind": "national_little_giant",
        "level": "national",
        "valid_from": "2022-07-01",
        "valid_to": "2025-06-30",
    }
    response = client.post(url, {**data, "certificate": SimpleUploadedFile("cert.pdf", b"GIF89a not a pdf")})
    assert response.status_code == 400 and "只接受 PDF、PNG 或 JPEG" in response.content.decode()
    assert not Qualification.objects.exists()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    response = client.post(url, {**data, "certificate": SimpleUploadedFile("cert.png", png)})
    assert response.status_code == 302
    q = Qualification.objects.get()
    assert q.certificate
    # editing other fields keeps the stored file
    edit = reverse("registry:qualification_edit", args=[q.pk])
    client.post(edit, {**data, "certificate_no": "工信部 2022-1"})
    q.refresh_from_db()
    assert q.certificate and q.certificate_no == "工信部 2022-1"


def test_list_page_filters_and_paginates_with_a_fixed_query_count(client, django_assert_max_num_queries):
    province = make_user("province")
    ents = [EnterpriseFactory(region=ensure_region(code)) for code in ("410102", "410103", "410302")]
    for i in range(25):
        ProjectFactory(enterprise=ents[i % 3], name=f"项目{i:02d}")
    client.force_login(province)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registry:project_list"))
    assert "第 1 / 2 页" in response.content.decode()
    response = client.get(reverse("registry:project_list"), {"q": "项目07"})
    assert "项目07" in response.content.decode() and "项目08" not in response.content.decode()
    response = client.get(reverse("registry:project_list"), {"region": "410300"})
    assert response.context["page"].paginator.count == 8


def test_htmx_filter_request_returns_the_page_with_results(client):
    client.force_login(make_user("province"))
    response = client.get(reverse("registry:enterprise_list"), {"q": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="results"' in response.content.decode()


def test_enterprise_user_creates_product_platform_title_through_pages(client, ent_user):
    client.force_login(ent_user)
    r = client.post(reverse("registry:product_create"), {"kind": "first_version", "name": "工业软件V1"})
    assert r.status_code == 302
    r = client.post(
        reverse("registry:platform_create"),
        {
            "kind": "industrial_internet",
            "name": "园区平台",
            "internet_status": "recognized",
            "level": "",
            "rd_pilot_equipment_investment": "0",
            "equipment_investment": "0",
            "service_revenue": "0",
        },
    )
    assert r.status_code == 302, r.content.decode()
    r = client.post(
        reverse("registry:title_create"),
        {"kind": "single_champion", "awarded_by": "miit", "awarded_on": "2022-01-10"},
    )
    assert r.status_code == 302
    assert client.get(reverse("registry:title_list")).content.decode().count("制造业单项冠军") >= 1


def test_valid_uscc_helper_is_valid():
    from jigai.registry.uscc import is_valid_uscc

    assert all(is_valid_uscc(valid_uscc(n)) for n in range(1, 50))

"""Administrator pages, the workbench and their permission matrix (NetBox style)."""

import pytest
from django.urls import reverse

from jigai.accounts import workbench
from jigai.accounts.models import LoginRecord, User
from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_enterprise, make_user

pytestmark = pytest.mark.django_db

NEW = "Luoyang@2025Jigai"


@pytest.fixture
def admin():
    return make_user(Role.ADMIN, username="sysadmin")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def sysadmin_urls(target):
    return [
        ("get", reverse("accounts:user_list")),
        ("get", reverse("accounts:user_create")),
        ("get", reverse("accounts:user_edit", args=[target.pk])),
        ("get", reverse("accounts:user_password_reset", args=[target.pk])),
        ("post", reverse("accounts:user_disable", args=[target.pk])),
        ("post", reverse("accounts:user_enable", args=[target.pk])),
    ]


def secadmin_urls(target):
    return [
        ("get", reverse("accounts:security_overview")),
        ("get", reverse("accounts:security_accounts")),
        ("post", reverse("accounts:user_unlock", args=[target.pk])),
        ("post", reverse("accounts:user_otp_reset", args=[target.pk])),
    ]


def auditadmin_urls(target):
    return [("get", reverse("accounts:login_log"))]


def admin_urls(target):
    return [*sysadmin_urls(target), *secadmin_urls(target), *auditadmin_urls(target)]


# The business: none of the three administrators may open it (三权分立, issue 12).
BUSINESS_PAGES = [
    "registry:project_queue",
    "funding:queue",
    "funding:guideline_list",
    "funding:decision_index",
    "funding:payment_list",
]
DUTIES = {Role.ADMIN: sysadmin_urls, Role.SECADMIN: secadmin_urls, Role.AUDITADMIN: auditadmin_urls}


def test_anonymous_is_sent_to_login(client):
    target = make_user(Role.EXPERT)
    for method, url in [
        *admin_urls(target),
        ("get", "/dashboard/"),
        ("get", reverse("accounts:password_change")),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


@pytest.mark.parametrize("role", [r for r in Role if r not in DUTIES])
def test_other_roles_are_refused(client, role):
    target = make_user(Role.EXPERT)
    actor = make_user(role)
    client.force_login(actor)
    for method, url in admin_urls(target):
        assert getattr(client, method)(url).status_code == 403, url
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("role", list(DUTIES))
def test_each_administrator_opens_their_pages_only(client, role):
    """三权分立: each administrator opens their own pages, is refused the other two's and the business."""
    target = make_user(Role.EXPERT)
    client.force_login(make_user(role))
    for method, url in DUTIES[role](target):
        if method == "get":
            assert client.get(url).status_code == 200, url
    for other, urls in DUTIES.items():
        if other != role:
            for method, url in urls(target):
                assert getattr(client, method)(url).status_code == 403, (role, url)
    for name in BUSINESS_PAGES:
        assert client.get(reverse(name)).status_code == 403, (role, name)
    # The library lists are scoped rather than gated: no row is an administrator's.
    enterprise = make_enterprise(name="三权分立测试企业有限公司")
    for name in ("registry:enterprise_list", "registry:project_list"):
        response = client.get(reverse(name))
        assert response.status_code in (200, 403) and enterprise.name not in response.content.decode()
    target.refresh_from_db()
    assert target.is_active


def test_admin_sees_every_page(admin_client):
    target = make_user(Role.EXPERT)
    for method, url in sysadmin_urls(target):
        if method == "get":
            assert admin_client.get(url).status_code == 200, url


def test_the_user_form_offers_no_administrator_role(admin_client):
    html = admin_client.get(reverse("accounts:user_create")).content.decode()
    assert 'value="province"' in html
    for role in DUTIES:
        assert f'value="{role.value}"' not in html
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "sneaky", "role": "secadmin", "password1": NEW, "password2": NEW, "is_active": "on"},
    )
    assert response.status_code == 200 and not User.objects.filter(username="sneaky").exists()


def test_the_system_admin_cannot_edit_an_administrator(admin_client):
    audit = make_user(Role.AUDITADMIN, username="shenji_t")
    assert admin_client.get(reverse("accounts:user_edit", args=[audit.pk])).status_code == 404
    assert admin_client.post(reverse("accounts:user_disable", args=[audit.pk])).status_code == 404
    html = admin_client.get(reverse("accounts:user_list")).content.decode()
    assert "shenji_t" in html and reverse("accounts:user_edit", args=[audit.pk]) not in html
    audit.refresh_from_db()
    assert audit.is_active


def test_unknown_user_id_is_404(admin_client):
    assert admin_client.get(reverse("accounts:user_edit", args=[999999])).status_code == 404
    assert admin_client.post(reverse("accounts:user_disable", args=[999999])).status_code == 404


def test_user_list_filters_and_search(admin_client):
    make_user(Role.COUNTY, "410102", username="zy", full_name="王中原")
    make_user(Role.CITY, "410100", username="zz", full_name="赵郑州")
    make_user(Role.CITY, "410300", username="ly", full_name="刘洛阳", is_active=False)
    url = reverse("accounts:user_list")

    def names(**params):
        page = admin_client.get(url, params).context["page"]
        return {u.username for u in page}

    assert {"zy", "zz", "ly", "sysadmin"} <= names()
    assert names(role="city") == {"zz", "ly"}
    assert names(region="410100") == {"zy", "zz"}  # 郑州 and its districts
    assert names(active="0") == {"ly"}
    assert names(q="洛阳") == {"ly"}
    assert names(q="zy") == {"zy"}
    html = admin_client.get(url, {"role": "city"}).content.decode()
    assert "赵郑州" in html and "王中原" not in html


def test_user_list_paginates_with_constant_queries(admin_client, django_assert_max_num_queries):
    for i in range(60):
        make_user(Role.EXPERT, username=f"expert{i:02d}")
    url = reverse("accounts:user_list")
    with django_assert_max_num_queries(12):
        first = admin_client.get(url)
    assert len(first.context["page"]) == 50
    second = admin_client.get(url, {"page": 2})
    assert len(second.context["page"]) == 11
    assert "第 1 / 2 页" in first.content.decode()


def form_data(**overrides):
    data = {
        "username": "kf_county",
        "full_name": "开封县级",
        "phone": "13900000000",
        "email": "",
        "role": "county",
        "region": "410102",
        "enterprise_uscc": "",
        "is_active": "on",
        "password1": NEW,
        "password2": NEW,
    }
    data.update(overrides)
    return data


def test_create_user_page(admin_client):
    ensure_region("410102")
    response = admin_client.post(reverse("accounts:user_create"), form_data())
    assert response.status_code == 302
    user = User.objects.get(username="kf_county")
    assert user.region_id == "410102" and user.must_change_password


def test_create_user_page_shows_chinese_errors_per_field(admin_client):
    ensure_region("410100")
    response = admin_client.post(
        reverse("accounts:user_create"),
        form_data(region="410100", password1="abcdefghijkl", password2="abcdefghijkl", phone="12"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["region"] == ["县级工信部门用户的所属区划必须是县级区划。"]
    assert "密码须至少包含大写字母、小写字母、数字、符号中的三种。" in form.errors["password1"]
    assert form.errors["phone"] == ["请输入11位手机号码。"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.filter(username="kf_county").exists()


def test_create_enterprise_user_by_credit_code(admin_client):
    ent = make_enterprise("410102")
    url = reverse("accounts:user_create")
    missing = admin_client.post(url, form_data(role="enterprise", region=""))
    assert missing.context["form"].errors["enterprise_uscc"] == ["企业用户必须选择所属企业。"]
    unknown = admin_client.post(
        url, form_data(role="enterprise", region="", enterprise_uscc="91410100MA0000000X")
    )
    assert "未找到该统一社会信用代码对应的企业" in unknown.context["form"].errors["enterprise_uscc"][0]
    ok = admin_client.post(url, form_data(role="enterprise", region="", enterprise_uscc=ent.uscc.lower()))
    assert ok.status_code == 302
    assert User.objects.get(username="kf_county").enterprise == ent


def test_edit_user_page(admin_client):
    user = make_user(Role.COUNTY, "410102", username="zy")
    ensure_region("410100")
    url = reverse("accounts:user_edit", args=[user.pk])
    page = admin_client.get(url)
    assert page.context["form"].initial["region"].pk == "410102"
    data = form_data(username="zy", role="city", region="410100")
    del data["password1"], data["password2"]
    assert admin_client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert (user.role, user.region_id) == ("city", "410100")


def test_disable_from_list_page_logs_user_out(admin_client):
    from django.test import Client

    user = make_user(Role.COUNTY, "410102", username="zy")
    victim = Client()
    victim.force_login(user)
    assert victim.get("/dashboard/").status_code == 200
    response = admin_client.post(reverse("accounts:user_disable", args=[user.pk]), follow=True)
    assert "已停用 zy" in response.content.decode()
    assert victim.get("/dashboard/").status_code == 302


def test_disable_self_is_refused(admin_client, admin):
    # An administrator's own account is outside what the user pages change (三权分立): not found.
    assert admin_client.post(reverse("accounts:user_disable", args=[admin.pk])).status_code == 404
    admin.refresh_from_db()
    assert admin.is_active


def test_a_refused_user_action_is_a_message_and_changes_nothing(admin_client):
    """The enable / disable buttons go through jigai.core.errors.run_for_page: a refusal (here a repeated
    move) is an error message on the list, with no success message; a missing account is the 404 page."""
    user = make_user(Role.COUNTY, "410102", username="zy")
    response = admin_client.post(reverse("accounts:user_enable", args=[user.pk]), follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "该账号已是启用状态" in body and "已启用 zy" not in body
    user.refresh_from_db()
    assert user.is_active
    assert admin_client.post(reverse("accounts:user_disable", args=[999999])).status_code == 404


def test_reset_password_page(admin_client):
    user = make_user(Role.EXPERT, username="ex")
    url = reverse("accounts:user_password_reset", args=[user.pk])
    weak = admin_client.post(url, {"password1": "short", "password2": "short"})
    assert "密码太短" in weak.content.decode()
    assert admin_client.post(url, {"password1": NEW, "password2": NEW}).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW) and user.must_change_password


def test_reset_own_password_goes_to_the_change_page(admin_client, admin):
    response = admin_client.get(reverse("accounts:user_password_reset", args=[admin.pk]))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")


def test_login_log_page_filters(client):
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(make_user(Role.AUDITADMIN))
    make_user(Role.EXPERT, username="ex")
    client.post("/accounts/login/", {"username": "ex", "password": "wrong"})
    client.post("/accounts/login/", {"username": "ex", "password": PASSWORD})
    url = reverse("accounts:login_log")
    html = admin_client.get(url).content.decode()
    assert "登录失败" in html and "登录成功" in html and "密码错误" in html
    assert [r.kind for r in admin_client.get(url, {"success": "0"}).context["page"]] == ["failed"]
    assert [r.kind for r in admin_client.get(url, {"kind": "login", "username": "ex"}).context["page"]] == [
        "login"
    ]
    assert LoginRecord.objects.filter(username="ex").count() == 2


def test_login_records_are_scoped():
    ex = make_user(Role.EXPERT)
    other = make_user(Role.EXPERT)
    admin = make_user(Role.AUDITADMIN)
    mine = LoginRecord.objects.create(user=ex, username=ex.username, kind="login", success=True)
    LoginRecord.objects.create(user=other, username=other.username, kind="login", success=True)
    assert list(LoginRecord.objects.restrict(ex)) == [mine]
    assert LoginRecord.objects.restrict(admin).count() == 2
    assert not LoginRecord.objects.restrict(admin, "change").exists()
    sysadmin = make_user(Role.ADMIN)
    assert not LoginRecord.objects.restrict(sysadmin).exclude(user=sysadmin).exists()


# ----------------------------------------------------------------------------- workbench


def test_workbench_shows_only_the_roles_links(client):
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    html = client.get("/dashboard/").content.decode()
    assert "用户管理" in html and "登录日志" not in html and "修改密码" in html
    client.force_login(make_user(Role.AUDITADMIN))
    html = client.get("/dashboard/").content.decode()
    assert "登录日志" in html and "用户管理" not in html and "账号安全" not in html
    client.force_login(make_user(Role.SECADMIN))
    html = client.get("/dashboard/").content.decode()
    assert "账号安全" in html and "安全策略" in html and "用户管理" not in html
    county = make_user(Role.COUNTY)
    client.force_login(county)
    html = client.get("/dashboard/").content.decode()
    assert "修改密码" in html and "用户管理" not in html


def test_workbench_links_are_data_and_skip_missing_urls(monkeypatch):
    links = []  # a clean registry: other apps' links are not this test's business
    monkeypatch.setattr(workbench, "WORKBENCH_LINKS", links)
    links.append(("county", "不存在的页面", "nowhere:missing"))
    links.append(("county", "首页测试", "web:home"))
    workbench.register(["city", "county"], "计算器", "web:calculator", group="工具")
    workbench.register(["city", "county"], "计算器", "web:calculator", group="工具")  # twice: kept once
    workbench.register(workbench.ALL, "修改密码", "accounts:password_change", group="我的账号")
    county = make_user(Role.COUNTY)
    assert [link["label"] for link in workbench.links_for(county)] == ["首页测试", "计算器", "修改密码"]
    assert [link["label"] for link in workbench.links_for(make_user(Role.CITY))] == ["计算器", "修改密码"]
    assert [link["label"] for link in workbench.links_for(make_user(Role.BANK))] == ["修改密码"]
    groups = dict(workbench.grouped_links_for(county))
    assert [link["label"] for link in groups["工具"]] == ["计算器"]
    assert groups["工具"][0]["url"] == reverse("web:calculator")
    assert workbench.links_for(None) == []


def test_dashboard_shows_recent_logins(client):
    make_user(Role.EXPERT, username="ex")
    client.post("/accounts/login/", {"username": "ex", "password": PASSWORD}, REMOTE_ADDR="10.8.8.8")
    html = client.get("/dashboard/").content.decode()
    assert "最近登录" in html and "10.8.8.8" in html


def test_login_redirects_to_next(client):
    make_user(Role.EXPERT, username="ex")
    response = client.post(
        "/accounts/login/?next=/accounts/password/",
        {"username": "ex", "password": PASSWORD, "next": "/accounts/password/"},
    )
    assert response.url == "/accounts/password/"
    evil = client.post(
        "/accounts/login/", {"username": "ex", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert evil.status_code == 302


def test_locked_accounts_are_shown_and_the_security_admin_unlocks_them(admin_client):
    from django.test import Client

    user = make_user(Role.EXPERT, username="ex")
    other = Client()
    for _ in range(5):
        other.post("/accounts/login/", {"username": "ex", "password": "wrong"})
    response = admin_client.get(reverse("accounts:user_list"))
    assert response.context["locked"] == {"ex"}
    assert "已锁定" in response.content.decode()
    assert reverse("accounts:user_unlock", args=[user.pk]) not in response.content.decode()
    assert admin_client.post(reverse("accounts:user_unlock", args=[user.pk])).status_code == 403
    security = Client()
    security.force_login(make_user(Role.SECADMIN, username="anquan_t"))
    url = reverse("accounts:security_accounts")
    response = security.get(url, {"state": "locked"})
    assert [u.username for u in response.context["page"]] == ["ex"]
    assert reverse("accounts:user_unlock", args=[user.pk]) in response.content.decode()
    done = security.post(reverse("accounts:user_unlock", args=[user.pk]), follow=True)
    assert "已解除 ex 的登录锁定" in done.content.decode()
    assert done.context["locked"] == set()
    assert other.post("/accounts/login/", {"username": "ex", "password": PASSWORD}).status_code == 302
    from jigai.audit.selectors import audit_history

    event = audit_history(obj=user).first()
    assert event.action == "unlock" and event.actor.username == "anquan_t"

"""`jigai demo`: coverage of every city and county, valid codes, one working account per role, idempotent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory

from jigai.accounts.models import User
from jigai.accounts.roles import Role
from jigai.regions.models import Region
from jigai.registry import demo
from jigai.registry.models import (
    CALCULATOR_QUALIFICATIONS,
    Enterprise,
    InsurancePeriod,
    LibraryStatus,
    Platform,
    ProgressReport,
    Project,
    Qualification,
    SalesInvoice,
    Title,
)
from jigai.registry.uscc import is_valid_uscc

pytestmark = pytest.mark.django_db

N = 250


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def built():
    return run("--enterprises", str(N))


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Enterprise, Qualification, Project, ProgressReport, Platform, Title, InsurancePeriod, User)
    }


def test_demo_covers_every_city_and_county_with_valid_enterprises(built):
    assert Enterprise.objects.count() == N
    assert mail.outbox == []  # the services the builders drive mail nobody made up
    units = Region.objects.filter(level__in=["county", "zone"]).values_list("code", flat=True)
    used = set(Enterprise.objects.values_list("region_id", flat=True))
    assert set(units) <= used  # every county and statistics zone
    assert "419001" in used  # Jiyuan
    for city in Region.objects.filter(level="city"):
        assert Enterprise.objects.filter(region__path__startswith=city.path).exists(), city.name
    for uscc, region in Enterprise.objects.values_list("uscc", "region_id"):
        assert is_valid_uscc(uscc) and uscc[2:8] == region
    assert set(Enterprise.objects.values_list("industry_section", flat=True)) == {"C"}


def test_demo_builds_the_registry_objects(built):
    assert Qualification.objects.filter(kind="provincial_specialized").exists()
    assert Qualification.objects.filter(kind="national_little_giant").exists()
    assert set(Project.objects.values_list("category", flat=True)) == {
        "high_end",
        "intelligent",
        "green",
        "service",
    }
    assert ProgressReport.objects.exists()
    # progress only for projects in the library, never past the total investment
    assert not ProgressReport.objects.exclude(project__library_status=LibraryStatus.IN_LIBRARY).exists()
    for p in Project.objects.filter(library_status=LibraryStatus.IN_LIBRARY).prefetch_related(
        "progress_reports"
    ):
        assert sum(r.investment_completed for r in p.progress_reports.all()) <= p.total_investment
    assert InsurancePeriod.objects.exists() and SalesInvoice.objects.exists()
    featured = User.objects.get(username="qiye").enterprise
    assert featured.name == "洛阳华创重型机械股份有限公司" and featured.region_id == "410305"
    assert featured.projects.count() == 3 and featured.qualifications.exists()


def test_every_role_has_a_demo_user_who_can_sign_in(built):
    roles = set()
    for username, role, *_ in demo.DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.role == role and not user.must_change_password
        client = Client()
        assert client.login(request=RequestFactory().get("/"), username=username, password=demo.DEMO_PASSWORD)
        roles.add(role)
    assert roles == set(Role)
    assert User.objects.filter(role=Role.FINANCE).count() == 2  # maker and checker
    county = User.objects.get(username="xianji")
    enterprise_user = User.objects.get(username="qiye")
    assert county.region_id == enterprise_user.enterprise.region_id
    assert User.objects.get(username="shiji").region_id == county.region.parent_id
    assert "| qiye | 企业用户 | Jigai@2026demo |" in built


def test_rerun_is_idempotent_and_reset_rebuilds_the_same_data(built):
    before = counts()
    names = sorted(Enterprise.objects.values_list("name", flat=True))
    out = run("--enterprises", str(N))
    assert "演示数据已存在，跳过" in out
    assert counts() == before
    out = run("--enterprises", str(N), "--reset")
    assert "演示数据已生成" in out
    assert counts() == before
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == names  # same seed, same data


def test_reset_keeps_real_enterprises(built):
    from jigai.registry.tests.factories import EnterpriseFactory

    real = EnterpriseFactory(region_id="410102")
    run("--enterprises", str(N), "--reset")
    assert Enterprise.objects.filter(pk=real.pk).exists()
    assert demo.demo_enterprises().count() == N


def test_readme_table_matches_the_demo_accounts():
    text = (Path(__file__).resolve().parents[2] / "web" / "DEMO_USERS.md").read_text(encoding="utf-8")
    assert demo.users_table() in text


def test_demo_qualifications_are_vouched_for_except_a_few(built):
    """Verified by the province demo officer, except a few left for the queues and one rejected; every
    enterprise's 研发、生产在河南省内 declared and checked except two."""
    province, county = User.objects.get(username="shengting"), User.objects.get(username="xianji")
    quals = Qualification.objects.all()
    assert quals.filter(status="verified", verified_by=province).count() >= quals.count() - 6
    pending = quals.filter(status="submitted")
    assert pending.count() >= 4
    assert quals.filter(status="rejected").exclude(review_comment="").count() == 1
    featured = User.objects.get(username="qiye").enterprise
    assert not featured.qualifications.filter(kind__in=CALCULATOR_QUALIFICATIONS).exclude(status="verified")
    assert featured.in_henan and featured.in_henan_confirmed_by == county
    assert Enterprise.objects.filter(in_henan_confirmed=True).count() == N - 2
    assert Enterprise.objects.filter(in_henan_declared=True, in_henan_confirmed__isnull=True).count() == 1
    assert Enterprise.objects.filter(in_henan_declared=False).count() == 1
    client = Client()
    client.force_login(province)
    assert client.get("/registry/qualifications/queue/").content.decode().count("核验通过</button>") >= 4
    client.force_login(county)  # the featured enterprise's 市级 green factory waits for the county
    county_queue = client.get("/registry/qualifications/queue/").content.decode()
    assert county_queue.count("核验通过</button>") == 1 and featured.name in county_queue

"""The workbench (/dashboard/): each role's tiles count what waits for it and link to the filtered queue; the
latest messages; the charts' place for the province and the leader; a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jigai.accounts.tests.factories import make_enterprise, make_user
from jigai.accounts.workbench import counters_for
from jigai.funding.models import AppStatus
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification
from jigai.registry.models import Project

pytestmark = pytest.mark.django_db

CHARTS = 'data-testid="charts-panel"'  # the labelled place of the charts (filled by monitoring)


def tiles(client, user) -> dict[str, tuple[int, str]]:
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    found = re.findall(
        r'<a href="([^"]+)" class="[^"]*" data-testid="counter"><span class="count">(\d+)</span>'
        r'<span class="label">([^<]+)</span></a>',
        html,
    )
    return {label: (int(n), url.replace("&amp;", "&")) for url, n, label in found}


@pytest.fixture
def cast():
    return f.Cast()


@pytest.fixture
def apps(cast):
    """Applications in 中原区: 2 submitted, 1 county-approved, 1 city-recommended; a draft elsewhere."""
    g = f.guideline(actor=cast.province)
    made = [f.submitted(f.enterprise_user(), g) for _ in range(4)]
    f.to_status(made[2], AppStatus.COUNTY_APPROVED, cast)
    f.to_status(made[3], AppStatus.CITY_RECOMMENDED, cast)
    owner = f.enterprise_user()
    f.draft(owner, g)
    return {"guideline": g, "owner": owner}


def test_county_tiles_count_its_region(client, cast, apps):
    make_enterprise("410102", status="pending")
    make_enterprise("410102", status="pending")
    make_enterprise("410105", status="pending")  # 金水区: not this county's
    Project.objects.filter(pk=f.project(f.enterprise()).pk).update(library_status="submitted")
    t = tiles(client, cast.county)
    assert t["待初审"] == (2, "/funding/?status=submitted")
    assert t["待确认企业"][0] == 2
    assert t["待审核项目"][0] == 1
    other = make_user("county", "410105")
    assert tiles(client, other)["待初审"][0] == 0


def test_city_and_province_tiles(client, cast, apps):
    assert tiles(client, cast.city)["待推荐"] == (1, "/funding/?status=county_approved")
    t = tiles(client, cast.province)
    assert t["待形式审查"] == (1, "/funding/?status=city_recommended")
    assert t["待决策"][0] == 0 and t["公示中"][0] == 0
    assert "资质待核验" in t


def test_province_qualifications_to_verify(client, cast):
    ent = f.enterprise()
    today = dt.date.today()
    f.qualification(ent, "leading_goose", valid_from=today, valid_to=today, verified=False)
    f.qualification(ent, "leading_goose", valid_from=today, valid_to=today, verified=True)
    assert tiles(client, cast.province)["资质待核验"] == (1, "/registry/qualifications/queue/")


def test_enterprise_tiles(client, apps):
    t = tiles(client, apps["owner"])
    assert t["草稿"] == (1, "/funding/?status=draft")
    assert t["退回补正"][0] == 0
    assert "上月待报进度" in t


def test_expert_and_finance_tiles(client, cast, apps):
    assert tiles(client, cast.experts[0])["待评分"][0] == 0
    t = tiles(client, cast.finance[0])
    assert t["待录入拨付"][0] == 0 and t["待复核拨付"][0] == 0


def test_expert_unscored_assignments_count(client, cast, apps):
    from jigai.funding import services
    from jigai.funding.models import Application

    app = Application.objects.get(status=AppStatus.CITY_RECOMMENDED)
    f.to_status(app, AppStatus.FORMAL_CHECKED, cast)
    services.expert_assign(actor=cast.province, application=app, experts=cast.experts)
    assert tiles(client, cast.experts[0])["待评分"][0] == 1


def test_every_tile_url_opens_for_its_role(client, cast, apps):
    for user in (cast.county, cast.city, cast.province, cast.experts[0], cast.finance[0], apps["owner"]):
        client.force_login(user)
        for tile in counters_for(user):
            assert client.get(tile["url"]).status_code == 200, (user.role, tile)


def test_recent_messages_and_charts_panel(client, cast):
    for i in range(7):
        Notification.objects.create(recipient=cast.province, kind="test", title=f"消息{i}")
    Notification.objects.create(recipient=cast.county, kind="test", title="别人的消息")
    client.force_login(cast.province)
    html = client.get("/dashboard/").content.decode()
    assert "最新消息" in html and "消息6" in html and "消息2" in html and "消息1" not in html
    assert "别人的消息" not in html
    assert CHARTS in html
    client.force_login(make_user("leader"))
    assert CHARTS in client.get("/dashboard/").content.decode()
    client.force_login(cast.county)
    html = client.get("/dashboard/").content.decode()
    assert CHARTS not in html and "别人的消息" in html


@pytest.mark.parametrize("role", ["county", "city", "province", "expert", "finance", "enterprise", "leader"])
def test_dashboard_queries_are_bounded(client, django_assert_max_num_queries, cast, apps, role):
    user = {
        "county": cast.county,
        "city": cast.city,
        "province": cast.province,
        "expert": cast.experts[0],
        "finance": cast.finance[0],
        "enterprise": apps["owner"],
    }.get(role) or make_user(role)
    client.force_login(user)
    # One query per tile of every area (funding, registry, monitoring, supervision, financing, land, matching)
    # plus the session, the user and the second factor: bounded by the tiles, never by the rows.
    with django_assert_max_num_queries(30):
        assert client.get("/dashboard/").status_code == 200

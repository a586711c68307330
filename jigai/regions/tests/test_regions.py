"""The Henan region tree: loaded into every database by migration 0002, kept by `jigai load_regions`."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jigai.audit.models import AuditEvent
from jigai.regions import selectors
from jigai.regions.loader import RegionFileError, read_region_file, sync_regions
from jigai.regions.models import Region, RegionLevel

# Verified city by city against GB/T 2260 (2021 onwards: 洛阳 偃师区 410307 and 孟津区 410308 replace
# 偃师市, 孟津县 and 吉利区): 54 districts + 20 county-level cities + 82 counties = 156 under the 17 cities;
# with Jiyuan (419001) that is Henan's 157 county-level units.
COUNTIES = 156
COUNTIES_PER_CITY = {
    "410100": 12, "410200": 9, "410300": 14, "410400": 10, "410500": 9, "410600": 5, "410700": 12,
    "410800": 10, "410900": 6, "411000": 6, "411100": 5, "411200": 6, "411300": 13, "411400": 9,
    "411500": 10, "411600": 10, "411700": 10, "419001": 0,
}  # fmt: skip
ZONES = {
    "410171", "410172", "410173", "410371", "410471", "410472", "410571", "410671", "410771", "410772",
    "410773", "410871", "410971", "410972", "411071", "411171", "411271", "411371", "411372", "411471",
    "411472", "411571", "411671", "411771",
}  # fmt: skip

pytestmark = pytest.mark.django_db


def test_province_cities_and_jiyuan():
    assert Region.objects.get(code="410000").level == RegionLevel.PROVINCE
    codes = list(selectors.cities().values_list("code", flat=True))
    assert len(codes) == 18  # 17 cities + 济源示范区
    assert "419001" in codes and "419000" not in codes
    jiyuan = Region.objects.get(code="419001")
    assert (jiyuan.name, jiyuan.level, jiyuan.parent_id, jiyuan.path) == (
        "济源示范区",
        "city",
        "410000",
        "410000/419001",
    )
    assert not jiyuan.children.exists()


def test_county_count_and_per_city_counts():
    assert Region.objects.filter(level=RegionLevel.COUNTY).count() == COUNTIES
    assert Region.objects.filter(level=RegionLevel.COUNTY).count() + 1 == 157  # + Jiyuan
    for city in selectors.cities():
        assert selectors.counties_of(city).count() == COUNTIES_PER_CITY[city.code], city.name


def test_kinds_of_county_level_units():
    names = list(Region.objects.filter(level=RegionLevel.COUNTY).values_list("name", flat=True))
    assert sum(n.endswith("区") for n in names) == 54
    assert sum(n.endswith("市") for n in names) == 20
    assert sum(n.endswith("县") for n in names) == 82


@pytest.mark.parametrize(
    "code,name,parent",
    [
        ("410102", "中原区", "410100"),
        ("410104", "管城回族区", "410100"),
        ("410185", "登封市", "410100"),
        ("410212", "祥符区", "410200"),
        ("410307", "偃师区", "410300"),
        ("410308", "孟津区", "410300"),
        ("410482", "汝州市", "410400"),
        ("410783", "长垣市", "410700"),
        ("411003", "建安区", "411000"),
        ("411203", "陕州区", "411200"),
        ("411481", "永城市", "411400"),
        ("411603", "淮阳区", "411600"),
    ],
)
def test_known_counties(code, name, parent):
    r = Region.objects.get(code=code)
    assert (r.name, r.level, r.parent_id) == (name, RegionLevel.COUNTY, parent)


def test_abolished_codes_are_absent():
    # 吉利区, 孟津县, 偃师市 (2021), 长垣县 (2019), 淮阳县 (2019)
    assert not Region.objects.filter(code__in=["410306", "410322", "410381", "410728", "411626"]).exists()


def test_every_county_and_zone_hangs_under_a_city():
    for r in Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.ZONE]).select_related("parent"):
        assert r.parent.level == RegionLevel.CITY, r.code
        assert r.code[:4] == r.parent.code[:4], r.code
    for r in Region.objects.filter(level=RegionLevel.CITY):
        assert r.parent_id == "410000"


def test_codes_are_six_digits_and_unique():
    codes = list(Region.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len(codes) == len(set(codes)) == 1 + 18 + COUNTIES + len(ZONES)


def test_zones_are_not_counties():
    zones = set(Region.objects.filter(level=RegionLevel.ZONE).values_list("code", flat=True))
    assert zones == ZONES
    assert Region.objects.get(code="410173").name == "郑州航空港经济综合实验区"
    county_codes = set()
    for city in selectors.cities():
        county_codes |= set(selectors.counties_of(city).values_list("code", flat=True))
    assert not zones & county_codes
    zz = selectors.zones_of(Region.objects.get(code="410100"))
    assert list(zz.values_list("code", flat=True)) == ["410171", "410172", "410173"]


def test_paths_are_prefixes_of_descendants():
    by_code = {r.code: r for r in Region.objects.all()}
    for r in by_code.values():
        if r.parent_id is None:
            assert r.path == r.code
        else:
            assert r.path == f"{by_code[r.parent_id].path}/{r.code}"
    assert by_code["410102"].path == "410000/410100/410102"


def test_regions_under():
    zz = Region.objects.get(code="410100")
    under = set(selectors.regions_under(zz).values_list("code", flat=True))
    assert len(under) == 1 + 12 + 3 and "410100" in under and "410173" in under
    assert "410100" not in set(selectors.regions_under(zz, include_self=False).values_list("code", flat=True))
    # Jiyuan: only itself; the province: everything.
    assert list(
        selectors.regions_under(Region.objects.get(code="419001")).values_list("code", flat=True)
    ) == ["419001"]
    assert selectors.regions_under(selectors.province()).count() == Region.objects.count()


def test_region_tree():
    tree = selectors.region_tree()
    assert len(tree) == 1 and tree[0].region.code == "410000"
    assert len(tree[0].children) == 18
    assert sum(len(c.children) for c in tree[0].children) == COUNTIES
    with_zones = selectors.region_tree(include_zones=True)
    assert sum(len(c.children) for c in with_zones[0].children) == COUNTIES + len(ZONES)


def test_region_tree_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.region_tree()


def test_region_choices():
    cities = selectors.region_choices(level=RegionLevel.CITY)
    assert len(cities) == 18 and ("410100", "郑州市") in cities
    counties = dict(selectors.region_choices(level=RegionLevel.COUNTY))
    assert len(counties) == COUNTIES and counties["410102"] == "郑州市中原区"
    assert len(selectors.region_choices()) == Region.objects.count()


def test_data_migration_is_idempotent():
    """Running the 0002 loader again (as the migration does, with the historical model) changes nothing."""
    state = MigrationExecutor(connection).loader.project_state(("regions", "0002_load_henan_regions"))
    historical = state.apps.get_model("regions", "Region")
    before = list(Region.objects.values_list("code", "name", "level", "parent_id", "path"))
    result = sync_regions(historical)
    assert (result.created, result.updated, result.unchanged) == ([], [], len(before))
    assert list(Region.objects.values_list("code", "name", "level", "parent_id", "path")) == before


def test_command_is_idempotent_and_repairs():
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "新增 0 个，修改 0 个" in out.getvalue()
    assert not AuditEvent.objects.filter(action="import").exists()  # nothing changed, nothing audited

    Region.objects.filter(code="410102").update(name="错名", path="x")
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "修改 1 个" in out.getvalue()
    r = Region.objects.get(code="410102")
    assert (r.name, r.path) == ("中原区", "410000/410100/410102")
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_command_keeps_codes_missing_from_the_file(tmp_path):
    Region.objects.create(
        code="410306", name="吉利区", level="county", parent_id="410300", path="410000/410300/410306"
    )
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "410306" in out.getvalue()
    assert Region.objects.filter(code="410306").exists()


@pytest.mark.parametrize(
    "body,message",
    [
        ("code,name,level,parent_code\n41000,河南省,province,\n", "不是 6 位数字"),
        ("code,name,level,parent_code\n410000,河南省,province,\n410000,河南,province,\n", "重复"),
        ("code,name,level,parent_code\n410000,河南省,province,\n410100,郑州市,city,419000\n", "不在文件中"),
        ("code,name,level,parent_code\n410000,河南省,state,\n", "级别"),
        ("code,name\n410000,河南省\n", "表头"),
    ],
)
def test_bad_file_changes_nothing(tmp_path, body, message):
    f = tmp_path / "bad.csv"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(RegionFileError, match=message):
        read_region_file(f)
    count = Region.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("load_regions", file=str(f), stdout=StringIO())
    assert Region.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_tree_survives_a_flush():
    """A transactional test flushes every table afterwards; the post_migrate guard reloads the tree."""
    call_command("flush", interactive=False, verbosity=0)
    assert Region.objects.count() == len(read_region_file())


def test_zones_are_marked_where_regions_are_listed():
    zone, county = Region.objects.get(code="410173"), Region.objects.get(code="410102")
    assert zone.is_zone and not county.is_zone
    assert zone.label == "郑州航空港经济综合实验区（功能区）" and county.label == county.name
    labels = dict(selectors.region_choices())
    assert labels["410173"] == "郑州市郑州航空港经济综合实验区（功能区）"
    assert labels["410102"] == "郑州市中原区"
    assert all(label.endswith("（功能区）") for _code, label in selectors.region_choices("zone"))


def test_region_choices_of_several_levels_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        choices = selectors.region_choices(levels=("city", "county", "zone"))
    codes = [c for c, _label in choices]
    assert codes[:18] == [c for c, _label in selectors.region_choices("city")]
    assert codes[-len(ZONES) :] == [c for c, _label in selectors.region_choices("zone")]

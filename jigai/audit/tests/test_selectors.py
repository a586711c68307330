"""Who sees which audit events, the history of one object, and the history include."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from jigai.accounts.tests.factories import make_enterprise, make_user
from jigai.audit import services
from jigai.audit.models import ACTION_LABELS
from jigai.audit.selectors import audit_history, audit_list
from jigai.audit.services import audit_record, snapshot
from jigai.regions.models import Region

pytestmark = pytest.mark.django_db


def _r(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.fixture
def world():
    """Events on 中原区 (410102), 二七区 (410103), 郑州 (410100), 洛阳 (410300), two enterprises in
    中原区 and a system event with no object."""
    ent_a = make_enterprise("410102")
    ent_b = make_enterprise("410302")
    province = make_user("province")
    events = {
        "zhongyuan": audit_record(actor=province, action="update", obj=_r("410102")),
        "erqi": audit_record(actor=province, action="update", obj=_r("410103")),
        "zhengzhou": audit_record(actor=province, action="update", obj=_r("410100")),
        "luoyang": audit_record(actor=province, action="update", obj=_r("410300")),
        "ent_a": audit_record(actor=province, action="approve", obj=ent_a),
        "ent_b": audit_record(actor=province, action="approve", obj=ent_b),
        "system": audit_record(actor=None, action="import"),
    }
    return {"events": events, "ent_a": ent_a, "ent_b": ent_b, "province": province}


def _seen(world, actor, **filters) -> set[str]:
    """The names of the fixture's events that `actor` sees through audit_list."""
    names = {ev.seq: name for name, ev in world["events"].items()}
    return {
        names[s] for s in audit_list(actor=actor, filters=filters).values_list("seq", flat=True) if s in names
    }


def test_snapshots_of_the_object(world):
    ev = world["events"]
    assert (ev["zhongyuan"].target_type, ev["zhongyuan"].target_id, ev["zhongyuan"].target_label) == (
        "regions.region",
        "410102",
        "中原区",
    )
    assert ev["zhongyuan"].region_path == "410000/410100/410102"
    assert ev["ent_a"].region_path == "410000/410100/410102"
    assert ev["ent_a"].enterprise_id == world["ent_a"].pk
    assert ev["ent_b"].region_path == "410000/410300/410302"
    assert ev["system"].region_path == "" and ev["system"].target_type == ""
    p = world["province"]
    assert (ev["erqi"].actor_id, ev["erqi"].actor_ref, ev["erqi"].actor_name, ev["erqi"].actor_role) == (
        p.pk,
        str(p.pk),
        p.full_name,
        "province",
    )


@pytest.mark.parametrize("role", ["province", "admin", "leader"])
def test_province_level_sees_everything(world, role):
    assert _seen(world, make_user(role)) == set(world["events"])


def test_city_sees_its_region_and_below(world):
    assert _seen(world, make_user("city", "410100")) == {"zhongyuan", "erqi", "zhengzhou", "ent_a"}
    assert _seen(world, make_user("city", "410300")) == {"luoyang", "ent_b"}


def test_county_sees_only_its_county(world):
    assert _seen(world, make_user("county", "410102")) == {"zhongyuan", "ent_a"}
    assert _seen(world, make_user("county", "410103")) == {"erqi"}


def test_enterprise_user_sees_only_their_enterprise(world):
    assert _seen(world, make_user("enterprise", enterprise=world["ent_a"])) == {"ent_a"}
    assert _seen(world, make_user("enterprise", enterprise=world["ent_b"])) == {"ent_b"}


def test_other_roles_see_only_what_they_did(world):
    expert = make_user("expert")
    assert _seen(world, expert) == set()
    mine = audit_record(actor=expert, action="score", obj=world["ent_a"])
    assert list(audit_list(actor=expert).values_list("seq", flat=True)) == [mine.seq]


def test_anonymous_and_inactive_see_nothing(world):
    assert _seen(world, AnonymousUser()) == set()
    assert _seen(world, None) == set()
    assert _seen(world, make_user("province", is_active=False)) == set()


def test_regional_user_without_region_sees_nothing(world):
    user = make_user("city", "410100")
    user.region = None
    assert _seen(world, user) == set()


def test_filters(world):
    admin = make_user("admin")
    assert _seen(world, admin, action="approve") == {"ent_a", "ent_b"}
    assert _seen(world, admin, target_type="regions.region", target_id="410103") == {"erqi"}
    assert _seen(world, admin, actor_id=world["province"].pk) == set(world["events"]) - {"system"}
    today = dt.date.today()
    assert _seen(world, admin, date_from=today - dt.timedelta(days=1), date_to=today.isoformat()) == set(
        world["events"]
    )
    assert _seen(world, admin, date_from=today + dt.timedelta(days=2)) == set()
    assert _seen(world, admin, q="中原") == {"zhongyuan"}


def test_audit_list_query_count(world, django_assert_num_queries):
    city = make_user("city", "410100")
    city = type(city).objects.select_related("region").get(pk=city.pk)
    with django_assert_num_queries(1):
        rows = list(audit_list(actor=city))
        [(r.actor_display, r.action_label) for r in rows]


def test_history_of_one_object_newest_first(world):
    region = _r("410102")
    later = audit_record(actor=None, action="return", obj=region, comment="请补充材料")
    seqs = list(audit_history(obj=region).values_list("seq", flat=True))
    assert seqs == [later.seq, world["events"]["zhongyuan"].seq]


def test_snapshot_is_json_safe():
    ent = make_enterprise("410102")
    snap = snapshot(ent)
    assert snap["region"] == "410102" and snap["name"] == ent.name
    assert isinstance(snap["created_at"], str) and snap["created_at"].endswith("+00:00")
    assert snapshot(ent, fields=["name", "region"]) == {"name": ent.name, "region": "410102"}


def test_history_include_renders(monkeypatch):
    region = _r("410102")
    user = make_user("city", "410100", full_name="王芳")
    fixed = dt.datetime(2026, 11, 25, 6, 3, 30, tzinfo=dt.UTC)  # 14:03 in Asia/Shanghai
    monkeypatch.setattr(services.timezone, "now", lambda: fixed)
    audit_record(
        actor=user,
        action="update",
        obj=region,
        before={"name": "中原区", "level": "county"},
        after={"name": "中原新区", "level": "county"},
        comment="名称变更",
    )
    audit_record(actor=None, action="frobnicate", obj=region)
    html = render_to_string("audit/_history.html", {"events": audit_history(obj=region)})
    for text in (
        "时间",
        "操作人",
        "操作",
        "意见",
        "变更内容",
        "2026-11-25 14:03",
        "王芳（市级工信部门）",
        "修改",
    ):
        assert text in html, text
    assert "名称变更" in html
    assert "名称：中原区 → 中原新区" in html  # the field's verbose name, changed keys only
    assert "级别" not in html  # unchanged key is not shown
    assert "frobnicate" in html and "系统" in html  # unknown action shown raw
    assert html.index("frobnicate") < html.index("名称变更")  # newest first
    empty = render_to_string("audit/_history.html", {"events": []})
    assert "暂无操作记录" in empty


def test_action_labels_are_chinese():
    assert ACTION_LABELS["return"] == "退回补正"
    assert all(label and not label.isascii() for label in ACTION_LABELS.values())

"""Test data for land: rates, zero-new-land projects and cases driven through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jigai.accounts.tests.factories import ensure_region, make_user
from jigai.funding.tests import factories as ff  # test helpers only (the app itself never imports funding)
from jigai.land import services
from jigai.land.models import FeeKind, FeeRate, LandCase
from jigai.registry.models import LibraryStatus, Project

TODAY = timezone.localdate


def rate(city: str, kind: str, per_m2: str, valid_from: dt.date, zone: str = "") -> FeeRate:
    return FeeRate.objects.create(
        city=ensure_region(city), zone=zone, kind=kind, per_m2=Decimal(per_m2), valid_from=valid_from
    )


def rates(city: str, premium: str, municipal: str, valid_from: dt.date | None = None, zone: str = "") -> None:
    valid_from = valid_from or dt.date(2020, 1, 1)
    rate(city, FeeKind.PREMIUM, premium, valid_from, zone)
    rate(city, FeeKind.MUNICIPAL, municipal, valid_from, zone)


def zero_project(region: str = "410305", area: str = "1000.00", ent: Any = None, **fields: Any) -> Project:
    ent = ent or ff.enterprise(region)
    fields.setdefault("library_status", LibraryStatus.IN_LIBRARY)
    fields.setdefault("zero_new_land", True)
    fields.setdefault("added_floor_area", Decimal(area))
    return ff.project(ent, **fields)


def case(
    project: Project,
    county: Any,
    *,
    to: str = "registered",
    zone: str = "",
    area: str | None = None,
    city: Any = None,
) -> LandCase:
    """A case moved through the services to `to` (registered/started/completed/passed/failed)."""
    today = TODAY()
    c = services.land_case_register(
        actor=county,
        project=project,
        data={"zone": zone, "added_floor_area": Decimal(area) if area else None},
    )
    steps = {
        "started": [("start", {"on": today - dt.timedelta(days=100)})],
        "completed": [
            ("start", {"on": today - dt.timedelta(days=100)}),
            ("complete", {"on": today - dt.timedelta(days=10)}),
        ],
    }
    steps["passed"] = [*steps["completed"], ("pass", {"on": today, "checking_unit": "市自然资源和规划局"})]
    steps["failed"] = [
        *steps["completed"],
        ("fail", {"on": today, "checking_unit": "市自然资源和规划局", "comment": "超出红线"}),
    ]
    for action, data in steps.get(to, []):
        actor = city if action in ("pass", "fail") else county
        c = services.land_case_move(actor=actor, case=c, action=action, data=data)
    return c


def users() -> dict[str, Any]:
    """The cast: county 涧西区 and 西工区 (洛阳), city 洛阳 and 郑州, province, leader, bank, finance."""
    return {
        "county": make_user("county", "410305"),
        "county2": make_user("county", "410303"),
        "city": make_user("city", "410300"),
        "city2": make_user("city", "410100"),
        "province": make_user("province"),
        "leader": make_user("leader"),
        "bank": make_user("bank"),
        "finance": make_user("finance"),
    }

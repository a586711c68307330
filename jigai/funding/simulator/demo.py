"""Demo: two drafts of next year's guideline, each with a scenario replayed over this year's submitted
applications, so the province can open a result and compare the two at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ..models import Guideline, ItemGroup, Population, Scenario, ScenarioRun
from ..services.guidelines import guideline_create
from . import services as sim

DRAFT_MARK = "（测算草案）"
DRAFTS = [
    ("门槛提高到2000万元", {"3.1.1.threshold": "20000000"}),
    ("补助比例降到20%", {"3.1.1.rate": "0.20", "3.1.2.rate": "0.20"}),
]


def build_scenarios(ctx: Any) -> None:
    province = ctx.users.get("shengting")
    if province is None:
        return
    year = ctx.today.year
    now = timezone.now()
    last_items = list(Guideline.objects.filter(year=year).order_by("-pk").values_list("items", flat=True)[:1])
    items = last_items[0] if last_items else ["3.1.1", "3.1.2", "3.1.3", "3.1.4"]
    for name, overrides in DRAFTS:
        draft = guideline_create(
            actor=province,
            data={
                "year": year + 1,
                "title": f"{year + 1}年度申报指南{DRAFT_MARK}{name}",
                "items": items,
                "opens_at": now + dt.timedelta(days=60),
                "closes_at": now + dt.timedelta(days=120),
                "parameter_overrides": overrides,
            },
            budgets={
                ItemGroup.TRANSFORMATION: Decimal("60000000"),
                ItemGroup.NEW_PRODUCT: Decimal("20000000"),
            },
        )
        scenario = sim.scenario_save(
            actor=province,
            guideline=draft,
            data={"name": name, "population": Population.APPLICATIONS, "source_year": year},
        )
        run = ScenarioRun.objects.create(
            scenario=scenario, created_by=province, guideline_state=sim.guideline_state(draft)
        )
        sim.replay(run)
    ctx.counts["指南测算方案"] = len(DRAFTS)


def reset_scenarios() -> None:
    Scenario.objects.filter(guideline__title__contains=DRAFT_MARK).delete()
    Guideline.objects.filter(title__contains=DRAFT_MARK, applications__isnull=True).delete()

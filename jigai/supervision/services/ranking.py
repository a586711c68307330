"""The green-development ranking (绿色发展排行榜, 二（三） 绿色化提升): enterprises ranked within their
industry division (GB/T 4754 大类) by energy use, water use and CO2 emissions per 10,000 yuan of value
added, under a dated scoring rule held as data (二（三）: “发布‘绿色发展排行榜’”);
the province approves a list, which is then published on the public site."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import AccessDenied, Conflict, InvalidInput
from jigai.core.workflow import ROLE_DENIED, Move, Workflow, apply_move
from jigai.registry.models import Enterprise

from ..models import GreenData, GreenRanking, GreenRankingEntry, RankingStatus, ScoringRule

WAN = Decimal("10000")
# code → (label, unit, GreenData field of the amount divided by value added in 万元)
INDICATORS: dict[str, tuple[str, str, str]] = {
    "energy": ("万元增加值能耗", "吨标准煤/万元", "energy_use"),
    "water": ("万元增加值用水量", "立方米/万元", "water_use"),
    "emission": ("万元增加值二氧化碳排放", "吨/万元", "emissions"),
}
DIRECTIONS = {"lower": "越低越好", "higher": "越高越好"}
GREEN_FIELDS = ("value_added", "energy_use", "water_use", "emissions")


# ------------------------------------------------------------------------------------------- scoring rule
def clean_weights(weights: Any) -> list[dict[str, str]]:
    """A rule's weights validated whole: known indicators once each, weights > 0 adding up to exactly 1,
    a direction each. Returns the normalised list (weights as strings, exact)."""
    if not isinstance(weights, list | tuple) or not weights:
        raise InvalidInput({"weights": ["至少设置一个指标的权重。"]})
    seen: set[str] = set()
    out = []
    total = Decimal(0)
    for w in weights:
        code = str((w or {}).get("indicator", ""))
        if code not in INDICATORS:
            raise InvalidInput({"weights": [f"未知的指标：{code}。"]})
        if code in seen:
            raise InvalidInput({"weights": [f"指标“{INDICATORS[code][0]}”重复。"]})
        seen.add(code)
        try:
            weight = Decimal(str(w.get("weight")))
        except (InvalidOperation, ValueError):
            raise InvalidInput({"weights": [f"“{INDICATORS[code][0]}”的权重须为数字。"]}) from None
        if not weight.is_finite() or weight <= 0:
            raise InvalidInput({"weights": [f"“{INDICATORS[code][0]}”的权重须大于 0。"]})
        direction = str(w.get("direction") or "lower")
        if direction not in DIRECTIONS:
            raise InvalidInput({"weights": ["方向须为“越低越好”或“越高越好”。"]})
        total += weight
        out.append({"indicator": code, "weight": str(weight), "direction": direction})
    if total != 1:
        raise InvalidInput({"weights": [f"各指标权重之和须等于 1（现为 {total}）。"]})
    return out


def rule_create(*, actor: Any, name: str, valid_from: dt.date, weights: Any) -> ScoringRule:
    require(actor, "ranking.manage")
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["请填写规则名称。"]
    if not isinstance(valid_from, dt.date):
        errors["valid_from"] = ["请填写生效日期。"]
    if errors:
        raise InvalidInput(errors)
    clean = clean_weights(weights)
    with transaction.atomic():
        rule = ScoringRule.objects.create(
            name=name[:100], valid_from=valid_from, weights=clean, created_by=actor
        )
        audit_record(actor=actor, action="ranking.rule", obj=rule, after=snapshot(rule))
    return rule


def rule_in_force(on: dt.date) -> ScoringRule | None:
    """The latest rule on or before `on` (a parameter's value in force, as the rules engine reads them)."""
    return ScoringRule.objects.filter(valid_from__lte=on).order_by("-valid_from", "-pk").first()


# ------------------------------------------------------------------------------------------- green data
def clean_green(values: dict[str, Any]) -> dict[str, Decimal]:
    """The figures of one enterprise-year: value added (yuan) > 0, the others ≥ 0. Used by the form and the
    importer."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Decimal] = {}
    for name in GREEN_FIELDS:
        raw = values.get(name)
        try:
            value = raw if isinstance(raw, Decimal) else Decimal(str(raw))
        except (InvalidOperation, ValueError):
            errors[name] = ["须为数字。"]
            continue
        if raw is None or not value.is_finite():
            errors[name] = ["须为数字。"]
        elif name == "value_added" and value <= 0:
            errors[name] = ["工业增加值须大于 0。"]
        elif value < 0:
            errors[name] = ["不能为负数。"]
        else:
            out[name] = value.quantize(Decimal("0.01"))
    if errors:
        raise InvalidInput(errors)
    return out


def clean_year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= timezone.localdate().year:
        raise InvalidInput({"year": ["年度须在 2000 年至今年之间。"]})
    return value


def green_data_save(*, actor: Any, enterprise: Enterprise, year: Any, values: dict[str, Any]) -> GreenData:
    """Enter or correct one enterprise's figures for a year."""
    require(actor, "ranking.manage")
    year = clean_year(year)
    clean = clean_green(values)
    if not Enterprise.objects.restrict(actor, "change").filter(pk=enterprise.pk).exists():
        raise InvalidInput({"enterprise": ["未找到该企业，或不在您的管辖范围内。"]})
    with transaction.atomic():
        row = GreenData.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
        before = snapshot(row) if row else None
        if row is None:
            row = GreenData(enterprise=enterprise, year=year)
        for name, value in clean.items():
            setattr(row, name, value)
        row.entered_by = actor
        row.save()
        audit_record(
            actor=actor, action="update" if before else "create", obj=row, before=before, after=snapshot(row)
        )
    return row


# ------------------------------------------------------------------------------------------- scoring
@dataclass(frozen=True)
class Scored:
    enterprise_id: int
    division: str
    intensities: dict[str, Decimal]
    score: Decimal
    rank: int


def intensity(amount: Decimal, value_added_yuan: Decimal) -> Decimal:
    """The amount per 10,000 yuan of value added, to 4 places."""
    return (amount / (value_added_yuan / WAN)).quantize(Decimal("0.0001"))


def score_rows(
    rows: Iterable[tuple[int, str, dict[str, Decimal]]], weights: list[dict[str, str]]
) -> list[Scored]:
    """Rank (enterprise id, division, intensities) within each division. Each indicator scores 0-1 by
    min-max over the division (1 for the best; every enterprise 1 when all are equal), weighted, ×100.
    Equal scores share a rank (1, 2, 2, 4); ties are listed by enterprise id."""
    by_division: dict[str, list[tuple[int, dict[str, Decimal]]]] = defaultdict(list)
    for ent_id, division, values in rows:
        by_division[division].append((ent_id, values))
    out: list[Scored] = []
    for division in sorted(by_division):
        members = by_division[division]
        scores: list[tuple[Decimal, int, dict[str, Decimal]]] = []
        bounds = {}
        for w in weights:
            vals = [v[w["indicator"]] for _e, v in members]
            bounds[w["indicator"]] = (min(vals), max(vals))
        for ent_id, values in members:
            total = Decimal(0)
            for w in weights:
                code = w["indicator"]
                low, high = bounds[code]
                if high == low:
                    part = Decimal(1)
                elif w["direction"] == "lower":
                    part = (high - values[code]) / (high - low)
                else:
                    part = (values[code] - low) / (high - low)
                total += Decimal(w["weight"]) * part
            scores.append(((total * 100).quantize(Decimal("0.01")), ent_id, values))
        scores.sort(key=lambda s: (-s[0], s[1]))
        rank = 0
        previous = None
        for i, (score, ent_id, values) in enumerate(scores, start=1):
            if score != previous:
                rank, previous = i, score
            out.append(Scored(ent_id, division, values, score, rank))
    return out


def ranking_compute(*, actor: Any, year: Any) -> GreenRanking:
    """Compute a draft list for `year` from the entered figures, under the rule in force today."""
    require(actor, "ranking.manage")
    year = clean_year(year)
    rule = rule_in_force(timezone.localdate())
    if rule is None:
        raise Conflict("尚无生效的评分规则，请先设置评分规则。", code="no_rule")
    data = list(
        GreenData.objects.filter(year=year, value_added__gt=0)
        .exclude(enterprise__industry_division="")
        .select_related("enterprise__region")
    )
    if not data:
        raise Conflict(f"{year} 年度尚无企业的绿色发展数据。", code="no_data")
    rows = []
    ents = {}
    for d in data:
        ents[d.enterprise_id] = d.enterprise
        values = {
            code: intensity(getattr(d, field), d.value_added) for code, (_l, _u, field) in INDICATORS.items()
        }
        rows.append((d.enterprise_id, d.enterprise.industry_division, values))
    scored = score_rows(rows, rule.weights)
    with transaction.atomic():
        ranking = GreenRanking.objects.create(year=year, rule=rule, computed_by=actor)
        GreenRankingEntry.objects.bulk_create(
            [
                GreenRankingEntry(
                    ranking=ranking,
                    enterprise_id=s.enterprise_id,
                    enterprise_name=ents[s.enterprise_id].name,
                    region_name=ents[s.enterprise_id].region.name,
                    industry_division=s.division,
                    rank=s.rank,
                    score=s.score,
                    energy_intensity=s.intensities["energy"],
                    water_intensity=s.intensities["water"],
                    emission_intensity=s.intensities["emission"],
                )
                for s in scored
            ]
        )
        audit_record(
            actor=actor,
            action="ranking.compute",
            obj=ranking,
            after={"year": year, "rule": rule.pk, "entries": len(scored)},
        )
    return ranking


RANKING_WORKFLOW = Workflow(
    noun="排行榜",
    field="status",
    state_label=lambda s: RankingStatus(s).label,
    authorize=require,
    record=audit_record,
    moves=[
        Move(
            RankingStatus.DRAFT,
            "province",
            "publish",
            RankingStatus.PUBLISHED,
            "ranking.manage",
            "审定并发布",
            "publish",
        ),
        Move(
            RankingStatus.PUBLISHED,
            "province",
            "withdraw",
            RankingStatus.WITHDRAWN,
            "ranking.manage",
            "撤回",
            "withdraw",
            kind="danger",
        ),
    ],
)


def ranking_move(*, actor: Any, ranking: GreenRanking, action: str, comment: str = "") -> GreenRanking:
    """Approve (publish) a draft list, or withdraw a published one. Publishing a year's list withdraws the
    year's list published before it: the public site shows one list a year."""
    comment = (comment or "").strip()
    if not RANKING_WORKFLOW.by_role_action(getattr(actor, "role", None), action):  # a role that never does it
        raise AccessDenied(ROLE_DENIED, code="permission_denied")

    def prepare(r: GreenRanking, m: Move) -> None:
        if m.action == "publish":
            r.approved_at, r.approved_by = timezone.now(), actor
            GreenRanking.objects.filter(year=r.year, status=RankingStatus.PUBLISHED).exclude(pk=r.pk).update(
                status=RankingStatus.WITHDRAWN
            )
        elif not comment:
            raise InvalidInput({"comment": ["撤回须填写理由。"]})
        if comment:
            r.comment = comment

    return apply_move(
        workflow=RANKING_WORKFLOW,
        queryset=GreenRanking.objects.restrict(actor, "change"),
        pk=ranking.pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=lambda *_a: None,  # the audit record is the list's history
        snapshot=lambda r: snapshot(r, ["status", "approved_at", "comment"]),
        prepare=prepare,
        not_found="未找到该排行榜，或您无权操作。",
    )

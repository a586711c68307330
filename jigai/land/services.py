"""Land services (四（二）): the county registers a zero-new-land case and records start and completion, the
city checks it (先建后验, 按需报审) — the moves are one workflow table (LAND_WORKFLOW) applied by the core
`apply_move`; each city keeps its dated fee rates; the departments record land needs for the priority list.

Every change: permission first, the row read through the gate (`restrict(actor, "change")`), the rule checks,
one transaction with the event row and the audit record; the enterprise and the city are told in-app.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record
from jigai.core.errors import Conflict, InvalidInput, NotFound
from jigai.core.workflow import Move, Workflow, apply_move
from jigai.regions.models import Region, RegionLevel
from jigai.registry.models import Project
from jigai.registry.services.common import snapshot

from .models import CaseStatus, CheckResult, FeeKind, FeeRate, LandCase, LandCaseEvent, LandNeed
from .rates import city_code_of, rate_in_force, waived

S = CaseStatus
AREA_LIMIT = Decimal("10000000000")  # 12 digits, 2 decimals


def _move(
    state: str, role: str, action: str, to: str, permission: str, label: str, verb: str, kind: str = "primary"
) -> Move:
    return Move(
        state=state, role=role, action=action, to=to, permission=permission, label=label, verb=verb, kind=kind
    )


# (state, role, action) → next state, permission, label, audit verb. The county enters (registers, records
# start and completion, reports again after rectification); the city checks (核验合格 / 不合格).
LAND_WORKFLOW = Workflow(
    noun="零增地项目",
    field="status",
    state_label=lambda s: CaseStatus(s).label if s else "未登记",
    authorize=require,
    record=audit_record,
    moves=[
        _move("", Role.COUNTY, "register", S.REGISTERED, "land.manage", "登记零增地项目", "create"),
        _move(S.REGISTERED, Role.COUNTY, "start", S.STARTED, "land.manage", "登记开工", "land_start"),
        _move(
            S.STARTED,
            Role.COUNTY,
            "complete",
            S.COMPLETED,
            "land.manage",
            "登记竣工（报请核验）",
            "land_complete",
        ),
        _move(S.COMPLETED, Role.CITY, "pass", S.PASSED, "land.check", "核验合格", "accept"),
        _move(S.COMPLETED, Role.CITY, "fail", S.FAILED, "land.check", "核验不合格", "reject", "danger"),
        _move(
            S.FAILED,
            Role.COUNTY,
            "recheck",
            S.COMPLETED,
            "land.manage",
            "整改后重新报验",
            "resubmit",
            "warning",
        ),
    ],
)
# What each move asks for (the forms of the detail page and the API's body).
MOVE_FIELDS: dict[str, tuple[str, ...]] = {
    "start": ("on", "comment"),
    "complete": ("on", "added_floor_area", "comment"),
    "pass": ("on", "checking_unit", "comment"),
    "fail": ("on", "checking_unit", "comment"),
    "recheck": ("comment",),
}
AUDIT_LABELS = {"land_start": "登记开工", "land_complete": "登记竣工"}


def _errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(errors)


def _check_area(value: Any, errors: dict[str, list[str]], field: str = "added_floor_area") -> Decimal | None:
    if value is None or value == "":
        errors.setdefault(field, []).append("请填写新增建筑面积（平方米）。")
        return None
    area = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if area < 0 or area >= AREA_LIMIT or area != area.quantize(Decimal("0.01")):
        errors.setdefault(field, []).append("新增建筑面积应为不小于 0 的数，最多两位小数。")
        return None
    return area


def _check_date(
    value: Any,
    errors: dict[str, list[str]],
    field: str,
    label: str,
    not_before: Any = None,
    before_label: str = "",
) -> dt.date | None:
    if not isinstance(value, dt.date):
        errors.setdefault(field, []).append(f"请填写{label}。")
        return None
    if value > timezone.localdate():
        errors.setdefault(field, []).append(f"{label}不能晚于今天。")
    elif not_before is not None and value < not_before:
        errors.setdefault(field, []).append(f"{label}不能早于{before_label}（{not_before:%Y-%m-%d}）。")
    return value


# ---------------------------------------------------------------------------------------------- zones


def city_of_project(project: Project) -> Region:
    code = city_code_of(project.enterprise.region.path)
    return Region.objects.get(code=code)


def city_zones(city_code: str) -> list[str]:
    """The zones a city's rates are set for ([] when the city's rates are not zoned)."""
    zones = FeeRate.objects.filter(city_id=city_code).exclude(zone="").values_list("zone", flat=True)
    return sorted(set(zones))


def _check_zone(city_code: str, zone: str, errors: dict[str, list[str]]) -> str:
    zone = (zone or "").strip()
    zones = city_zones(city_code)
    if zones and zone not in zones:
        errors.setdefault("zone", []).append(f"本市收费标准按区域制定，请选择区域：{'、'.join(zones)}。")
    elif not zones and zone:
        errors.setdefault("zone", []).append("本市收费标准不分区域，区域请留空。")
    return zone


# ---------------------------------------------------------------------------------------------- cases


def _event(case: LandCase, move: Move, from_status: str, comment: str, actor: Any) -> LandCaseEvent:
    return LandCaseEvent.objects.create(
        case=case,
        actor=actor,
        action=move.action,
        from_status=from_status,
        to_status=move.to,
        comment=comment,
    )


def _users(role: str, **filters: Any) -> list[Any]:
    return list(get_user_model().objects.filter(role=role, is_active=True, **filters))


def _notify(case: LandCase, move: Move) -> None:
    from jigai.notifications.services import notify

    url = reverse("land:case_detail", args=[case.pk])
    name = case.project.name
    if move.to == S.COMPLETED:
        city = city_code_of(case.project.enterprise.region.path)
        notify(
            recipients=_users(Role.CITY, region_id=city),
            kind="land.completed",
            title=f"零增地项目待核验：{name}",
            body=f"{case.project.enterprise.name}的零增地项目已竣工，请组织核验（先建后验）。",
            url=url,
        )
    elif move.to in (S.PASSED, S.FAILED):
        result = "合格" if move.to == S.PASSED else f"不合格：{case.check_reason}"
        notify(
            recipients=_users(Role.ENTERPRISE, enterprise_id=case.project.enterprise_id),
            kind=f"land.{move.to}",
            title=f"零增地项目核验{'合格' if move.to == S.PASSED else '不合格'}：{name}",
            body=f"核验单位：{case.checking_unit}。结果：{result}",
            url=url,
        )
        if move.to == S.FAILED:
            notify(
                recipients=_users(Role.COUNTY, region_id=case.project.enterprise.region_id),
                kind="land.failed",
                title=f"零增地项目核验不合格：{name}",
                body=f"原因：{case.check_reason}。整改后请重新报验。",
                url=url,
            )


@transaction.atomic
def land_case_register(*, actor: Any, project: Project, data: dict[str, Any]) -> LandCase:
    """The county registers a zero-new-land project of its region on the build-first-check-later track.
    `data`: zone, added_floor_area (default: the project's), started_on (optional: registers and starts)."""
    require(actor, "land.manage")
    role = getattr(actor, "role", None)
    LAND_WORKFLOW.action_to_or_deny(role, S.REGISTERED)  # a role that never registers: refused as such
    move = LAND_WORKFLOW.check(state="", role=role, action="register")
    LAND_WORKFLOW.authorize(actor, move.permission)
    project = (
        Project.objects.restrict(actor, "change")
        .select_related("enterprise__region")
        .filter(pk=project.pk)
        .first()
    )
    if project is None:
        raise NotFound("未找到该项目，或您无权操作。")
    errors: dict[str, list[str]] = {}
    if not project.zero_new_land:
        errors.setdefault("project", []).append(
            "该项目未标记为零增地项目，请先在项目信息中标记并填写新增建筑面积。"
        )
    if LandCase.objects.filter(project=project).exists():
        raise Conflict("该项目已登记为零增地项目，请勿重复登记。", code="already_registered")
    area = data.get("added_floor_area")
    area = _check_area(project.added_floor_area if area in (None, "") else area, errors)
    city = city_code_of(project.enterprise.region.path)
    zone = _check_zone(city, data.get("zone", ""), errors)
    started_on = data.get("started_on")
    if started_on:
        _check_date(started_on, errors, "started_on", "开工日期")
    _errors(errors)
    case = LandCase.objects.create(project=project, zone=zone, added_floor_area=area, created_by=actor)
    _event(case, move, "", "", actor)
    audit_record(actor=actor, action=move.verb, obj=case, after=snapshot(case), comment="登记零增地项目")
    if started_on:
        case = land_case_move(actor=actor, case=case, action="start", data={"on": started_on})
    return case


@transaction.atomic
def land_case_move(*, actor: Any, case: LandCase, action: str, data: dict[str, Any]) -> LandCase:
    """One move of the build-first-check-later track (LAND_WORKFLOW): start (date), complete (date, the
    added floor area as built), pass / fail (date, checking unit; the reason of a fail is required), recheck.
    Passing freezes the rates in force on the check date and the amounts waived."""
    comment = (data.get("comment") or "").strip()

    def prepare(c: LandCase, m: Move) -> None:
        errors: dict[str, list[str]] = {}
        on = data.get("on")
        if m.action == "start":
            c.started_on = _check_date(on, errors, "on", "开工日期")
        elif m.action == "complete":
            c.completed_on = _check_date(on, errors, "on", "竣工日期", c.started_on, "开工日期")
            area = data.get("added_floor_area")
            c.added_floor_area = _check_area(c.added_floor_area if area in (None, "") else area, errors)
        elif m.action in ("pass", "fail"):
            c.checked_on = _check_date(on, errors, "on", "核验日期", c.completed_on, "竣工日期")
            unit = (data.get("checking_unit") or "").strip()
            if not unit:
                errors.setdefault("checking_unit", []).append("请填写核验单位。")
            c.checking_unit = unit[:200]
            c.checked_by = actor
            c.check_result = CheckResult.PASS if m.action == "pass" else CheckResult.FAIL
            c.check_reason = comment
            if m.action == "fail" and not comment:
                errors.setdefault("comment", []).append("请填写不合格的原因（企业和县级将看到该原因）。")
            if m.action == "pass" and not errors:
                _freeze(c, errors)
        elif m.action == "recheck":
            c.check_result, c.check_reason, c.checked_on, c.checked_by = "", "", None, None
        _errors(errors)

    return apply_move(
        workflow=LAND_WORKFLOW,
        queryset=LandCase.objects.restrict(actor, "change").select_related("project__enterprise__region"),
        pk=case.pk,
        actor=actor,
        action=action,
        comment=comment,
        write_event=lambda c, m, from_status, text: _event(c, m, from_status, text, actor),
        snapshot=snapshot,
        prepare=prepare,
        notify=_notify,
        not_found="未找到该零增地项目，或您无权操作。",
    )


def _freeze(case: LandCase, errors: dict[str, list[str]]) -> None:
    """Keep the rates in force on the check date (row, value, date) and the amounts they give: a later rate
    never changes what was computed for a checked case."""
    city = city_code_of(case.project.enterprise.region.path)
    name = Region.objects.filter(code=city).values_list("name", flat=True).first() or city
    found = {}
    for kind in FeeKind:
        rate = rate_in_force(
            FeeRate.objects.all(), city_code=city, zone=case.zone, kind=kind, on=case.checked_on
        )
        if rate is None:
            zone = f"（{case.zone}）" if case.zone else ""
            errors.setdefault("on", []).append(
                f"{name}{zone}尚无 {case.checked_on:%Y-%m-%d} 适用的{kind.label}标准，"
                "请先在“收费标准”中录入。"
            )
        found[kind] = rate
    if errors:
        return
    p, m = found[FeeKind.PREMIUM], found[FeeKind.MUNICIPAL]
    case.premium_rate, case.premium_per_m2, case.premium_valid_from = p, p.per_m2, p.valid_from
    case.municipal_rate, case.municipal_per_m2, case.municipal_valid_from = m, m.per_m2, m.valid_from
    case.premium_waived = waived(case.added_floor_area, p.per_m2)
    case.municipal_waived = waived(case.added_floor_area, m.per_m2)
    case.waived_total = case.premium_waived + case.municipal_waived


def may_register(actor: Any) -> bool:
    """Whether the actor registers zero-new-land cases (the workflow's register move is theirs)."""
    from jigai.accounts.permissions import can

    move = LAND_WORKFLOW.get("", getattr(actor, "role", None), "register")
    return move is not None and can(actor, move.permission)


def allowed_moves(*, actor: Any, case: LandCase) -> list[Move]:
    """The moves `actor` may make on the case now (the caller has read it through the gate for change)."""
    from jigai.accounts.permissions import can

    return [
        m for m in LAND_WORKFLOW.moves(case.status, getattr(actor, "role", None)) if can(actor, m.permission)
    ]


# ---------------------------------------------------------------------------------------------- rates


@transaction.atomic
def fee_rate_create(*, actor: Any, data: dict[str, Any]) -> FeeRate:
    """A city (or the province for any city) sets a new rate from a date. Rates are never edited: the new row
    applies from its date on, so cases checked before keep what they used."""
    require(actor, "land.rates")
    errors: dict[str, list[str]] = {}
    city = data.get("city")
    code = getattr(city, "code", city) or ""
    city = _city_in_scope(actor, code)
    if city is None:
        errors.setdefault("city", []).append("请选择本辖区的省辖市（或济源示范区）。")
    kind = data.get("kind")
    if kind not in FeeKind.values:
        errors.setdefault("kind", []).append("请选择收费项目：土地出让金或市政设施配套费。")
    per_m2 = data.get("per_m2")
    if not isinstance(per_m2, Decimal) or per_m2 < 0 or per_m2 != per_m2.quantize(Decimal("0.01")):
        errors.setdefault("per_m2", []).append("请填写标准（元/平方米）：不小于 0，最多两位小数。")
    elif per_m2 >= Decimal("100000000"):
        errors.setdefault("per_m2", []).append("标准过大，请核对单位（元/平方米）。")
    valid_from = data.get("valid_from")
    if not isinstance(valid_from, dt.date):
        errors.setdefault("valid_from", []).append("请填写执行日期。")
    zone = (data.get("zone") or "").strip()[:50]
    _errors(errors)
    if FeeRate.objects.filter(city=city, zone=zone, kind=kind, valid_from=valid_from).exists():
        raise InvalidInput({"valid_from": ["该区域、该收费项目在这一天已有标准；新标准请用新的执行日期。"]})
    try:
        with transaction.atomic():
            rate = FeeRate.objects.create(
                city=city,
                zone=zone,
                kind=kind,
                per_m2=per_m2,
                valid_from=valid_from,
                document_no=(data.get("document_no") or "").strip()[:200],
                created_by=actor,
            )
    except IntegrityError:
        raise InvalidInput({"valid_from": ["该区域、该收费项目在这一天已有标准。"]}) from None
    audit_record(actor=actor, action="create", obj=rate, after=snapshot(rate), comment="录入收费标准")
    return rate


def _city_in_scope(actor: Any, code: str) -> Region | None:
    """The city `code` when the actor may set its rates: the province any city, a city its own."""
    city = Region.objects.filter(code=code, level=RegionLevel.CITY).first()
    if city is None:
        return None
    if actor.role == Role.PROVINCE:
        return city
    if actor.role == Role.CITY and actor.region_id == city.code:
        return city
    return None


@transaction.atomic
def fee_rate_delete(*, actor: Any, rate: FeeRate, reason: str) -> None:
    """A rate entered by mistake is deleted, with the reason, while no checked case has used it."""
    require(actor, "land.rates")
    row = FeeRate.objects.restrict(actor, "change").select_for_update().filter(pk=rate.pk).first()
    if row is None or _city_in_scope(actor, row.city_id) is None:
        raise NotFound("未找到该收费标准，或您无权操作。")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["请填写删除原因。"]})
    if (
        LandCase.objects.filter(premium_rate=row).exists()
        or LandCase.objects.filter(municipal_rate=row).exists()
    ):
        raise Conflict(
            "该标准已用于已核验项目的减免测算，不能删除；新标准请以新的执行日期录入。", code="rate_in_use"
        )
    before = snapshot(row)
    audit_record(actor=actor, action="delete", obj=row, before=before, comment=reason)
    row.delete()


# ---------------------------------------------------------------------------------------------- land needs


@transaction.atomic
def land_need_create(*, actor: Any, project: Project, data: dict[str, Any]) -> LandNeed:
    """A department records a project's need for new industrial land (m²) for the priority list."""
    require(actor, "land.manage")
    project = Project.objects.restrict(actor, "change").filter(pk=project.pk).first()
    if project is None:
        raise NotFound("未找到该项目，或您无权操作。")
    errors: dict[str, list[str]] = {}
    area = data.get("area")
    if (
        not isinstance(area, Decimal)
        or area <= 0
        or area >= AREA_LIMIT
        or area != area.quantize(Decimal("0.01"))
    ):
        errors.setdefault("area", []).append("请填写新增用地需求（平方米）：大于 0，最多两位小数。")
    if project.zero_new_land:
        errors.setdefault("project", []).append("零增地项目不新增用地，不列入用地保障清单。")
    _errors(errors)
    if LandNeed.objects.filter(project=project).exists():
        raise Conflict("该项目已登记用地需求。", code="already_registered")
    need = LandNeed.objects.create(
        project=project, area=area, note=(data.get("note") or "").strip(), created_by=actor
    )
    audit_record(actor=actor, action="create", obj=need, after=snapshot(need), comment="登记用地需求")
    return need


@transaction.atomic
def land_need_meet(*, actor: Any, need: LandNeed, met_on: Any) -> LandNeed:
    """The land is supplied: the need leaves the priority list (kept, with the date)."""
    require(actor, "land.manage")
    row = LandNeed.objects.restrict(actor, "change").select_for_update().filter(pk=need.pk).first()
    if row is None:
        raise NotFound("未找到该用地需求，或您无权操作。")
    if row.met_on is not None:
        raise Conflict("该用地需求已保障，请勿重复操作。", code="repeated_transition")
    errors: dict[str, list[str]] = {}
    _check_date(met_on, errors, "met_on", "保障日期")
    _errors(errors)
    before = snapshot(row)
    row.met_on = met_on
    row.save(update_fields=["met_on"])
    audit_record(
        actor=actor, action="update", obj=row, before=before, after=snapshot(row), comment="用地已保障"
    )
    return row

"""Yearly targets broken down to the cities (by the province) and to the counties (by a city), their
publication with the sum rule, and the target responsibility letters (目标责任书) that confirm them
(policy 一（二） goals, 四（三） 强化督促检查: broken down each year, signed, used for fiscal rewards)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import AccessDenied, Conflict, InvalidInput
from jigai.notifications.services import notify
from jigai.regions.models import Region, RegionLevel

from ..models import Indicator, LetterStatus, Target, TargetLetter, TargetStatus
from .common import breakdown_parent, children_for_targets, province_users, refresh, users_of

TARGET_FIELDS = ["year", "indicator", "region", "value", "weight", "status", "note"]
LETTER_FIELDS = ["year", "region", "status", "signed_on", "signatories", "change_reason"]
COUNT_UNITS = ("个", "家", "项")


def _permission_for(parent: Region) -> str:
    return "target.manage" if parent.level == RegionLevel.PROVINCE else "target.city_breakdown"


def _check_setter(actor: Any, region: Region) -> Region:
    """The province sets its own total and the cities' targets; a city its counties'. Returns the parent."""
    parent = breakdown_parent(actor)
    require(actor, _permission_for(parent))
    if region.pk == parent.pk and parent.level == RegionLevel.PROVINCE:
        return parent
    if region.parent_id != parent.pk or region not in children_for_targets(parent):
        raise AccessDenied("只能为下一级地区设定目标。", code="outside_region")
    return parent


def _parent_target(year: int, indicator: Indicator, parent: Region) -> Target | None:
    return Target.objects.filter(year=year, indicator=indicator, region=parent).first()


def target_set(
    *,
    actor: Any,
    year: int,
    indicator: Indicator,
    region: Region,
    value: Decimal,
    weight: Decimal | None = None,
    note: str = "",
    _refresh: bool = True,
) -> Target:
    """Set (or change) one region's target. A change of a published or confirmed target makes it a draft
    again: it has to be published — and confirmed by the region — anew."""
    parent = _check_setter(actor, region)
    if value is None or value < 0:
        raise InvalidInput({"value": ["目标值不能为负数。"]})
    if parent.level == RegionLevel.CITY and region.pk != parent.pk:
        own = _parent_target(year, indicator, parent)
        if own is None or own.status == TargetStatus.DRAFT:
            raise Conflict("省里尚未下达本市该指标的目标，暂不能分解到县。", code="no_parent_target")
    with transaction.atomic():
        target = (
            Target.objects.select_for_update().filter(year=year, indicator=indicator, region=region).first()
        )
        before = snapshot(target, TARGET_FIELDS) if target else None
        if target is None:
            target = Target(year=year, indicator=indicator, region=region)
        target.value = value
        target.weight = weight
        target.note = note
        target.status = TargetStatus.DRAFT
        target.set_by = actor
        if region.pk != parent.pk:
            target.parent = _parent_target(year, indicator, parent)
        target.save()
        audit_record(
            actor=actor,
            action="update" if before else "create",
            obj=target,
            before=before,
            after=snapshot(target, TARGET_FIELDS),
        )
        if _refresh:
            refresh([indicator.code], year)
    return target


def _round_unit(indicator: Indicator) -> Decimal:
    return Decimal(1) if indicator.unit in COUNT_UNITS else Decimal("0.01")


def split_by_weights(total: Decimal, weights: dict[str, Decimal], step: Decimal) -> dict[str, Decimal]:
    """Split `total` in proportion to `weights`, each share rounded down to `step`, the remainder handed
    out one step at a time to the largest remainders, so the shares add up to the total exactly."""
    wsum = sum((w for w in weights.values() if w > 0), Decimal(0))
    if wsum <= 0:
        raise InvalidInput({"weights": ["权重之和必须大于零。"]})
    raw = {code: total * w / wsum if w > 0 else Decimal(0) for code, w in weights.items()}
    shares = {code: (v / step).to_integral_value(rounding=ROUND_DOWN) * step for code, v in raw.items()}
    left = total - sum(shares.values(), Decimal(0))
    for code in sorted(raw, key=lambda c: raw[c] - shares[c], reverse=True):
        if left < step:
            break
        if weights[code] > 0:
            shares[code] += step
            left -= step
    return shares


def target_split(*, actor: Any, year: int, indicator: Indicator, weights: dict[str, Decimal]) -> list[Target]:
    """Split the parent's target (the province's, or the city's own) among the children by weights."""
    parent = breakdown_parent(actor)
    require(actor, _permission_for(parent))
    own = _parent_target(year, indicator, parent)
    if own is None:
        raise Conflict("请先设定本级的目标值，再按权重分解。", code="no_parent_target")
    children = {r.pk: r for r in children_for_targets(parent)}
    unknown = [c for c in weights if c not in children]
    if unknown:
        raise InvalidInput({"weights": [f"地区 {unknown[0]} 不是下一级地区。"]})
    shares = split_by_weights(own.value, weights, _round_unit(indicator))
    with transaction.atomic():
        out = [
            target_set(
                actor=actor,
                year=year,
                indicator=indicator,
                region=children[code],
                value=v,
                weight=weights[code],
                _refresh=False,
            )
            for code, v in shares.items()
        ]
        refresh([indicator.code], year)
    return out


@dataclass(frozen=True)
class SumCheck:
    indicator: Indicator
    parent_value: Decimal | None
    total: Decimal
    count: int

    @property
    def difference(self) -> Decimal | None:
        return None if self.parent_value is None else self.total - self.parent_value

    @property
    def ok(self) -> bool:
        """Additive targets must add up to the parent's exactly; the others are not summed."""
        if not self.indicator.additive:
            return True
        return self.parent_value is not None and self.difference == 0


def sum_check(*, year: int, indicator: Indicator, parent: Region) -> SumCheck:
    """The children's targets summed against the parent's (shown live while editing, enforced on publish)."""
    codes = [r.pk for r in children_for_targets(parent)]
    rows = list(
        Target.objects.filter(year=year, indicator=indicator, region_id__in=codes).values_list(
            "value", flat=True
        )
    )
    own = _parent_target(year, indicator, parent)
    return SumCheck(indicator, own.value if own else None, sum(rows, Decimal(0)), len(rows))


def targets_publish(*, actor: Any, year: int) -> list[TargetLetter]:
    """Publish the actor's breakdown for `year`: every draft target of the children (and the province's
    own totals) becomes published, each child gets its letter (目标责任书) to confirm. Refused while an
    additive indicator's children do not add up to the parent's target."""
    parent = breakdown_parent(actor)
    require(actor, _permission_for(parent))
    children = children_for_targets(parent)
    codes = [r.pk for r in children]
    drafts = Target.objects.filter(year=year, region_id__in=codes, status=TargetStatus.DRAFT)
    indicator_ids = set(drafts.values_list("indicator_id", flat=True))
    if not indicator_ids:
        raise Conflict("没有待下达的目标。", code="nothing_to_publish")
    errors = []
    for ind in Indicator.objects.filter(pk__in=indicator_ids, additive=True):
        check = sum_check(year=year, indicator=ind, parent=parent)
        if check.parent_value is None:
            errors.append(f"{ind.name}：尚未设定本级目标值。")
        elif not check.ok:
            gap = check.difference
            word = "多" if gap > 0 else "少"
            errors.append(
                f"{ind.name}：下级目标合计 {check.total.normalize():f}，比本级目标 "
                f"{check.parent_value.normalize():f} {word} {abs(gap).normalize():f}。"
            )
    if errors:
        raise InvalidInput({"__all__": errors}, code="sum_mismatch")
    now = timezone.now()
    letters: list[TargetLetter] = []
    with transaction.atomic():
        regions = sorted(set(drafts.values_list("region_id", flat=True)))
        if parent.level == RegionLevel.PROVINCE:
            Target.objects.filter(year=year, region=parent, status=TargetStatus.DRAFT).update(
                status=TargetStatus.PUBLISHED, published_at=now
            )
        for t in drafts.select_for_update():
            before = snapshot(t, TARGET_FIELDS)
            t.status = TargetStatus.PUBLISHED
            t.published_at = now
            t.save(update_fields=["status", "published_at", "updated_at"])
            audit_record(
                actor=actor, action="publish", obj=t, before=before, after=snapshot(t, TARGET_FIELDS)
            )
        for code in regions:
            region = next(r for r in children if r.pk == code)
            letter, _ = TargetLetter.objects.select_for_update().get_or_create(year=year, region=region)
            before = snapshot(letter, LETTER_FIELDS)
            letter.status = LetterStatus.PENDING
            letter.issued_at, letter.issued_by = now, actor
            letter.signed_on, letter.signatories, letter.confirmed_at, letter.confirmed_by = (
                None,
                "",
                None,
                None,
            )
            letter.save()
            audit_record(
                actor=actor,
                action="publish",
                obj=letter,
                before=before,
                after=snapshot(letter, LETTER_FIELDS),
                comment="下达目标责任书",
            )
            # The targets confirmed earlier are open again with the new letter.
            Target.objects.filter(year=year, region=region).exclude(status=TargetStatus.DRAFT).update(
                status=TargetStatus.PUBLISHED
            )
            letters.append(letter)
            notify(
                recipients=users_of(region, (Role.CITY, Role.COUNTY)),
                kind="target.published",
                title=f"{year}年目标已下达，请确认目标责任书",
                body=f"{parent.name}已下达{region.name}{year}年度目标，请核对后签订目标责任书或申请调整。",
                url=f"/monitoring/letters/{letter.pk}/",
            )
        refresh(list(Indicator.objects.filter(pk__in=indicator_ids).values_list("code", flat=True)), year)
    return letters


def _check_letter_actor(actor: Any, letter: TargetLetter) -> None:
    require(actor, "target.confirm")
    if actor.region_id != letter.region_id:
        raise AccessDenied("只能确认本地区的目标责任书。", code="outside_region")


def letter_confirm(
    *,
    actor: Any,
    letter: TargetLetter,
    signed_on: datetime.date,
    signatories: str,
    signed_file: Any = None,
) -> TargetLetter:
    """The region signs its letter: the confirmation of every target of the year (date, signatories and
    the signed and sealed file)."""
    _check_letter_actor(actor, letter)
    errors: dict[str, list[str]] = {}
    if not signed_on:
        errors["signed_on"] = ["请填写签订日期。"]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = ["签订日期不能晚于今天。"]
    if not (signatories or "").strip():
        errors["signatories"] = ["请填写签订人。"]
    if not signed_file and not letter.signed_file:
        errors["signed_file"] = ["请上传签字盖章的目标责任书。"]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        letter = TargetLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != LetterStatus.PENDING:
            raise Conflict("该目标责任书不是待确认状态。", code="letter_state")
        before = snapshot(letter, LETTER_FIELDS)
        letter.status = LetterStatus.CONFIRMED
        letter.signed_on, letter.signatories = signed_on, signatories.strip()
        if signed_file:
            letter.signed_file = signed_file
        letter.full_clean(exclude=["issued_by", "confirmed_by", "region"])
        letter.confirmed_by, letter.confirmed_at = actor, timezone.now()
        letter.save()
        Target.objects.filter(year=letter.year, region=letter.region, status=TargetStatus.PUBLISHED).update(
            status=TargetStatus.CONFIRMED
        )
        audit_record(
            actor=actor, action="confirm", obj=letter, before=before, after=snapshot(letter, LETTER_FIELDS)
        )
        _notify_issuer(letter, f"{letter.region.name}已签订{letter.year}年目标责任书", "")
    return letter


def letter_request_change(*, actor: Any, letter: TargetLetter, reason: str) -> TargetLetter:
    """The region asks for a change instead of signing, with its reason; the targets go back to the level
    above, which changes them and publishes again."""
    _check_letter_actor(actor, letter)
    if not (reason or "").strip():
        raise InvalidInput({"reason": ["请说明申请调整的理由。"]})
    with transaction.atomic():
        letter = TargetLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != LetterStatus.PENDING:
            raise Conflict("该目标责任书不是待确认状态。", code="letter_state")
        before = snapshot(letter, LETTER_FIELDS)
        letter.status = LetterStatus.CHANGE_REQUESTED
        letter.change_reason = reason.strip()
        letter.change_requested_at = timezone.now()
        letter.save()
        Target.objects.filter(year=letter.year, region=letter.region, status=TargetStatus.PUBLISHED).update(
            status=TargetStatus.CHANGE_REQUESTED
        )
        audit_record(
            actor=actor,
            action="object",
            obj=letter,
            before=before,
            after=snapshot(letter, LETTER_FIELDS),
            comment=reason.strip(),
        )
        _notify_issuer(letter, f"{letter.region.name}申请调整{letter.year}年目标", reason.strip())
    return letter


def _notify_issuer(letter: TargetLetter, title: str, body: str) -> None:
    parent = letter.region.parent
    if parent is None or parent.level == RegionLevel.PROVINCE:
        recipients = province_users()
    else:
        recipients = users_of(parent, (Role.CITY,))
    notify(
        recipients=recipients,
        kind="target.letter",
        title=title,
        body=body,
        url=f"/monitoring/letters/{letter.pk}/",
    )

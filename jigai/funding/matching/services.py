"""Matching an enterprise's objects with the open guideline, and the 免申即享 confirmations."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import Conflict, DomainError, NotFound

from ..calc import CalculationError, item_label
from ..calc import evaluate as calc_evaluate
from ..models import (
    Application,
    AppStatus,
    Guideline,
    GuidelineStatus,
    Match,
    MatchPreference,
    MatchStatus,
    ProactiveAward,
    ProactiveStatus,
)
from ..services._common import inform

# What the enterprise is told to add, by the field the case builder names (the facts it could not find).
MISSING_HINTS = {
    "insurance": "补充产品的保险保单后可测算",
    "recognitions": "补充首台（套）/首版次认定后可测算",
    "invoices": "补充设备发票后可测算",
    "sales": "补充销售发票后可测算",
}


def open_guideline(now: Any = None) -> Guideline | None:
    """The published guideline whose application window is open now (the latest, if several)."""
    now = now or timezone.now()
    return (
        Guideline.objects.filter(status=GuidelineStatus.PUBLISHED, opens_at__lte=now, closes_at__gte=now)
        .order_by("-opens_at", "-pk")
        .first()
    )


def _objects(enterprise: Any) -> list[Any]:
    from jigai.registry.models import LibraryStatus, Platform, Product, Project, Title

    return [
        *Project.objects.filter(enterprise=enterprise, library_status=LibraryStatus.IN_LIBRARY),
        *Product.objects.filter(enterprise=enterprise),
        *Platform.objects.filter(enterprise=enterprise),
        *Title.objects.filter(enterprise=enterprise),
    ]


def _hint(error: DomainError) -> str:
    field = getattr(error, "field", "") or ""
    return MISSING_HINTS.get(field, f"补充资料后可测算：{error.message}")[:300]


def _users(enterprise: Any) -> list[Any]:
    from jigai.accounts.models import User

    return list(User.objects.filter(role="enterprise", enterprise=enterprise, is_active=True))


def wants_notices(enterprise: Any) -> bool:
    pref = MatchPreference.objects.filter(enterprise=enterprise).first()
    return pref.notify if pref else True


def refresh_enterprise(enterprise: Any, *, guideline: Guideline | None = None) -> list[Match]:
    """Evaluate every object × item of the open guideline for the enterprise and keep the result."""
    from jigai.registry.facts import FactsError, items_for

    guideline = guideline or open_guideline()
    if guideline is None:
        return []
    today = timezone.localdate()
    now = timezone.now()
    kept: list[Match] = []
    with transaction.atomic():
        seen = []
        for obj in _objects(enterprise):
            for item in items_for(obj):
                if item not in (guideline.items or []):
                    continue
                values: dict[str, Any] = {
                    "enterprise": enterprise,
                    "object_label": str(obj)[:200],
                    "evaluated_at": now,
                    "proactive": item in (guideline.proactive_items or []),
                    "ceiling": Decimal("0"),
                    "explanation": [],
                    "missing": "",
                    "reasons": [],
                }
                try:
                    evaluated = calc_evaluate(
                        obj=obj,
                        item=item,
                        as_of=today,
                        other_provincial_support=False,
                        overrides=guideline.parameter_overrides or {},
                        round_year=guideline.year,
                    )
                except (FactsError, CalculationError) as error:
                    values.update(status=MatchStatus.MISSING, missing=_hint(error))
                else:
                    result = evaluated["result"]
                    amount = Decimal(str(result.get("amount") or "0"))
                    ok = bool(result.get("eligible")) and amount > 0
                    values.update(
                        status=MatchStatus.ELIGIBLE if ok else MatchStatus.NOT_ELIGIBLE,
                        ceiling=amount if ok else Decimal("0"),
                        explanation=list(result.get("explanation") or []),
                        reasons=list(result.get("reasons") or []),
                    )
                match, _ = Match.objects.update_or_create(
                    guideline=guideline,
                    item=item,
                    object_kind=obj._meta.model_name,
                    object_id=obj.pk,
                    defaults=values,
                )
                seen.append(match.pk)
                kept.append(match)
                if match.proactive and match.status == MatchStatus.ELIGIBLE:
                    ProactiveAward.objects.get_or_create(match=match)
        Match.objects.filter(guideline=guideline, enterprise=enterprise).exclude(pk__in=seen).filter(
            proactive_award__isnull=True
        ).delete()
        new = [m for m in kept if m.status == MatchStatus.ELIGIBLE and m.notified_at is None]
        if new and wants_notices(enterprise):
            lines = "；".join(f"{item_label(m.item)}（{m.object_label}）" for m in new[:5])
            inform(
                recipients=_users(enterprise),
                kind="match",
                title=f"您有 {len(new)} 个事项看起来符合《{guideline.title}》的支持条件",
                body=f"{lines}。可在“政策匹配”中查看测算上限和说明，一键发起申报。",
                url=reverse("funding:match_list"),
            )
        Match.objects.filter(pk__in=[m.pk for m in new]).update(notified_at=now)
    return kept


def refresh_all(progress: Any = None) -> int:
    """Every enterprise with objects (the nightly run); returns the number of matches kept."""
    from jigai.registry.models import Enterprise

    guideline = open_guideline()
    if guideline is None:
        return 0
    ents = list(Enterprise.objects.order_by("pk"))
    total = 0
    for n, ent in enumerate(ents, start=1):
        total += len(refresh_enterprise(ent, guideline=guideline))
        if progress is not None:
            progress(n, len(ents))
    return total


def _own_match(actor: Any, match_id: Any) -> Match:
    match = Match.objects.restrict(actor, "view").filter(pk=match_id).select_related("guideline").first()
    if match is None:
        raise NotFound("未找到该匹配结果。")
    return match


def _target(match: Match) -> Any:
    from jigai.registry.models import Platform, Product, Project, Title

    model = {"project": Project, "product": Product, "platform": Platform, "title": Title}[match.object_kind]
    return model.objects.get(pk=match.object_id)


def start_application(*, actor: Any, match_id: Any) -> Application:
    """One click: a draft of the match's item and object, with the facts the registry holds."""
    from ..services.applications import application_create_draft

    require(actor, "application.submit")
    match = _own_match(actor, match_id)
    if match.status != MatchStatus.ELIGIBLE:
        raise Conflict("该事项目前不符合条件或缺少资料，补充后再申报。")
    if match.proactive:
        raise Conflict("该事项为免申即享：无需申报，请在下方确认意愿和收款账户。")
    return application_create_draft(
        actor=actor, guideline=match.guideline, item=match.item, target=_target(match)
    )


def set_notifications(*, actor: Any, notify: bool) -> MatchPreference:
    require(actor, "enterprise.edit_own")
    with transaction.atomic():
        pref, _ = MatchPreference.objects.update_or_create(
            enterprise=actor.enterprise, defaults={"notify": notify}
        )
        audit_record(actor=actor, action="update", obj=pref, after={"notify": notify})
    return pref


_ACCOUNT = re.compile(r"^\d{8,30}$")


def proactive_confirm_enterprise(
    *, actor: Any, award_id: Any, payee_name: str, bank_name: str, bank_account: str
) -> ProactiveAward:
    """The enterprise says it wants the award and where it is to be paid."""
    require(actor, "enterprise.edit_own")
    account = re.sub(r"\s+", "", bank_account or "")
    if not (payee_name or "").strip():
        raise DomainError("请填写收款单位（应为企业全称）。", field="payee_name")
    if (payee_name or "").strip() != actor.enterprise.name:
        raise DomainError("收款单位须为本企业（与营业执照名称一致）。", field="payee_name")
    if not (bank_name or "").strip():
        raise DomainError("请填写开户银行。", field="bank_name")
    if not _ACCOUNT.match(account):
        raise DomainError("银行账号应为 8 至 30 位数字。", field="bank_account")
    with transaction.atomic():
        award = ProactiveAward.objects.restrict(actor, "view").select_for_update().filter(pk=award_id).first()
        if award is None:
            raise NotFound("未找到该免申即享事项。")
        if award.status != ProactiveStatus.PREPARED:
            raise Conflict("已确认过，不能重复确认。")
        before = snapshot(award)
        award.payee_name = payee_name.strip()
        award.bank_name = bank_name.strip()
        award.bank_account = account
        award.enterprise_confirmed_by = actor
        award.enterprise_confirmed_at = timezone.now()
        award.status = ProactiveStatus.ENTERPRISE_CONFIRMED
        award.save()
        audit_record(
            actor=actor,
            action="proactive.confirm_enterprise",
            obj=award,
            before=before,
            after=snapshot(award),
        )
    return award


def proactive_confirm_county(*, actor: Any, award_id: Any, comment: str = "") -> ProactiveAward:
    """The county confirms (it has checked the title or qualification behind the award); the award then
    joins the round as an application the enterprise submitted and the county passed (初审)."""
    from ..services.applications import application_create_draft, application_submit
    from ..services.workflow import application_transition

    require(actor, "match.confirm_county")
    with transaction.atomic():
        award = (
            ProactiveAward.objects.restrict(actor, "view")
            .select_for_update(of=("self",))  # PostgreSQL: not the nullable side of the outer joins
            .select_related("match__guideline", "enterprise_confirmed_by")
            .filter(pk=award_id)
            .first()
        )
        if award is None:
            raise NotFound("未找到该免申即享事项。")
        if award.status != ProactiveStatus.ENTERPRISE_CONFIRMED:
            raise Conflict("须先由企业确认意愿和收款账户。")
        match = award.match
        owner = award.enterprise_confirmed_by
        confirmed = timezone.localtime(award.enterprise_confirmed_at)
        app = application_create_draft(
            actor=owner,
            guideline=match.guideline,
            item=match.item,
            target=_target(match),
            summary=f"免申即享：系统按已核验数据生成，企业于 {confirmed:%Y-%m-%d} 确认。",
        )
        app = application_submit(actor=owner, application=app)
        note = (comment or "").strip() or "免申即享：已核对所依据的称号/资质，确认纳入本轮。"
        app = application_transition(actor=actor, application=app, action="approve", comment=note)
        before = snapshot(award)
        award.application = app
        award.county_confirmed_by = actor
        award.county_confirmed_at = timezone.now()
        award.status = ProactiveStatus.JOINED
        award.save()
        audit_record(
            actor=actor, action="proactive.confirm_county", obj=award, before=before, after=snapshot(award)
        )
    return award


def proactive_decline(*, actor: Any, award_id: Any) -> ProactiveAward:
    require(actor, "enterprise.edit_own")
    with transaction.atomic():
        award = ProactiveAward.objects.restrict(actor, "view").select_for_update().filter(pk=award_id).first()
        if award is None:
            raise NotFound("未找到该免申即享事项。")
        if award.status not in (ProactiveStatus.PREPARED, ProactiveStatus.ENTERPRISE_CONFIRMED):
            raise Conflict("已纳入评审，不能放弃；如需撤回请在申报页办理。")
        before = snapshot(award)
        award.status = ProactiveStatus.DECLINED
        award.save(update_fields=["status"])
        audit_record(actor=actor, action="proactive.decline", obj=award, before=before, after=snapshot(award))
    return award


def not_applied(actor: Any, guideline: Guideline | None = None) -> list[dict[str, Any]]:
    """应享未享: the enterprises of the actor's region with an eligible match and no application yet."""
    require(actor, "match.view_region")
    guideline = guideline or open_guideline()
    if guideline is None:
        return []
    applied = (
        Application.objects.filter(guideline=guideline)
        .exclude(status=AppStatus.DRAFT)
        .values("enterprise_id")
    )
    rows: dict[int, dict[str, Any]] = {}
    qs = (
        Match.objects.restrict(actor, "view")
        .filter(guideline=guideline, status=MatchStatus.ELIGIBLE)
        .exclude(enterprise_id__in=applied)
        .select_related("enterprise__region")
        .order_by("enterprise__region_id", "enterprise__name")
    )
    for m in qs:
        row = rows.setdefault(
            m.enterprise_id,
            {"enterprise": m.enterprise, "items": [], "ceiling": Decimal("0"), "proactive": 0},
        )
        row["items"].append(item_label(m.item))
        row["ceiling"] = max(row["ceiling"], m.ceiling)
        row["proactive"] += m.proactive
    return list(rows.values())

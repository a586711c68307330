"""Expert review: the province assigns experts; an expert declares no conflict of interest before seeing
the application; scores on the rubric with a comment; average and spread are shown to the province."""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.accounts.roles import Role

from ..models import Application, AppStatus, ExpertAssignment
from ..models import Conflict as ConflictChoice
from ._common import Conflict, DomainError, NotFound, audit, inform, lock_application, snapshot

# The scoring rubric (key, label, maximum points); 100 in all.
RUBRIC: tuple[tuple[str, str, int], ...] = (
    ("technology", "技术先进性", 30),
    ("economic", "经济效益", 25),
    ("investment", "投资真实性", 25),
    ("demonstration", "示范带动", 20),
)
CENT = Decimal("0.01")


def expert_assign(*, actor: Any, application: Application, experts: list[Any]) -> list[ExpertAssignment]:
    require(actor, "expert.assign")
    if not experts:
        raise DomainError("请选择至少一位专家。", field="experts")
    with transaction.atomic():
        app = lock_application(application.pk)
        if app.status != AppStatus.FORMAL_CHECKED:
            raise Conflict("只有通过形式审查、处于专家评审阶段的申报可以分配专家。")
        created = []
        for expert in experts:
            if expert.role != Role.EXPERT or not expert.is_active:
                raise DomainError(
                    f"{expert.get_full_name() or expert.username} 不是在册专家。", field="experts"
                )
            if ExpertAssignment.objects.filter(application=app, expert=expert, voided=False).exists():
                raise DomainError(
                    f"{expert.get_full_name() or expert.username} 已分配评审该申报。", field="experts"
                )
            assignment = ExpertAssignment.objects.create(application=app, expert=expert, assigned_by=actor)
            created.append(assignment)
            audit(actor=actor, action="assign", obj=app, after={"expert": expert.pk}, comment="分配评审专家")
        inform(
            recipients=[a.expert for a in created],
            kind="expert_assigned",
            title=f"新的评审任务：{app.tracking_no}",
            body="请先声明与申报企业无利益冲突，再查看申报材料并评分。",
            url=_assignment_url(created[0]) if len(created) == 1 else "",
        )
    return created


def _assignment_url(assignment: ExpertAssignment) -> str:
    from django.urls import reverse

    return reverse("funding:expert_review", args=[assignment.pk])


def _own_assignment(actor: Any, assignment: ExpertAssignment) -> ExpertAssignment:
    # The gate (an expert reaches only their own live assignments), not an inline ownership test.
    rows = ExpertAssignment.objects.restrict(actor, "change").select_for_update(of=("self",))
    locked = rows.filter(pk=assignment.pk).first()
    if locked is None:
        raise NotFound("未找到该评审任务，或您无权查看。")
    return locked


def expert_declare(
    *, actor: Any, assignment: ExpertAssignment, has_conflict: bool, note: str = ""
) -> ExpertAssignment:
    """Declare before reading: no conflict (then the application opens) or a conflict (then the expert
    steps aside and the province assigns another)."""
    require(actor, "expert.score")
    note = (note or "").strip()
    if has_conflict and not note:
        raise DomainError("请说明利益冲突的情况。", field="conflict_note")
    with transaction.atomic():
        locked = _own_assignment(actor, assignment)
        if locked.conflict != ConflictChoice.PENDING:
            raise Conflict("已声明过利益冲突情况，不能重复声明。")
        locked.conflict = ConflictChoice.DECLARED if has_conflict else ConflictChoice.NONE
        locked.conflict_note = note
        locked.conflict_declared_at = timezone.now()
        locked.save(update_fields=["conflict", "conflict_note", "conflict_declared_at"])
        audit(
            actor=actor,
            action="update",
            obj=locked.application,
            after={"conflict": locked.conflict},
            comment="专家利益冲突声明：" + locked.get_conflict_display(),
        )
        if has_conflict:
            inform(
                recipients=get_user_model().objects.filter(role=Role.PROVINCE, is_active=True),
                kind="expert_conflict",
                title=f"专家回避：{locked.application.tracking_no}",
                body=f"专家声明存在利益冲突：{note}。请另行分配专家。",
                url="",
            )
    return locked


def clean_scores(raw: dict[str, Any]) -> dict[str, str]:
    scores: dict[str, str] = {}
    for key, label, top in RUBRIC:
        value = raw.get(key)
        if value in (None, ""):
            raise DomainError(f"请填写“{label}”得分。", field=key)
        try:
            points = Decimal(str(value))
        except InvalidOperation:
            raise DomainError(f"“{label}”得分须为数字。", field=key) from None
        if not points.is_finite() or points < 0 or points > top:
            raise DomainError(f"“{label}”得分应在 0 至 {top} 分之间。", field=key)
        if points != points.quantize(Decimal("0.1")):
            raise DomainError(f"“{label}”得分最多一位小数。", field=key)
        scores[key] = str(points)
    return scores


def expert_score(
    *, actor: Any, assignment: ExpertAssignment, scores: dict[str, Any], comment: str
) -> ExpertAssignment:
    require(actor, "expert.score")
    clean = clean_scores(scores)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("请填写评审意见。", field="comment")
    with transaction.atomic():
        locked = _own_assignment(actor, assignment)
        if locked.conflict != ConflictChoice.NONE:
            raise Conflict(
                "请先声明无利益冲突，再评分。"
                if locked.conflict == ConflictChoice.PENDING
                else "您已声明存在利益冲突，不能评分。"
            )
        if locked.submitted_at is not None:
            raise Conflict("评分已提交，不能重复提交。")
        app = lock_application(locked.application_id)
        if app.status != AppStatus.FORMAL_CHECKED:
            raise Conflict("该申报已不在专家评审阶段。")
        locked.scores = clean
        locked.total = sum((Decimal(v) for v in clean.values()), Decimal("0"))
        locked.comment = comment
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["scores", "total", "comment", "submitted_at"])
        before = snapshot(app, ["score_avg"])
        app.score_avg = review_stats(app)["avg"]
        app.save(update_fields=["score_avg", "updated_at"])
        audit(
            actor=actor,
            action="score",
            obj=app,
            before=before,
            after={"score_avg": app.score_avg, "total": locked.total},
        )
    return locked


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def review_stats(application: Application) -> dict[str, Any]:
    """Count, average, spread (max − min) and standard deviation (population) of the submitted totals,
    and the average of each rubric criterion."""
    done = list(
        ExpertAssignment.objects.filter(application=application, voided=False, submitted_at__isnull=False)
        .select_related("expert")
        .order_by("submitted_at")
    )
    totals = [a.total for a in done]
    stats: dict[str, Any] = {
        "count": len(done),
        "assignments": done,
        "avg": None,
        "spread": None,
        "stdev": None,
        "min": None,
        "max": None,
        "criteria": [],
    }
    if not totals:
        return stats
    stats["avg"] = _q(sum(totals, Decimal("0")) / len(totals))
    stats["min"], stats["max"] = min(totals), max(totals)
    stats["spread"] = _q(stats["max"] - stats["min"])
    stats["stdev"] = _q(statistics.pstdev(totals)) if len(totals) > 1 else Decimal("0.00")
    for key, label, top in RUBRIC:
        values = [Decimal(a.scores[key]) for a in done if key in a.scores]
        avg = _q(sum(values, Decimal("0")) / len(values)) if values else None
        stats["criteria"].append({"key": key, "label": label, "max": top, "avg": avg})
    return stats

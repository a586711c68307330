"""Demo: this year's guideline marks 三（四）1 (国家级试点示范称号) as 免申即享, and every demo enterprise is
matched once (the nightly run), so the enterprise sees what it appears eligible for."""

from __future__ import annotations

from typing import Any

from ..models import Guideline, GuidelineStatus
from .services import open_guideline, refresh_all

PROACTIVE = ["3.4.1"]


def build_matching(ctx: Any) -> None:
    guideline = open_guideline()
    if guideline is None:
        return
    items = [i for i in PROACTIVE if i in (guideline.items or [])]
    if items and guideline.status == GuidelineStatus.PUBLISHED:
        Guideline.objects.filter(pk=guideline.pk).update(proactive_items=items)
    ctx.counts["政策匹配"] = refresh_all()

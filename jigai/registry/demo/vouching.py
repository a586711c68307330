"""The demo's vouching (issue 7), run once the demo users exist: the province demo officer has verified
almost every qualification (a few in Luoyang are left 待核验 so the queue shows something, one is
rejected with its reason, and the featured enterprise's 市级 green factory waits for the county), and the
counties have confirmed almost every enterprise's declaration 研发、生产在河南省内 (one, in 涧西区 when there
is one, waits for the county demo officer; one has not declared)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..models import (
    CALCULATOR_QUALIFICATIONS,
    Enterprise,
    Level,
    Qualification,
    QualificationKind,
    QualificationStatus,
)
from .common import DemoContext
from .data import FEATURED_REGION

PENDING = 4  # qualifications left 待核验 for the province's queue
REJECTION = "证书已过有效期，且未列入最新公布的名单，请上传有效证书后重新提交。"


def build_vouching(ctx: DemoContext) -> None:
    province, county = ctx.users.get("shengting"), ctx.users.get("xianji")
    if province is None:
        return
    from . import demo_enterprises

    now = timezone.now()
    ents = Enterprise.objects.filter(pk__in=demo_enterprises().values("pk"))
    featured_id = ctx.featured.pk if ctx.featured else None
    quals = Qualification.objects.filter(enterprise__in=ents.values("pk"))
    # A few calculator qualifications stay open, of Luoyang enterprises first (where the demo officers work).
    candidates = (
        quals.filter(kind__in=CALCULATOR_QUALIFICATIONS)
        .exclude(enterprise_id=featured_id)
        .values_list("pk", "enterprise__region__parent_id")
    )
    open_ids = [pk for pk, _city in sorted(candidates, key=lambda c: (c[1] != "410300", c[0]))][: PENDING + 1]
    pending, rejected = open_ids[:PENDING], open_ids[PENDING:]
    quals.exclude(pk__in=open_ids).update(
        status=QualificationStatus.VERIFIED,
        verified_by=province,
        verified_at=now,
        review_comment="演示数据：已对照证书核验。",
    )
    quals.filter(pk__in=rejected).update(
        status=QualificationStatus.REJECTED, verified_by=province, verified_at=now, review_comment=REJECTION
    )
    # The two exceptions to 研发、生产在河南省内: enterprises other than the featured one, in 涧西区 first
    # (where the county demo officer works), then elsewhere in Luoyang, then anywhere.
    others = ents.exclude(pk=featured_id).values_list("pk", "region_id", "region__parent_id")
    ranked = sorted(others, key=lambda e: (e[1] != FEATURED_REGION, e[2] != "410300", e[0]))
    waiting, undeclared = ([e[0] for e in ranked[:2]] + [None, None])[:2]
    ents.filter(pk=undeclared).update(in_henan_declared=False)
    checked = ents.exclude(pk__in=[pk for pk in (waiting, undeclared) if pk is not None])
    checked.filter(region_id=FEATURED_REGION).update(
        in_henan_confirmed=True, in_henan_confirmed_by=county or province, in_henan_confirmed_at=now
    )
    checked.exclude(region_id=FEATURED_REGION).update(
        in_henan_confirmed=True, in_henan_confirmed_by=province, in_henan_confirmed_at=now
    )
    if featured_id is not None:  # a city's own list (市级) the county may confirm itself
        start = dt.date(ctx.today.year - 1, 7, 1)
        Qualification.objects.create(
            enterprise_id=featured_id,
            kind=QualificationKind.GREEN_FACTORY,
            level=Level.MUNICIPAL,
            certificate_no=f"洛工信节〔{start.year}〕18号",
            valid_from=start,
            valid_to=dt.date(start.year + 3, 6, 30),
        )
    ctx.add("待核验资质", len(pending) + (featured_id is not None))

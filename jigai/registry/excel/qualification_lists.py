"""Import of the province's official lists (名单): each row vouches for one enterprise's qualification.

Issue 7: a qualification counts once an officer has verified it; the official list of 头雁企业, 国家级专精特新
“小巨人”, 省级专精特新 … verifies the listed ones in bulk. For every row the enterprise is found by its credit
code (it must be registered: otherwise a row error); the enterprise's qualification of that kind whose
validity overlaps the list's becomes 已核验 — with the list's validity and document number, since the list
is the authority, not the claim — and a missing one is created 已核验. All rows or none (the toolkit's
run_import), an audit record per row, the scope re-checked.

When several claimed qualifications of the kind overlap the listed period, the one with the same dates is
taken, else the earliest; the others stay as they are (待核验 for an officer to look at).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from jigai.core.excel import Rows, Spec

from ..models import KIND_LEVELS, Qualification, QualificationStatus
from ..signals import bulk_written
from . import specs
from .base import Errors, Importer, chunks
from .bulk import bulk_insert
from .importers import IMPORTERS, _enterprises

DECIDED = ("status", "verified_by", "verified_at", "review_comment", "list_document_no")
LISTED = ("valid_from", "valid_to", "certificate_no")


@dataclass
class _ListCtx:
    ents: dict[str, Any]
    paths: dict[int, str] = field(default_factory=dict)
    before: dict[int, dict[str, Any]] = field(default_factory=dict)  # updated rows: their state before


def _overlaps(q: Qualification, start: dt.date, end: dt.date) -> bool:
    return q.valid_from <= end and q.valid_to >= start


def _match(candidates: list[Qualification], start: dt.date, end: dt.date) -> Qualification | None:
    overlapping = [q for q in candidates if _overlaps(q, start, end)]
    for q in overlapping:
        if (q.valid_from, q.valid_to) == (start, end):
            return q
    return min(overlapping, key=lambda q: (q.valid_from, q.pk), default=None)


def _comment(doc: str) -> str:
    return f"据名单核验（{doc}）"


class QualificationListImporter(Importer):
    kind = "qualification_lists"
    label = "资质名单"
    permission = "import.qualification_list"
    model = Qualification
    audit_action = "qualification.list_verify"

    def spec(self) -> Spec:
        return specs.qualification_list_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        return {
            "notes": [
                "省工信厅按官方名单整批核验企业资质：每行按统一社会信用代码查找企业（企业须已在系统中登记）。",
                "同一企业、同一资质类型且有效期与名单重叠的已填报资质改为“已核验”，有效期、证书/文号以名单为准；"
                "没有的将新建为“已核验”。整个文件全部成功或全部不导入。",
            ]
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> _ListCtx:
        ents = _enterprises(actor, rows, errors, need_confirmed=False)
        ids = sorted({e.id for e in ents.values()})
        existing: dict[tuple[int, str], list[Qualification]] = defaultdict(list)
        for part in chunks(ids):
            for q in Qualification.objects.filter(enterprise_id__in=part).order_by("valid_from", "pk"):
                existing[(q.enterprise_id, q.kind)].append(q)
        seen: dict[tuple[str, str], list[dict]] = defaultdict(list)
        taken: set[int] = set()  # a claim verified by one row is not verified again by another
        for row in rows:
            n, start, end = row["_row"], row["valid_from"], row["valid_to"]
            row["_match"] = None
            if start and end and end < start:
                errors.add(n, "valid_to", "有效期止不能早于有效期起。")
                continue
            info = ents.get(row["uscc"])
            if info is None or not row["kind"] or not start or not end:
                continue
            for other in seen[(row["uscc"], row["kind"])]:
                if other["valid_from"] <= end and other["valid_to"] >= start:
                    errors.add(n, "valid_from", f"与第 {other['_row']} 行是同一企业同一资质，有效期重叠。")
                    break
            else:
                seen[(row["uscc"], row["kind"])].append(row)
                free = [q for q in existing.get((info.id, row["kind"]), []) if q.pk not in taken]
                row["_match"] = _match(free, start, end)
                if row["_match"] is not None:
                    taken.add(row["_match"].pk)
        return _ListCtx(ents=ents, paths={info.id: info.region_path for info in ents.values()})

    def create(self, actor: Any, rows: Rows, ctx: _ListCtx) -> list[tuple[int, Qualification]]:
        now = timezone.now()
        matched = [r["_match"].pk for r in rows if r["_match"] is not None]
        # Lock the claims being verified (the check read them outside the transaction) and re-read them.
        locked: dict[int, Qualification] = {}
        for part in chunks(matched):
            locked.update(Qualification.objects.select_for_update().in_bulk(list(part)))
        new: list[Qualification] = []
        updated: list[Qualification] = []
        out: list[tuple[int, Qualification]] = []
        for r in rows:
            q = locked.get(r["_match"].pk) if r["_match"] is not None else None
            if q is None:
                q = Qualification(
                    enterprise_id=ctx.ents[r["uscc"]].id, kind=r["kind"], level=KIND_LEVELS.get(r["kind"], "")
                )
                new.append(q)
            else:
                ctx.before[q.pk] = {name: getattr(q, name) for name in ("status", *LISTED)}
                updated.append(q)
            q.valid_from, q.valid_to = r["valid_from"], r["valid_to"]
            if r["certificate_no"]:
                q.certificate_no = r["certificate_no"]
            q.status = QualificationStatus.VERIFIED
            q.verified_by = actor
            q.verified_at = now
            q.list_document_no = r["list_document_no"]
            q.review_comment = _comment(r["list_document_no"])
            out.append((r["_row"], q))
        bulk_insert(new)
        Qualification.objects.bulk_update(updated, [*DECIDED, *LISTED], batch_size=1000)
        bulk_written.send(sender=Qualification, objs=updated)  # bulk_update sends no post_save
        return out

    def audit_item(self, obj: Qualification, ctx: _ListCtx) -> tuple[str, int | None, dict[str, Any]]:
        after: dict[str, Any] = {
            "kind": obj.kind,
            "status": obj.status,
            "valid_from": obj.valid_from,
            "valid_to": obj.valid_to,
            "certificate_no": obj.certificate_no,
            "list_document_no": obj.list_document_no,
        }
        before = ctx.before.get(obj.pk)
        after["created"] = before is None
        if before is not None:
            after["before"] = before
        return ctx.paths[obj.enterprise_id], obj.enterprise_id, after


IMPORTERS[QualificationListImporter.kind] = QualificationListImporter()

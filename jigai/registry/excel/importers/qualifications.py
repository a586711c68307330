"""The qualification import (企业资质, without certificate files): claims, checked like the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jigai.accounts.roles import Role
from jigai.core.excel import Rows, Spec

from ...models import (
    Qualification,
)
from .. import specs
from ..audit import snapshot_fields
from ..base import Errors, Importer, chunks
from ..bulk import bulk_insert
from .lookups import _Ctx, _duplicates, _enterprises


class QualificationImporter(Importer):
    kind = "qualifications"
    label = "企业资质"
    permission = "import.qualification"
    model = Qualification
    audit_action = "qualification.import"
    FIELDS = ("enterprise_id", "kind", "level", "certificate_no", "valid_from", "valid_to")

    def spec(self) -> Spec:
        return specs.qualification_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        return {"notes": ["证书文件不随表格导入，如需上传请在企业资质页面逐条上传。"]}

    def check(self, actor: Any, rows: Rows, errors: Errors) -> _Ctx:
        ents = _enterprises(actor, rows, errors, need_confirmed=actor.role == Role.ENTERPRISE)
        ids = sorted({e.id for e in ents.values()})
        existing: set[tuple[int, str, dt.date]] = set()
        for part in chunks(ids):
            existing.update(
                Qualification.objects.filter(enterprise_id__in=part).values_list(
                    "enterprise_id", "kind", "valid_from"
                )
            )

        def key(r: dict) -> Any:
            if r["uscc"] in ents and r["kind"] and r["valid_from"]:
                return (r["uscc"], r["kind"], r["valid_from"])
            return None

        _duplicates(rows, errors, key, "kind", "的企业、资质类型和有效期起")
        for row in rows:
            n = row["_row"]
            if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
                errors.add(n, "valid_to", "有效期止不能早于有效期起。")
            info = ents.get(row["uscc"])
            if info and (info.id, row["kind"], row["valid_from"]) in existing:
                errors.add(n, "kind", "该企业已登记此资质（资质类型和有效期起相同），不能重复导入。")
        return _Ctx(ents)

    def create(self, actor: Any, rows: Rows, ctx: _Ctx) -> list[tuple[int, Qualification]]:
        objs = [
            Qualification(
                enterprise_id=ctx.ents[r["uscc"]].id,
                kind=r["kind"],
                level=r["level"] or "",
                certificate_no=r["certificate_no"],
                valid_from=r["valid_from"],
                valid_to=r["valid_to"],
            )
            for r in rows
        ]
        bulk_insert(objs)
        return [(r["_row"], obj) for r, obj in zip(rows, objs, strict=True)]

    _snap = staticmethod(snapshot_fields(FIELDS))

    def audit_item(self, obj: Qualification, ctx: _Ctx) -> tuple[str, int | None, dict[str, Any]]:
        return ctx.paths[obj.enterprise_id], obj.enterprise_id, self._snap(obj)

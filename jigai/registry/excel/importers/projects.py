"""The project import (项目库): projects of confirmed enterprises in the actor's scope."""

from __future__ import annotations

from typing import Any

from jigai.accounts.roles import Role
from jigai.core.excel import Rows, Spec

from ...models import (
    ConstructionStatus,
    LibraryStatus,
    Project,
)
from .. import specs
from ..audit import snapshot_fields
from ..base import Errors, Importer, chunks
from ..bulk import bulk_insert
from .lookups import _Ctx, _duplicates, _enterprises, _money


class ProjectImporter(Importer):
    kind = "projects"
    label = "技改项目"
    permission = "import.project"
    model = Project
    audit_action = "project.import"
    FIELDS = (
        "enterprise_id",
        "name",
        "category",
        "is_machine_replacement",
        "is_smart_factory",
        "total_investment",
        "equipment_investment",
        "software_investment",
        "machine_purchase_investment",
        "planned_start",
        "planned_end",
        "construction_status",
        "zero_new_land",
        "added_floor_area",
        "description",
        "library_status",
    )

    def spec(self) -> Spec:
        return specs.project_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        return {
            "notes": [
                "导入的项目为“草稿”状态，由企业核对后提交县级审核（项目入库流程不变）。金额单位为元。",
            ]
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> _Ctx:
        ents = _enterprises(actor, rows, errors, need_confirmed=actor.role == Role.ENTERPRISE)
        ids = sorted({e.id for e in ents.values()})
        existing: set[tuple[int, str]] = set()
        for part in chunks(ids):
            existing.update(
                Project.objects.filter(enterprise_id__in=part).values_list("enterprise_id", "name")
            )

        def key(r: dict) -> Any:
            return (r["uscc"], r["name"].strip()) if r["uscc"] and r["name"] else None

        _duplicates(rows, errors, key, "name", "的企业和项目名称")
        for row in rows:
            n = row["_row"]
            row["name"] = (row["name"] or "").strip()
            info = ents.get(row["uscc"])
            if info and (info.id, row["name"]) in existing:
                errors.add(n, "name", "该企业已有同名项目，不能重复导入。")
            start, end = row["planned_start"], row["planned_end"]
            if start and end and end < start:
                errors.add(n, "planned_end", "计划竣工日期不能早于计划开工日期。")
            total = row["total_investment"]
            if total is not None:
                parts = _money(row["equipment_investment"]) + _money(row["software_investment"])
                if parts > total:
                    errors.add(n, "total_investment", "设备投资与软件投资之和不能超过总投资。")
                if _money(row["machine_purchase_investment"]) > total:
                    errors.add(n, "machine_purchase_investment", "整机购置投资不能超过总投资。")
            if (
                row["zero_new_land"]
                and row["added_floor_area"] is None
                and not errors.failed(n, "added_floor_area")
            ):
                errors.add(n, "added_floor_area", "零增地项目请填写新增建筑面积（平方米）。")
            if row["is_machine_replacement"] and not row["machine_purchase_investment"]:
                if not errors.failed(n, "machine_purchase_investment"):
                    errors.add(n, "machine_purchase_investment", "机器换人项目请填写整机购置投资。")
        return _Ctx(ents)

    def create(self, actor: Any, rows: Rows, ctx: _Ctx) -> list[tuple[int, Project]]:
        objs = [
            Project(
                enterprise_id=ctx.ents[r["uscc"]].id,
                name=r["name"],
                category=r["category"],
                is_machine_replacement=bool(r["is_machine_replacement"]),
                is_smart_factory=bool(r["is_smart_factory"]),
                total_investment=r["total_investment"],
                equipment_investment=_money(r["equipment_investment"]),
                software_investment=_money(r["software_investment"]),
                machine_purchase_investment=_money(r["machine_purchase_investment"]),
                planned_start=r["planned_start"],
                planned_end=r["planned_end"],
                construction_status=r["construction_status"] or ConstructionStatus.PLANNED,
                zero_new_land=bool(r["zero_new_land"]),
                added_floor_area=r["added_floor_area"],
                description=r["description"],
                # The library workflow is not skipped: the enterprise submits, county and city check.
                library_status=LibraryStatus.DRAFT,
            )
            for r in rows
        ]
        bulk_insert(objs)
        return [(r["_row"], obj) for r, obj in zip(rows, objs, strict=True)]

    _snap = staticmethod(snapshot_fields(FIELDS))

    def audit_item(self, obj: Project, ctx: _Ctx) -> tuple[str, int | None, dict[str, Any]]:
        return ctx.paths[obj.enterprise_id], obj.enterprise_id, self._snap(obj)

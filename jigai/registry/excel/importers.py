"""The four registry imports: enterprises, qualifications (without certificate files), projects and monthly
progress. The checks mirror the registry services (jigai.registry.services) row by row, with every lookup
fetched once into a dict (no query per row), so 100,000 rows import in one request."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from jigai.accounts.roles import Role
from jigai.accounts.scope import region_q
from jigai.core.errors import DomainError
from jigai.core.phone import validate_phone
from jigai.regions.models import Region
from jigai.web.excel import Rows, Spec

from .. import industry
from ..models import (
    ConstructionStatus,
    Enterprise,
    EnterpriseStatus,
    LibraryStatus,
    ProgressReport,
    Project,
    Qualification,
)
from ..services.enterprises import may_register_in
from ..services.progress_totals import store_project_totals, unexplained_overruns
from ..uscc import validate_uscc
from . import specs
from .audit import snapshot_fields
from .base import Errors, Importer, chunks
from .bulk import bulk_insert

# Where an enterprise can be registered (as in services.enterprises): counties, statistics zones, Jiyuan.


# ---------------------------------------------------------------------------------------------- lookups


@dataclass(frozen=True)
class EnterpriseInfo:
    id: int
    uscc: str
    name: str
    status: str
    region_path: str


def _uscc_of(rows: Rows, errors: Errors) -> None:
    """Normalise and check every credit code in place (None where it is invalid)."""
    for row in rows:
        n, value = row["_row"], row.get("uscc")
        if not value or errors.failed(n, "uscc"):
            row["uscc"] = None
            continue
        try:
            row["uscc"] = validate_uscc(value)
        except ValidationError as e:
            errors.add(n, "uscc", e.messages[0])
            row["uscc"] = None


def _enterprises(
    actor: Any, rows: Rows, errors: Errors, *, need_confirmed: bool
) -> dict[str, EnterpriseInfo]:
    """Find each row's enterprise by credit code; refuse unknown codes, enterprises outside the actor's scope,
    a name that does not match the code, and (when asked) enterprises the county has not confirmed."""
    _uscc_of(rows, errors)
    codes = sorted({r["uscc"] for r in rows if r["uscc"]})
    found: dict[str, EnterpriseInfo] = {}
    in_scope: set[int] = set()
    scoped = Enterprise.objects.restrict(actor, "change")
    for part in chunks(codes):
        for pk, uscc, name, status, path in Enterprise.objects.filter(uscc__in=part).values_list(
            "pk", "uscc", "name", "status", "region__path"
        ):
            found[uscc] = EnterpriseInfo(pk, uscc, name, status, path)
        in_scope.update(scoped.filter(uscc__in=part).values_list("pk", flat=True))
    out: dict[str, EnterpriseInfo] = {}
    for row in rows:
        n, code = row["_row"], row["uscc"]
        if not code:
            continue
        info = found.get(code)
        if info is None:
            errors.add(n, "uscc", "系统中没有该统一社会信用代码的企业，请先登记（导入）企业。")
            continue
        if info.id not in in_scope:
            errors.add(n, "uscc", "该企业不在您的管辖范围内。")
            continue
        given = (row.get("enterprise_name") or "").strip()
        if given and given != info.name:
            errors.add(n, "enterprise_name", f"企业名称与统一社会信用代码不符（系统中为“{info.name}”）。")
        if need_confirmed and info.status != EnterpriseStatus.CONFIRMED:
            errors.add(n, "uscc", "该企业尚未经县级工信部门确认，暂不能导入其数据。")
        out[code] = info
    return out


class _Ctx:
    """What a check hands to create/audit: the rows' enterprises by credit code, region paths by id."""

    def __init__(self, ents: dict[str, EnterpriseInfo]) -> None:
        self.ents = ents
        self.paths = {info.id: info.region_path for info in ents.values()}


def _duplicates(rows: Rows, errors: Errors, key_of, column: str, what: str) -> None:
    """Mark every row that repeats an earlier row of the file (same key)."""
    seen: dict[Any, int] = {}
    for row in rows:
        key = key_of(row)
        if key is None:
            continue
        n = row["_row"]
        if key in seen:
            errors.add(n, column, f"与第 {seen[key]} 行{what}重复。")
        else:
            seen[key] = n


def _money(value: Any) -> Decimal:
    return value if value is not None else Decimal("0.00")


# ---------------------------------------------------------------------------------------------- enterprises


class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = "企业"
    permission = "import.enterprise"
    model = Enterprise
    audit_action = "enterprise.import"
    scope_key = "region"
    FIELDS = (
        "uscc",
        "name",
        "region_id",
        "industry_section",
        "industry_division",
        "size",
        "above_designated_size",
        "contact_person",
        "contact_phone",
        "address",
        "status",
    )

    def spec(self) -> Spec:
        return specs.enterprise_spec()

    @staticmethod
    def _regions() -> tuple[dict[str, Region], dict[str, list[Region]]]:
        regions = {r.code: r for r in Region.objects.select_related("parent")}
        by_name: dict[str, list[Region]] = defaultdict(list)
        for r in regions.values():
            by_name[r.name].append(r)
            if r.parent is not None and r.level != "city":
                by_name[f"{r.parent.name}{r.name}"].append(r)
        return regions, by_name

    @staticmethod
    def _allowed(region: Region) -> bool:
        return may_register_in(region)

    def _scope_codes(self, actor: Any) -> set[str]:
        return set(Region.objects.filter(region_q(actor, "", "change")).values_list("code", flat=True))

    def template_extras(self, actor: Any) -> dict[str, Any]:
        _regions, _ = self._regions()
        scope = self._scope_codes(actor)
        table = [["区划代码", "名称", "所属市"]]
        for r in sorted(_regions.values(), key=lambda r: r.code):
            if r.code in scope and self._allowed(r):
                table.append([r.code, r.name, r.parent.name if r.parent and r.level != "city" else ""])
        return {
            "notes": [
                "“所在区划代码”只能填写您管辖范围内的县级区划，见“区划代码表”。导入的企业即为已确认状态。"
            ],
            "reference": {"区划代码表": table},
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> dict[str, Region]:
        _uscc_of(rows, errors)
        regions, by_name = self._regions()
        scope = self._scope_codes(actor)
        codes = sorted({r["uscc"] for r in rows if r["uscc"]})
        existing: dict[str, str] = {}
        for part in chunks(codes):
            existing.update(Enterprise.objects.filter(uscc__in=part).values_list("uscc", "name"))
        _duplicates(rows, errors, lambda r: r["uscc"], "uscc", "的统一社会信用代码")
        divisions = industry.divisions()
        for row in rows:
            n = row["_row"]
            if row["uscc"] in existing:
                errors.add(n, "uscc", f"该统一社会信用代码已登记（{existing[row['uscc']]}），不能重复导入。")
            text = (row.get("region") or "").strip()
            if text and not errors.failed(n, "region"):
                region = regions.get(text)
                named = by_name.get(text, []) if region is None else []
                if len(named) == 1:
                    region = named[0]
                if len(named) > 1:
                    errors.add(
                        n, "region", f"有多个名为“{text}”的区划，请填写 6 位区划代码（或加上所属市名）。"
                    )
                elif region is None:
                    errors.add(
                        n, "region", f"区划“{text}”不存在，请填写县级区划的 6 位代码（见“区划代码表”）。"
                    )
                elif not self._allowed(region):
                    errors.add(n, "region", f"“{region.name}”不是县级区划，企业须登记到县（市、区）。")
                elif region.code not in scope:
                    errors.add(n, "region", f"“{region.name}”（{region.code}）不在您的管辖范围内。")
                else:
                    row["region"] = region.code
            division = row.get("industry_division") or ""
            section = row.get("industry_section") or ""
            if division and not section:
                section = row["industry_section"] = divisions[division][0]
            if division and divisions[division][0] != section:
                errors.add(n, "industry_division", "行业大类与行业门类不一致。")
            try:  # the same phone check as enterprise_create (jigai.core.phone), stored normalized
                row["contact_phone"] = validate_phone(row.get("contact_phone"))
            except DomainError as e:
                if not errors.failed(n, "contact_phone"):
                    errors.add(n, "contact_phone", e.message)
        return regions

    def create(self, actor: Any, rows: Rows, ctx: dict[str, Region]) -> list[tuple[int, Enterprise]]:
        now = timezone.now()
        objs = [
            Enterprise(
                uscc=r["uscc"],
                name=r["name"].strip(),
                region_id=r["region"],
                industry_section=r["industry_section"] or "",
                industry_division=r["industry_division"] or "",
                size=r["size"] or "",
                above_designated_size=bool(r["above_designated_size"]),
                contact_person=r["contact_person"],
                contact_phone=r["contact_phone"],
                address=r["address"],
                # Entered by the government department itself, like enterprise_create: confirmed at once.
                status=EnterpriseStatus.CONFIRMED,
                reviewed_at=now,
            )
            for r in rows
        ]
        bulk_insert(objs)
        return [(r["_row"], obj) for r, obj in zip(rows, objs, strict=True)]

    _snap = staticmethod(snapshot_fields(FIELDS))

    def audit_item(self, obj: Enterprise, ctx: dict[str, Region]) -> tuple[str, int | None, dict[str, Any]]:
        return ctx[obj.region_id].path, obj.pk, self._snap(obj)


# ------------------------------------------------------------------------------------------ qualifications


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


# ---------------------------------------------------------------------------------------------- projects


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


# ---------------------------------------------------------------------------------------------- progress


@dataclass
class _ProjectInfo:
    obj: Project
    region_path: str
    months: dict[dt.date, tuple[Decimal, str]]  # the reports already in the system


class ProgressImporter(Importer):
    kind = "progress"
    label = "月度进度"
    permission = "import.progress"
    model = ProgressReport
    audit_action = "progress.import"
    FIELDS = ("project_id", "month", "investment_completed", "over_total_reason", "note")
    REFERENCE_LIMIT = 10_000

    def spec(self) -> Spec:
        return specs.progress_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        table = [["项目编号", "统一社会信用代码", "企业名称", "项目名称"]]
        qs = (
            Project.objects.restrict(actor, "change")
            .filter(library_status=LibraryStatus.IN_LIBRARY)
            .order_by("enterprise__name", "name")
            .values_list("pk", "enterprise__uscc", "enterprise__name", "name")[: self.REFERENCE_LIMIT]
        )
        table.extend(list(t) for t in qs)
        return {
            "notes": [
                "只能填报已入库项目的进度，每个项目每月一条；累计完成投资超过项目总投资时须填写说明。",
                "“可填报项目”表列出了您可以填报的项目及其编号。",
            ],
            "reference": {"可填报项目": table},
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> dict[int, _ProjectInfo]:
        ents = _enterprises(actor, rows, errors, need_confirmed=False)
        by_ent = {e.id: e for e in ents.values()}
        projects: dict[int, _ProjectInfo] = {}
        by_name: dict[tuple[int, str], list[int]] = defaultdict(list)
        ids = sorted(by_ent)
        for part in chunks(ids):
            for p in Project.objects.filter(enterprise_id__in=part).only(
                "pk", "enterprise_id", "name", "total_investment", "library_status"
            ):
                projects[p.pk] = _ProjectInfo(p, by_ent[p.enterprise_id].region_path, {})
                by_name[(p.enterprise_id, p.name)].append(p.pk)
        pids = sorted(projects)
        for part in chunks(pids):
            for pid, month, amount, reason in ProgressReport.objects.filter(project_id__in=part).values_list(
                "project_id", "month", "investment_completed", "over_total_reason"
            ):
                projects[pid].months[month] = (amount, reason)
        this_month = timezone.localdate().replace(day=1)
        new: dict[int, dict[dt.date, dict]] = defaultdict(dict)
        for row in rows:
            n = row["_row"]
            row["_project"] = None
            info = ents.get(row["uscc"])
            name = (row["project_name"] or "").strip()
            if info is None:
                continue
            pid = row["project_id"]
            if pid is not None:
                p = projects.get(pid)
                if p is None or p.obj.enterprise_id != info.id:
                    errors.add(n, "project_id", f"该企业没有编号为 {pid} 的项目。")
                    continue
                if name and name != p.obj.name:
                    errors.add(n, "project_name", f"项目名称与项目编号不符（系统中为“{p.obj.name}”）。")
            elif name:
                found = by_name.get((info.id, name), [])
                if not found:
                    errors.add(n, "project_name", f"该企业没有名为“{name}”的项目。")
                    continue
                if len(found) > 1:
                    errors.add(n, "project_name", "该企业有多个同名项目，请填写项目编号。")
                    continue
                p = projects[found[0]]
            else:
                if not errors.failed(n, "project_id"):
                    errors.add(n, "project_name", "请填写项目编号或项目名称。")
                continue
            if p.obj.library_status != LibraryStatus.IN_LIBRARY:
                errors.add(
                    n,
                    "project_name",
                    f"项目尚未入库（当前为“{p.obj.get_library_status_display()}”），入库后方可填报月度进度。",
                )
                continue
            row["_project"] = p
            if row["year"] is None or row["month"] is None:
                continue
            month = dt.date(row["year"], row["month"], 1)
            row["_month"] = month
            if month > this_month:
                errors.add(n, "month", "不能填报未来月份的进度。")
            elif month in p.months:
                errors.add(n, "month", f"{month:%Y年%m月}的进度已填报，如需更正请在系统中修改该月报告。")
            elif month in new[p.obj.pk]:
                errors.add(n, "month", f"与第 {new[p.obj.pk][month]['_row']} 行是同一项目同一月份，重复。")
            elif row["investment_completed"] is not None:
                new[p.obj.pk][month] = row
        self._check_cumulative(projects, new, errors)
        return projects

    @staticmethod
    def _check_cumulative(
        projects: dict[int, _ProjectInfo], new: dict[int, dict[dt.date, dict]], errors: Errors
    ) -> None:
        """Walk each project's months in order with the imported months in place: wherever the cumulative
        passes the total investment, that month must say why (as services.projects._check_cumulative)."""
        for pid, added in new.items():
            p = projects[pid]
            total = p.obj.total_investment
            months = {
                **p.months,
                **{m: (r["investment_completed"], r["over_total_reason"]) for m, r in added.items()},
            }
            for month, running in unexplained_overruns(months, total):
                row = added.get(month)
                if row is not None:
                    errors.add(
                        row["_row"],
                        "over_total_reason",
                        f"累计完成投资 {running:,.2f} 元超过项目总投资 {total:,.2f} 元，请填写超出原因。",
                    )
                    continue
                earlier_new = [m for m in added if m < month]
                if earlier_new:
                    errors.add(
                        added[max(earlier_new)]["_row"],
                        "investment_completed",
                        f"导入后 {month:%Y年%m月} 的累计完成投资 {running:,.2f} 元将超过项目总投资，"
                        "而该月报告未填写超出原因。",
                    )
                    break

    def create(
        self, actor: Any, rows: Rows, ctx: dict[int, _ProjectInfo]
    ) -> list[tuple[int, ProgressReport]]:
        objs = [
            ProgressReport(
                project=r["_project"].obj,
                month=r["_month"],
                investment_completed=r["investment_completed"],
                over_total_reason=(r["over_total_reason"] or "").strip(),
                note=(r["note"] or "").strip(),
                reported_by=actor,
            )
            for r in rows
        ]
        bulk_insert(objs)
        # the projects' cumulative investment and latest month, by the same rule as the progress services
        store_project_totals(obj.project_id for obj in objs)
        return [(r["_row"], obj) for r, obj in zip(rows, objs, strict=True)]

    _snap = staticmethod(snapshot_fields(FIELDS))

    def audit_item(self, obj: ProgressReport, ctx: dict[int, _ProjectInfo]) -> tuple[str, int | None, dict]:
        return ctx[obj.project_id].region_path, obj.project.enterprise_id, self._snap(obj)


IMPORTERS: dict[str, Importer] = {
    i.kind: i for i in (EnterpriseImporter(), QualificationImporter(), ProjectImporter(), ProgressImporter())
}

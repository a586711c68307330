"""The enterprise import (企业): new enterprises in the actor's counties, confirmed on import."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone

from jigai.accounts.scope import region_q
from jigai.core.errors import DomainError
from jigai.core.excel import Rows, Spec
from jigai.core.phone import validate_phone
from jigai.regions.models import Region

from ... import industry
from ...models import (
    Enterprise,
    EnterpriseStatus,
)
from ...services.enterprises import may_register_in
from .. import specs
from ..audit import snapshot_fields
from ..base import Errors, Importer, chunks
from ..bulk import bulk_insert
from .lookups import _duplicates, _uscc_of

# Where an enterprise can be registered (as in services.enterprises): counties, statistics zones, Jiyuan.


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

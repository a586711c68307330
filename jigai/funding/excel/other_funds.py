"""Import of the register of other provincial funds' awards (其他省级专项资金支持记录), all rows or none, each
row checked by the same function as the form (services.other_funds.clean_other_fund_award)."""

from __future__ import annotations

from typing import Any

from jigai.core.errors import DomainError
from jigai.core.excel import INT, MONEY, Column, Rows, Spec
from jigai.registry.excel.audit import snapshot_fields
from jigai.registry.excel.base import Errors, Importer
from jigai.registry.excel.bulk import bulk_insert

from ..models import OtherFundAward
from ..services.other_funds import FIELDS, build_other_fund_award, clean_other_fund_award


def other_fund_spec() -> Spec:
    return Spec(
        "其他省级专项资金支持记录",
        [
            Column(
                "fund_name", "资金名称", required=True, max_length=200, width=30, example="省科技创新专项资金"
            ),
            Column("year", "安排年度", type=INT, required=True, example=2024, min_value=2000, max_value=2100),
            Column(
                "uscc",
                "统一社会信用代码",
                required=True,
                max_length=40,
                width=22,
                example="91410300MA44B2XK4G",
            ),
            Column("enterprise_name", "企业名称", required=True, max_length=200, width=30),
            Column(
                "project_name",
                "项目名称",
                required=True,
                max_length=200,
                width=36,
                help="与项目库中的项目名称一致，系统按信用代码+项目名称比对",
            ),
            Column("amount", "安排金额（元）", type=MONEY, required=True, example="3000000"),
            Column("document_no", "文号", max_length=100, width=22),
            Column("note", "备注", max_length=2000, width=30),
        ],
    )


class OtherFundAwardImporter(Importer):
    kind = "other_fund_awards"
    label = "其他省级专项资金支持记录"
    permission = "otherfund.manage"
    model = OtherFundAward
    audit_action = "create"

    def spec(self) -> Spec:
        return other_fund_spec()

    def template_extras(self, actor: Any) -> dict[str, Any]:
        return {
            "notes": [
                "同一企业的同一项目已获其他省级专项资金支持的，本专项原则上不再重复支持（政策三，末段）。"
            ]
        }

    def check(self, actor: Any, rows: Rows, errors: Errors) -> dict[int, dict[str, Any]]:
        cleaned: dict[int, dict[str, Any]] = {}
        for row in rows:
            n = row["_row"]
            if any(errors.failed(n, key) for key in FIELDS):
                continue
            try:
                cleaned[n] = clean_other_fund_award(row)
            except DomainError as exc:
                errors.add(n, exc.field or "fund_name", exc.message)
        return cleaned

    def create(
        self, actor: Any, rows: Rows, ctx: dict[int, dict[str, Any]]
    ) -> list[tuple[int, OtherFundAward]]:
        objs = [(r["_row"], build_other_fund_award(actor=actor, clean=ctx[r["_row"]])) for r in rows]
        bulk_insert([obj for _n, obj in objs])
        return objs

    _snap = staticmethod(snapshot_fields(FIELDS))

    def audit_item(self, obj: OtherFundAward, ctx: Any) -> tuple[str, int | None, dict[str, Any]]:
        path = obj.enterprise.region.path if obj.enterprise_id else ""
        return path, obj.enterprise_id, self._snap(obj)

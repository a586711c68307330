"""What the registry importers share: every row's enterprise found by credit code in one query per chunk
(no query per row), duplicate rows within a file, blank money as zero."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from jigai.core.excel import Rows

from ...models import (
    Enterprise,
    EnterpriseStatus,
)
from ...uscc import validate_uscc
from ..base import Errors, chunks

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

"""Field types shared by the API's request and response bodies (registry, funding …).

Input types check the shape only (type, format, choice) with a Chinese message, and document themselves
exactly in the OpenAPI document; the rules stay in the services. Money is a string of yuan with at most two
decimals, both ways (never a JSON number: no float), dates ISO (YYYY-MM-DD), times ISO 8601 in
Asia/Shanghai. Every list answers one page shape (`page_of`: total/limit/offset/items).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Schema
from pydantic import BeforeValidator, PlainValidator, WithJsonSchema, create_model

# Up to 14 integer digits: the models' DecimalField(max_digits=16, decimal_places=2).
MONEY_IN_PATTERN = r"^(0|[1-9][0-9]{0,13})(\.[0-9]{1,2})?$"
MONEY_OUT_PATTERN = r"^-?(0|[1-9][0-9]*)\.[0-9]{2}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
REGION_PATTERN = r"^[0-9]{6}$"
# Ids are 64-bit (bigint) in both databases: a larger number is a 422, never a database overflow.
MAX_ID = 2**63 - 1

# ---------------------------------------------------------------------------------------------- input types


def decimal_in(pattern: str, message: str) -> Any:
    """A validator: a string matching `pattern` (surrounding blanks ignored) as a Decimal, else `message`."""

    def check(value: Any) -> Decimal:
        if isinstance(value, str) and re.fullmatch(pattern, value.strip()):
            return Decimal(value.strip())
        raise ValueError(message)

    return check


def money_in(example: str, message: str) -> Any:
    """Money in: a string of yuan (≥ 0, ≤ 14 integer digits, ≤ 2 decimals); `example` documents it."""
    return Annotated[
        Decimal,
        PlainValidator(decimal_in(MONEY_IN_PATTERN, message)),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": MONEY_IN_PATTERN,
                "description": "金额（元），字符串，最多两位小数",
                "examples": [example],
            }
        ),
    ]


def date_in(example: str) -> Any:
    """A date YYYY-MM-DD (a real one: not 02-30); `example` is shown in the message."""

    def check(value: Any) -> dt.date:
        if isinstance(value, str) and re.fullmatch(DATE_PATTERN, value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"请填写有效的日期，格式为 YYYY-MM-DD，如 {example}。")

    return Annotated[
        dt.date,
        PlainValidator(check),
        WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
    ]


def _region_in(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(REGION_PATTERN, value):
        return value
    raise ValueError("请填写 6 位行政区划代码，如 410102（该区划及其下级）。")


RegionIn = Annotated[
    str,
    PlainValidator(_region_in),
    WithJsonSchema({"type": "string", "pattern": REGION_PATTERN, "description": "行政区划代码（含下级）"}),
]


def choice(values: list[tuple[str, str]], what: str) -> Any:
    """A string that must be one of `values` ([(value, 中文名)]), documented as an enum with the names."""
    allowed = [v for v, _ in values]
    listing = "、".join(f"{v}（{label}）" for v, label in values)

    def check(value: Any) -> str:
        if isinstance(value, str) and value in allowed:
            return value
        raise ValueError(f"请选择有效的{what}：{listing}。")

    return Annotated[
        str,
        PlainValidator(check),
        WithJsonSchema({"type": "string", "enum": allowed, "description": f"{what}：{listing}"}),
    ]


# ---------------------------------------------------------------------------------------------- output types


def _money_out(value: Any) -> Any:
    return None if value is None else format(Decimal(value).quantize(Decimal("0.01")), "f")


MoneyOut = Annotated[
    str,
    BeforeValidator(_money_out),
    WithJsonSchema({"type": "string", "pattern": MONEY_OUT_PATTERN, "description": "元，两位小数"}),
]
MaybeMoneyOut = Annotated[
    str | None,
    BeforeValidator(_money_out),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": MONEY_OUT_PATTERN, "description": "元，两位小数"},
                {"type": "null"},
            ]
        }
    ),
]


def _local(value: Any) -> Any:
    return timezone.localtime(value) if isinstance(value, dt.datetime) else value


Time = Annotated[dt.datetime, BeforeValidator(_local)]


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The one page shape of every list of the API: `total` (all that match), the `limit` and `offset`
    asked for, and the page's `items`. `name` is the schema's own component in the OpenAPI document
    (e.g. ProjectPageOut), so each list keeps its documented type."""
    return create_model(
        name,
        __base__=Schema,
        __module__=item.__module__,
        total=(int, Field(description="符合条件的总数")),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),  # type: ignore[valid-type]
    )

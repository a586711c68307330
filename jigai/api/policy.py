"""政策计算器 over HTTP: the same request and response bodies as `jigai policy evaluate` (the contract in
spec/policy-calculator.md).

The handler reads the JSON body itself and hands it to the engine untouched: a malformed case must
come back as that case's `error` while the other cases are still evaluated, which a pydantic body
model would prevent by refusing the whole request. The request schema below only documents the body.

A what-if for a guideline's round: the body may carry `overrides` ({参数路径: 值}) with their
`round_year`, the engine's keyword arguments (the command line's `--override … --round YEAR`). The
engine's rule is the same at every door: overrides need their round, apply only to the cases of that
application year, and may not go beyond the policy's bound (400 otherwise).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from jigai.api.errors import ErrorOut
from jigai.policy import QUALIFICATION_LABELS, RequestError, evaluate_request, item_catalog

router = Router(tags=["政策计算器"])

MONEY_PATTERN = r"^(0|[1-9][0-9]{0,15})(\.[0-9]{1,2})?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


# --- documentation of the request body (not used to parse it) ----------------------------------------


def _fact_schema(fact: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of one catalog fact."""
    label = fact.get("label", fact["key"])
    kind = fact.get("type")
    choices = [c[0] for c in fact.get("choices") or []]
    if kind == "money":
        schema: dict[str, Any] = {
            "type": "string",
            "pattern": MONEY_PATTERN,
            "description": f"{label}：元，字符串，最多两位小数",
            "examples": ["12345678.90"],
        }
    elif kind == "date":
        schema = _date_schema(label)
    elif kind == "bool":
        schema = {"type": "boolean", "description": label}
    elif kind == "int":
        schema = {"type": "integer", "description": label}
        if choices:
            schema["enum"] = choices
    elif kind == "enum":
        schema = {"type": "string", "description": label}
        if choices and not fact.get("open"):
            schema["enum"] = choices
        elif choices:
            schema["examples"] = choices
    elif kind == "list" and fact.get("fields"):
        row = {f["key"]: _fact_schema(f) for f in fact["fields"]}
        schema = {
            "type": "array",
            "description": label,
            "items": {"type": "object", "properties": row, "required": list(row)},
        }
    elif kind == "list":
        schema = {"type": "array", "description": label, "items": {"type": "string", "enum": choices}}
    else:
        schema = {"type": "string", "description": label}
    if fact.get("nullable"):
        schema = {"anyOf": [schema, {"type": "null"}], "description": label}
    return schema


def _date_schema(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN, "description": description}


def _applicant_schema() -> dict[str, Any]:
    kinds = "；".join(f"{k} {v}" for k, v in QUALIFICATION_LABELS.items())
    qualification = {
        "type": "object",
        "required": ["kind", "valid_from", "valid_to"],
        "properties": {
            "kind": {"type": "string", "enum": list(QUALIFICATION_LABELS), "description": kinds},
            "valid_from": _date_schema("有效期起"),
            "valid_to": _date_schema("有效期止；valid_from ≤ as_of ≤ valid_to 时有效"),
        },
    }
    return {
        "type": "object",
        "required": ["in_henan"],
        "properties": {
            "uscc": {
                "type": "string",
                "minLength": 18,
                "maxLength": 18,
                "description": "统一社会信用代码（GB 32100-2015 校验位）；多个案例时必填",
            },
            "in_henan": {"type": "boolean", "description": "在河南省内注册并研发、制造"},
            "qualifications": {"type": "array", "items": qualification},
        },
    }


def _request_schema() -> dict[str, Any]:
    catalog = item_catalog()
    # facts is one flat object: a key used by several items gets the choices of all of them
    merged: dict[str, dict[str, Any]] = {}
    used_by: dict[str, list[str]] = {}
    for item in catalog:
        for fact in item.get("facts") or []:
            key = fact["key"]
            used_by.setdefault(key, []).append(item["code"])
            if key not in merged:
                merged[key] = {**fact, "choices": list(fact.get("choices") or [])}
                continue
            known = {c[0] for c in merged[key]["choices"]}
            merged[key]["choices"] += [c for c in fact.get("choices") or [] if c[0] not in known]
            if fact.get("label") and fact["label"] not in merged[key]["label"].split(" / "):
                merged[key]["label"] += f" / {fact['label']}"
    facts = {}
    for key, fact in merged.items():
        schema = _fact_schema(fact)
        schema["description"] += f"（{'、'.join(used_by[key])}）"
        facts[key] = schema
    listing = "；".join(f"{i['code']} {i['title']}（{i['clause']}）" for i in catalog)
    case = {
        "type": "object",
        "required": ["id", "item", "as_of", "applicant", "other_provincial_support", "facts"],
        "properties": {
            "id": {"type": "string", "minLength": 1, "description": "案例编号，请求内唯一"},
            "item": {
                "type": "string",
                "enum": [*(i["code"] for i in catalog), "auto"],
                "description": f"支持项目：{listing}；auto 为自动推荐金额最高的项目",
            },
            "as_of": _date_schema("申报日期；资格、认定按此日判断，其年份为申报年度"),
            "applicant": _applicant_schema(),
            "other_provincial_support": {
                "type": "boolean",
                "description": "同一项目已获省级财政其他专项资金支持",
            },
            "annual_cap_used": {
                "type": "string",
                "pattern": MONEY_PATTERN,
                "default": "0",
                "description": (
                    "选填，元：本企业本申报年度其他（已获或待批的）同类奖励已占用的单个企业年度上限"
                    "（三（二）1 首台（套）奖励、三（二）2 首版次软件奖励各自计算，"
                    "见 GET /api/v1/policy/items 的 annual_cap_group）；本次补助上限不超过剩余额度，"
                    "无剩余时为 ANNUAL_CAP_REACHED。其他项目忽略此项"
                ),
                "examples": ["4000000"],
            },
            "facts": {
                "type": "object",
                "description": "该项目所需的事实（各项目所需见 GET /api/v1/policy/items）",
                "properties": facts,
            },
        },
    }
    return {
        "type": "object",
        "required": ["cases"],
        "properties": {
            "cases": {
                "type": "array",
                "description": "案例列表；单个案例输入有误时该案例返回 error，其余案例照常计算",
                "items": case,
            },
            "explain": {
                "type": "boolean",
                "default": True,
                "description": "false 时结果不含 explanation（大批量计算）",
            },
            "overrides": {
                "type": "object",
                "description": (
                    "选填：申报指南对本轮参数的调整 {参数路径: 值}（路径见 jigai policy parameters）；"
                    "须同时给出 round_year。只能在政策限度内调整（上限、比例、定额不得调高，门槛不得调低，"
                    "清单不得扩大），否则整个请求 400"
                ),
                "examples": [{"3.1.1.threshold": "20000000"}],
            },
            "round_year": {
                "type": "integer",
                "description": (
                    "overrides 所属的申报年度；只有申报日期（as_of）在该年度的案例按调整后的参数计算"
                ),
                "examples": [2023],
            },
        },
    }


# --- response schemas (documented; the engine's dict is returned as it is) ---------------------------


class PolicyVersionOut(Schema):
    id: str
    title: str
    version: str
    overrides: dict[str, Any] | None = Field(default=None, description="本轮申报指南调整的参数（有调整时）")
    round_year: int | None = Field(default=None, description="调整所属的申报年度（有调整时）")


class PolicyComponentOut(Schema):
    name: str
    base: str | None = None
    rate: str | None = None
    cap: str | None = None
    amount: str


class PolicyStageOut(Schema):
    stage: str = Field(description="on_approval 批准后 / at_listing 列入培育名单时 / after_acceptance 验收后")
    amount: str


class PolicyItemResultOut(Schema):
    id: str | None = None
    item: str
    eligible: bool
    amount: str = Field(description="补助上限，整数元（截断），字符串")
    reasons: list[str]
    limits_applied: list[str]
    components: list[PolicyComponentOut] = []
    schedule: list[PolicyStageOut]
    citations: list[str] = []
    explanation: list[str] = Field(
        default=[], description="计算过程，每步注明条款（explain 为 false 时省略）"
    )


class PolicyCaseResultOut(PolicyItemResultOut):
    id: str
    options: list[PolicyItemResultOut] = Field(
        default=[], description="item 为 auto 时的各项目结果，金额高者在前"
    )


class PolicyCaseErrorDetail(Schema):
    field: str = Field(description="出错的字段路径，如 facts.periods[1].premium")
    message: str


class PolicyCaseErrorOut(Schema):
    id: str | int | None
    error: PolicyCaseErrorDetail


class PolicyEvaluateOut(Schema):
    policy: PolicyVersionOut
    results: list[PolicyCaseResultOut | PolicyCaseErrorOut]


class PolicyFactOut(Schema):
    key: str
    label: str
    type: str = Field(description="money | enum | bool | int | date | text | list")
    choices: list[list[Any]] = Field(default=[], description="可选值：[[值, 中文名], …]")
    supported: list[Any] = Field(default=[], description="其中属于支持范围的值（其余值判为不符合条件）")
    open: bool = Field(default=False, description="清单外的值也接受（按规则判断）")
    nullable: bool = False
    required: bool = True
    min_items: int = 0
    fields: list[PolicyFactOut] = Field(default=[], description="列表每一行的字段")


class PolicyItemOut(Schema):
    code: str
    clause: str
    title: str
    group: str
    clause_text: str = Field(default="", description="条款原文")
    facts: list[PolicyFactOut]
    annual_cap_group: str | None = Field(
        default=None,
        description="该项目计入的单个企业年度上限（参数路径）；同组的奖励共用一个年度上限，无则为 null",
    )
    fixed_amount: bool = Field(default=False, description="定额奖励（金额由政策规定，而非比例 × 基数）")


# --- handlers -----------------------------------------------------------------------------------------


def _json(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json; charset=utf-8")


def _refused(detail: str, code: str) -> HttpResponse:
    """400 in the API's error shape (jigai/api/errors.py): {"detail": 中文原因, "code": …}."""
    return _json({"detail": detail, "code": code}, status=400)


MB = 1024 * 1024


def body_limit() -> int:
    """The calculator's own request size limit (bytes): 100,000 cases are ~32 MB as compact JSON and
    ~53 MB indented, so it is raised above the site-wide DATA_UPLOAD_MAX_MEMORY_SIZE for this endpoint."""
    return int(getattr(settings, "JIGAI_POLICY_API_MAX_BYTES", 64 * MB))


def _too_large(size: int | None, limit: int) -> HttpResponse:
    told = f"请求体 {size / MB:.1f} MB，" if size else "请求体"
    detail = (
        f"{told}超过计算器接口单次请求上限 {limit / MB:.0f} MB（约 10 万个案例）。"
        "请将案例分批提交，或使用命令行 `jigai policy evaluate 文件`（不受请求大小限制）。"
    )
    return _json({"detail": detail, "code": "request_too_large"}, status=413)


def _read_body(request: HttpRequest) -> bytes | HttpResponse:
    """The body up to this endpoint's limit, read from the stream (request.body would apply the site-wide
    limit and fail without a word); past the limit a 413 with the limit and what to do instead."""
    limit = body_limit()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _too_large(declared, limit)
    if hasattr(request, "_body"):  # already read (e.g. by a test client or middleware)
        data = request._body
    else:
        data = request.read(limit + 1)
    if len(data) > limit:
        return _too_large(None, limit)
    return data


def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON 不允许 {name}")


def _loads(data: bytes) -> Any:
    """Parse as the command line does: orjson (fast, strict), the standard parser for what orjson
    cannot hold (an integer beyond 64 bits), NaN and Infinity refused as not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data, parse_constant=_reject_constant)


@router.post(
    "/evaluate",
    response={200: PolicyEvaluateOut, 400: ErrorOut, 413: ErrorOut},
    summary="计算支持政策补助上限",
    description=(
        "按豫政办〔2022〕8号第三部分逐案计算补助上限（元），请求体与响应体同命令行 `jigai policy evaluate`。"
        "金额一律为字符串；单个案例输入有误时在该案例位置返回 error，其余案例照常计算；"
        "请求体不是含 cases 的 JSON 对象时整体拒绝（400）；"
        "请求体超过单次上限（64 MB，约 10 万个案例）时拒绝（413），请分批提交或使用命令行。"
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _request_schema()}},
        }
    },
)
def evaluate(request: HttpRequest) -> HttpResponse:
    raw = _read_body(request)
    if isinstance(raw, HttpResponse):
        return raw
    try:
        body = _loads(raw)
    except (ValueError, RecursionError):  # also UnicodeDecodeError
        return _refused("请求体不是有效的 JSON（应为 UTF-8 编码的 JSON 对象）", "invalid_json")
    if not isinstance(body, dict):
        return _refused('请求体应为 JSON 对象，形如 {"cases": [...]}', "invalid_request")
    try:
        result = evaluate_request(body, overrides=body.get("overrides"), round_year=body.get("round_year"))
    except RequestError as exc:
        return _refused(exc.message, "invalid_request")
    return _json(result)


@router.get(
    "/items",
    response={200: list[PolicyItemOut], 400: ErrorOut},
    summary="支持项目及所需事实",
    description="每个支持项目的编号、条款、名称、分组及所需事实（供表单使用）；as_of 选当日有效的参数版本。",
)
def items(request: HttpRequest, as_of: str | None = None) -> HttpResponse:
    day = None
    if as_of:
        try:
            if len(as_of) != 10:
                raise ValueError
            day = date.fromisoformat(as_of)
        except ValueError:
            return _refused("as_of 应为 YYYY-MM-DD 格式的日期", "invalid_request")
    return _json(item_catalog(day))

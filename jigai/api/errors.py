"""Errors of the whole API, turned into HTTP answers in ONE place (registered on the NinjaAPI in urls.py).

- a domain error (jigai.core.errors) keeps the status its class names: AccessDenied 403, NotFound 404,
  Conflict 409; InvalidInput — or any DomainError naming a field — is a field error 422; the rest 400;
- a request that does not fit the documented schema is a field error 422, its messages in Chinese;
- an id outside the caller's scope is 404, the same as one that does not exist (get_scoped_or_404);
- an anonymous caller is 401.

Field errors have one shape everywhere: {"detail": [{"field": "total_investment", "message": "…"}],
"code": "invalid_input"}; other errors {"detail": "中文说明", "code": "…"}.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jigai.core.errors import DomainError, InvalidInput

FORM_FIELD = "__all__"  # the field name of an error about the request as a whole (as on a form)


class ErrorOut(Schema):
    detail: str = Field(description="中文说明")
    code: str = Field(
        description="稳定的错误代码，如 not_authenticated、permission_denied、illegal_transition"
    )


class FieldError(Schema):
    field: str = Field(description=f"出错的字段（请求整体有误时为 {FORM_FIELD}）")
    message: str = Field(description="中文说明")


class FieldErrorsOut(Schema):
    detail: list[FieldError]
    code: str = Field(description="invalid_input 等")


# The documented answers every signed-in operation may give (spread into `response=`).
AUTH_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut}

# Pydantic's error types → Chinese. A validator of ours raises ValueError with its own Chinese message.
_MESSAGES = {
    "missing": "此项必填。",
    "extra_forbidden": "不支持此字段，请检查字段名。",
    "string_type": "应为字符串。",
    "string_too_long": "最多 {max_length} 个字符。",
    "string_too_short": "至少 {min_length} 个字符。",
    "string_pattern_mismatch": "格式不正确。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "greater_than_equal": "不能小于 {ge}。",
    "greater_than": "应大于 {gt}。",
    "less_than_equal": "不能大于 {le}。",
    "less_than": "应小于 {lt}。",
    "enum": "不是可选的值。",
    "literal_error": "不是可选的值。",
    "model_type": "应为 JSON 对象。",
    "model_attributes_type": "应为 JSON 对象。",
    "dict_type": "应为 JSON 对象。",
    "list_type": "应为数组。",
    "json_invalid": "不是有效的 JSON。",
    "json_type": "不是有效的 JSON。",
}
# ninja's own English answers → Chinese.
_HTTP_MESSAGES = {
    "Cannot parse request body": "请求体不是有效的 JSON（应为 UTF-8 编码的 JSON 对象）。",
    "Cannot parse request body (json)": "请求体不是有效的 JSON（应为 UTF-8 编码的 JSON 对象）。",
}


def _field_name(loc: tuple[Any, ...]) -> str:
    """("body", "payload", "periods", 1, "premium") → "periods[1].premium"; ("query", "limit") → "limit".
    ninja puts the source first and, for a body, the parameter's name second."""
    parts = list(loc[1:])
    if loc and loc[0] == "body" and parts:
        parts = parts[1:]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or FORM_FIELD


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return "输入无效。"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """ninja's validation errors as [{"field", "message"}] in Chinese."""
    return [{"field": _field_name(tuple(e.get("loc") or ())), "message": _message(e)} for e in errors]


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers above on `api` (called once, in jigai/api/urls.py)."""

    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, InvalidInput):
            detail = [
                {"field": field, "message": message}
                for field, messages in exc.errors.items()
                for message in messages
            ]
            return api.create_response(request, {"detail": detail, "code": exc.code}, status=422)
        if exc.status == 400 and exc.field:
            detail = [{"field": exc.field, "message": exc.message}]
            return api.create_response(request, {"detail": detail, "code": exc.code}, status=422)
        return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=exc.status)

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = {"detail": field_errors(exc.errors), "code": "invalid_input"}
        return api.create_response(request, body, status=422)

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        body = {"detail": "未找到该记录，或您无权查看。", "code": "not_found"}
        return api.create_response(request, body, status=404)

    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = {"detail": "请先登录（使用网页登录后的会话）。", "code": "not_authenticated"}
        return api.create_response(request, body, status=401)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = _HTTP_MESSAGES.get(exc.message, exc.message)
        code = "bad_request" if exc.status_code == 400 else f"http_{exc.status_code}"
        return api.create_response(request, {"detail": message, "code": code}, status=exc.status_code)

    def unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
        # e.g. multipart without a boundary, read while checking the CSRF token of a form post
        body = {"detail": "请求体无法解析：请以 application/json 发送 JSON 对象。", "code": "bad_request"}
        return api.create_response(request, body, status=400)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(MultiPartParserError, unreadable_body)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, not_authenticated)
    api.add_exception_handler(HttpError, http_error)

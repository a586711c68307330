"""Certificate uploads: the type is judged by the file's content (magic bytes), never by its name, and the
size is limited. Used as a model-field validator, so forms, imports and services all apply it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from jigai.core.uploads import ServerNamedUpload, download_name  # noqa: F401  (re-exported)
from jigai.core.uploads import sniff_type as sniff_any_type

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


CERTIFICATE_TYPES = frozenset({"PDF", "PNG", "JPEG"})


def sniff_type(head: bytes) -> str | None:
    """'PDF', 'PNG' or 'JPEG' when the first bytes carry that format's signature, else None."""
    kind = sniff_any_type(head)
    return kind if kind in CERTIFICATE_TYPES else None


def validate_certificate_file(value: Any) -> None:
    """Refuse a file over 10 MB or whose content is not PDF, PNG or JPEG (whatever its name says)."""
    if not value:
        return
    size = getattr(value, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError("文件过大：不能超过 10 MB。", code="file_too_large")
    if size == 0:
        raise ValidationError("文件为空，请重新选择。", code="file_empty")
    f = getattr(value, "file", value)
    try:
        pos = f.tell()
    except (AttributeError, OSError, ValueError):
        pos = None
    try:
        if pos is not None:
            f.seek(0)
        head = f.read(8)
    finally:
        if pos is not None:
            f.seek(pos)
    if sniff_type(head or b"") is None:
        raise ValidationError(
            "文件格式不正确：只接受 PDF、PNG 或 JPEG 格式的文件（按文件内容判断，改扩展名无效）。",
            code="file_type",
        )

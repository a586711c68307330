"""Stored file names are the server's, never the client's (issue 12): the extension comes from the type
detected in the content, the name is random. A name such as `evil.html` would otherwise be served as a page
by a web server in front of the media directory (stored XSS).

`ServerNamedUpload("registry/titles/%Y/")` is the `upload_to` of every uploaded file; `download_name`
gives the name a download is offered under (the document's label, with the detected extension).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.utils.deconstruct import deconstructible

# (type, extension, signature at offset 0)
SIGNATURES: tuple[tuple[str, str, bytes], ...] = (
    ("PDF", ".pdf", b"%PDF-"),
    ("PNG", ".png", b"\x89PNG\r\n\x1a\n"),
    ("JPEG", ".jpg", b"\xff\xd8\xff"),
    ("XLSX", ".xlsx", b"PK\x03\x04"),
)
EXTENSIONS = {label: ext for label, ext, _sig in SIGNATURES}
SAFE_EXTENSIONS = frozenset({".pdf", ".png", ".jpg", ".xlsx", ".zip", ".json", ".csv", ".bin"})


def sniff_type(head: bytes) -> str | None:
    """'PDF', 'PNG', 'JPEG' or 'XLSX' (a zip: only offered where a workbook is expected) by the content."""
    for label, _ext, signature in SIGNATURES:
        if head.startswith(signature):
            return label
    return None


def _head(file: Any) -> bytes:
    try:
        f = getattr(file, "file", file)
        pos = f.tell()
        f.seek(0)
        head = f.read(8)
        f.seek(pos)
        return head or b""
    except (AttributeError, OSError, ValueError):  # no content yet (FieldFile.save of the server's own file)
        return b""


@deconstructible
class ServerNamedUpload:
    """upload_to: `<prefix with strftime>/<32 hex digits><extension of the detected type>`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.rstrip("/") + "/"

    def __call__(self, instance: Any, filename: str) -> str:
        field_file = None
        for field in instance._meta.fields:
            value = getattr(instance, field.name, None)
            if getattr(value, "field", None) is field and getattr(field, "upload_to", None) is self:
                field_file = value
                break
        head = _head(field_file) if field_file is not None else b""
        kind = sniff_type(head)
        if kind is not None:
            ext = EXTENSIONS[kind]
        else:
            # Content not readable here (a file the server writes itself, e.g. an export): keep the given
            # extension only when it is one of the harmless document types, never .html, .svg, .js …
            given = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
            ext = given if given in SAFE_EXTENSIONS else ".bin"
        return dt.datetime.now().strftime(self.prefix) + uuid.uuid4().hex + ext

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerNamedUpload) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def download_name(label: str, stored_name: str) -> str:
    """`可研报告` + the stored `…/3f2a….pdf` → `可研报告.pdf` (characters a file system refuses removed)."""
    ext = ""
    if "." in stored_name.rsplit("/", 1)[-1]:
        ext = "." + stored_name.rsplit(".", 1)[-1].lower()
    base = _UNSAFE.sub("_", (label or "").strip()).strip(" .") or "文件"
    if ext and base.lower().endswith(ext):
        return base[:120]
    return base[:120] + ext

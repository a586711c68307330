"""The one door into reportlab's Paragraph: every value is escaped first.

A reportlab Paragraph parses its text as markup (<a href>, <img>, <b>, <font>, entities). A value typed by a
user — an enterprise name, a project title, a notice title — must never be read as markup: `<a href=...>`
would become a live outside link inside an official notice, and a stray `<` or `&` makes the build fail
(the page answers 500). So no code builds a Paragraph itself: it calls `paragraph(value, style)`, which
escapes `&`, `<`, `>` and quotes, and shows the value literally.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

_QUOTES = {'"': "&quot;", "'": "&#39;"}


def pdf_escape(value: Any) -> str:
    """The value as literal Paragraph text: None is empty, everything else str() and markup-escaped."""
    if value is None:
        return ""
    return escape(str(value), _QUOTES)


def paragraph(value: Any, style: Any) -> Any:
    """A reportlab Paragraph showing `value` literally (never as markup)."""
    from reportlab.platypus import Paragraph

    return Paragraph(pdf_escape(value), style)

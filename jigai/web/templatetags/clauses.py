"""Clause citations as links to the policy page's anchors (web:policy, /policy/#clause-三-二-1).

    {% load clauses %}
    {{ "三（二）1"|clause_link }}      → <a class="clause-link" href="/policy/#clause-三-二-1">三（二）1</a>
    {{ line|clause_links }}           → the line escaped, every citation in it a link

A value that is not a citation is returned escaped, unchanged.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from jigai.policy.text import CITATION, clause_anchor

register = template.Library()


def _link(citation: str) -> SafeString:
    anchor = clause_anchor(citation)
    if not anchor:
        return conditional_escape(citation)
    return format_html(
        '<a class="clause-link" href="{}#{}" title="查看政策原文">{}</a>',
        reverse("web:policy"),
        anchor,
        citation,
    )


@register.filter
def clause_link(value: object) -> SafeString:
    """One citation ("三（二）1", "三（末段）", "三末段") as a link to its clause."""
    return _link(str(value or ""))


@register.filter
def clause_links(value: object) -> SafeString:
    """A sentence with every clause citation in it linked (the rest escaped)."""
    text = str(value or "")
    out, last = [], 0
    for m in CITATION.finditer(text):
        out.append(conditional_escape(text[last : m.start()]))
        out.append(_link(m.group(0)))
        last = m.end()
    out.append(conditional_escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece is escaped or built by format_html

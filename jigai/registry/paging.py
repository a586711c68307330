"""Paging that stays fast on page 2,000 of 100,000 rows (issue 8).

A plain `OFFSET 39980 LIMIT 20` over a query with joins makes the database join (and read whole rows of)
every skipped row before throwing it away. The "deferred join" takes the page's primary keys first —
the offset then walks only the ordering index (Project.Meta.indexes) — and reads the twenty rows with
their joins by primary key. Same rows, same order, one query more per page, the same number on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Sum
from django.http import HttpRequest


class DeferredJoinPaginator(Paginator):
    """A Paginator for ordered querysets: the page's ids by the offset, then the rows by id."""

    def page(self, number: Any) -> Page:
        qs = self.object_list
        if not isinstance(qs, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in qs.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


# ---------------------------------------------------------------------------------------------- list pages
# One shape for every list and queue (issue 9): page numbers with jump-to-page, a page-size choice, sortable
# column headers, totals of the money columns over the whole filtered set. The one include that renders it
# is registry/_pagination.html (funding/_pagination.html includes it).

PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class Pager:
    per_page: int
    sizes: tuple[int, ...]
    query: str  # the filters (no page, no size): links keep them
    hidden: list[tuple[str, str]]  # the filters as hidden inputs of the jump / size form
    links: list[Any]  # page numbers with "…" (Paginator.ELLIPSIS) where some are elided


def per_page_of(request: HttpRequest, default: int = PAGE_SIZES[0]) -> int:
    raw = request.GET.get("per_page", "")
    return int(raw) if raw.isdigit() and int(raw) in PAGE_SIZES else default


def paginate(
    request: HttpRequest,
    qs: Any,
    *,
    default: int = PAGE_SIZES[0],
    totals: dict[str, str] | None = None,
    deferred: bool = True,
) -> Page:
    """The requested page (`page`, `per_page` ∈ 20/50/100) of an ordered queryset (deferred join) or a
    list; the page carries its `pager` for the shared include. A page number out of range gives the last.
    `totals` ({name: money field}): sums over the whole filtered set as `page.totals`, read in the same
    query as the count, so a list with totals costs no more queries than one without. `deferred=False`: a
    plain offset (one query fewer) for lists that stay small, such as a year's applications."""
    per_page = per_page_of(request, default)
    paginator = (DeferredJoinPaginator if deferred else Paginator)(qs, per_page)
    sums: dict[str, Decimal] = {}
    if totals and isinstance(qs, QuerySet):
        plain = qs.order_by()  # ordering adds nothing to a sum and can add GROUP BY columns
        if plain.query.distinct:  # a DISTINCT set: count it as the paginator would, sum it apart
            row = plain.aggregate(**{name: Sum(f) for name, f in totals.items()})
        else:
            row = plain.aggregate(_rows=Count("pk"), **{name: Sum(f) for name, f in totals.items()})
            paginator.count = row.pop("_rows")  # the paginator's cached count, read in the same query
        sums = {name: row[name] or Decimal("0") for name in totals}
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    filters = params.copy()
    filters.pop("per_page", None)
    hidden = [(k, v) for k in filters for v in filters.getlist(k)]
    links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    page.pager = Pager(per_page, PAGE_SIZES, params.urlencode(), hidden, links)  # type: ignore[attr-defined]
    page.totals = sums  # type: ignore[attr-defined]
    return page


@dataclass(frozen=True)
class SortHeader:
    label: str
    url: str  # "?…&sort=…": the same filters, this column's order (toggled when already sorted by it)
    arrow: str  # "▲" / "▼" on the column the list is sorted by
    numeric: bool


def sort_headers(
    request: HttpRequest, columns: list[tuple[str, str | None]], *, numeric: tuple[str, ...] = ()
) -> list[SortHeader]:
    """Column headers of a table: (label, sort key or None). Clicking a header sorts by it ascending, a
    second click descending; the page goes back to 1. The keys are the list form's `sort` choices."""
    current = request.GET.get("sort", "")
    out = []
    for label, key in columns:
        if key is None:
            out.append(SortHeader(label, "", "", label in numeric))
            continue
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = f"-{key}" if current == key else key
        arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
        out.append(SortHeader(label, f"?{params.urlencode()}", arrow, label in numeric))
    return out

"""Paging that stays fast on page 2,000 of 100,000 rows (issue 8).

A plain `OFFSET 39980 LIMIT 20` over a query with joins makes the database join (and read whole rows of)
every skipped row before throwing it away. The "deferred join" takes the page's primary keys first —
the offset then walks only the ordering index (Project.Meta.indexes) — and reads the twenty rows with
their joins by primary key. Same rows, same order, one query more per page, the same number on every page.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


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

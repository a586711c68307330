"""Signals the registry sends for writes that Django sends none for.

`bulk_written` (sender: the model; objs: the instances as written): rows inserted by the imports' fast
INSERT (excel/bulk.py bulk_insert) or updated in bulk (the official lists' verification of
qualifications). Areas above the registry that keep figures derived from its records (monitoring's
computed indicators) listen to it; the registry itself knows nothing of them."""

from __future__ import annotations

from django.dispatch import Signal

bulk_written = Signal()

"""The computed figures follow their records (issue 10 “precompute monthly rollups when the data changes,
not when the page is drawn”; 四（三） monthly tracking): when a project's progress, a project's library
status, a title, a product's recognition, a platform, a qualification's verification, an award's decision
or a payment's confirmation changes, the computed indicators it feeds are recomputed for the region the
record is filed at (the enterprise's county), from its month to the year's end (every later year-to-date
figure includes it), and their rollups rewritten — once, after the transaction commits, by the background
worker (jigai/monitoring/tasks.py).

Monitoring is the top of the stack (tests/test_architecture.py): the source apps know nothing of this; the
handlers here connect to their models' signals. A record's fields as stored are read just before it is
saved (one query by primary key, skipped when the save's update_fields touch none of them), so a date
moved from March to May refreshes from March, and a decision withdrawn refreshes the month it had been
counted in.

Cheap: nothing happens unless a field that feeds a figure changed (an application's draft saved reads
nothing: its values as loaded are kept); the changes of one transaction are gathered and refreshed together
on commit, one county's figures read again, not the province's (bench/bench_dashboards.py --refresh-cost).
Idempotent: a refresh reads the records again and replaces the stored figures, so running it twice, or
for a change that was rolled back, leaves the same figures.

Writes in bulk send no post_save: the Excel imports' fast inserts (registry/excel/bulk.py) and the
official lists' verification of qualifications send registry.signals.bulk_written instead, turned into
changes here with one query per lookup (bulk_changes), not one per row. Writes with neither (a raw
queryset .update() elsewhere) are caught by the province's “重新计算并汇总” (rollups.refresh_job).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_init, post_save, pre_delete, pre_save
from django.utils import timezone

from .computed import INVESTMENT_CODES

# A change: the figures of these computations (COMPUTATIONS keys, the indicators' `computation`), filed at
# this region, from this month of this year to December.
Change = tuple[tuple[str, ...], str, int, int]

QUALIFICATION_CODES = {
    "national_little_giant": ("qualification_national_little_giant",),
    "provincial_specialized": ("qualification_provincial_specialized",),
    "service_manufacturing": ("qualification_service_manufacturing",),
    "industrial_design_center": ("qualification_industrial_design_center",),
}
TITLE_CODES = ("verified_titles", "title_green_factory")


@dataclass(frozen=True)
class _Source:
    """What of a model's rows feeds the computed figures: `fields` (attnames) are remembered; `changes`
    turns those values into the (indicators, region, year, month) they count in."""

    label: str
    fields: tuple[str, ...]
    changes: Callable[[dict[str, Any]], list[Change]]
    # Saved often (an application's draft, every save of the deadline rush): its values as loaded are
    # kept (post_init), and a save that leaves them as loaded and counting in no figure reads nothing.
    hot: bool = False
    # Only a change between two stored values counts (an enterprise moving to another county): a new row
    # has no records yet, and a deleted one takes its records (each sends its own signal) with it.
    moves_only: bool = False


# While a bulk write is turned into changes: the lookups below answered from maps read in one query each
# (bulk_changes), not one query per row.
_BULK: ContextVar[dict[str, dict[Any, Any]] | None] = ContextVar("monitoring_bulk_lookups", default=None)


def _looked_up(kind: str, key: Any, query: Callable[[], Any]) -> Any:
    maps = _BULK.get()
    if maps is not None and kind in maps:
        return maps[kind].get(key)
    return query()


# Where a record's region is read from: the field naming its owner → (model, the owner's region path).
_OWNER_REGION = {
    "enterprise_id": ("registry.Enterprise", "region_id"),
    "project_id": ("registry.Project", "enterprise__region_id"),
    "product_id": ("registry.Product", "enterprise__region_id"),
}


def _owner_rows(owner_field: str, pks: Iterable[Any]) -> Any:
    """(pk, region code) of the owners named by `owner_field`, for these primary keys."""
    from django.apps import apps

    label, path = _OWNER_REGION[owner_field]
    return apps.get_model(label).objects.filter(pk__in=list(pks)).values_list("pk", path)


def _region_of(owner_field: str, pk: Any) -> str:
    """The region code of the record's owner (one query; none while a bulk write's maps are set)."""
    if not pk:
        return ""
    return _looked_up(owner_field, pk, lambda: dict(_owner_rows(owner_field, [pk])).get(pk)) or ""


def _region_of_enterprise(enterprise_id: Any) -> str:
    return _region_of("enterprise_id", enterprise_id)


def _month(d: dt.date | dt.datetime | None) -> tuple[int, int] | None:
    if d is None:
        return None
    if isinstance(d, dt.datetime):
        d = timezone.localdate(d) if timezone.is_aware(d) else d.date()
    return d.year, d.month


def _at(codes: tuple[str, ...], region: str, when: dt.date | dt.datetime | None) -> list[Change]:
    ym = _month(when)
    if not region or ym is None or not codes:
        return []
    return [(codes, region, ym[0], ym[1])]


def _progress(v: dict[str, Any]) -> list[Change]:
    return _at(INVESTMENT_CODES, _region_of("project_id", v["project_id"]), v["month"])


def _project(v: dict[str, Any]) -> list[Change]:
    """A project counts in the investment figures of the months it reported while in the library (all of
    them move when it enters or leaves the library or changes category), and a 机器换人 project in the
    month it entered the library."""
    from jigai.registry.models import LibraryStatus, ProgressReport

    if v["library_status"] != LibraryStatus.IN_LIBRARY:
        return []
    region = _region_of_enterprise(v["enterprise_id"])
    out: list[Change] = []
    if v.get("id"):
        pid = v["id"]
        years = _looked_up(
            "progress_years",
            pid,
            lambda: [d.year for d in ProgressReport.objects.filter(project_id=pid).dates("month", "year")],
        )
        out += [(INVESTMENT_CODES, region, y, 1) for y in years or ()]
    if v["is_machine_replacement"]:
        out += _at(("machine_replacement",), region, v["in_library_at"])
    return out


def _title(v: dict[str, Any]) -> list[Change]:
    return _at(TITLE_CODES, _region_of_enterprise(v["enterprise_id"]), v["awarded_on"])


def _recognition(v: dict[str, Any]) -> list[Change]:
    return _at(("new_products",), _region_of("product_id", v["product_id"]), v["recognized_on"])


def _platform(v: dict[str, Any]) -> list[Change]:
    return _at(("new_platforms",), _region_of_enterprise(v["enterprise_id"]), v["listed_on"])


def _qualification(v: dict[str, Any]) -> list[Change]:
    from jigai.registry.models import QualificationStatus

    codes = QUALIFICATION_CODES.get(v["kind"], ())
    if v["status"] != QualificationStatus.VERIFIED or not codes:
        return []
    return _at(codes, _region_of_enterprise(v["enterprise_id"]), v["valid_from"])


def _application(v: dict[str, Any]) -> list[Change]:
    if not v["granted_amount"] or v["granted_amount"] <= 0:
        return []
    return _at(("awards_granted",), _region_of_enterprise(v["enterprise_id"]), v["decided_at"])


def _payment(v: dict[str, Any]) -> list[Change]:
    from jigai.funding.models import PaymentStage, PaymentStatus

    if v["status"] != PaymentStatus.CONFIRMED:
        return []
    region = (
        PaymentStage.objects.filter(pk=v["stage_id"])
        .values_list("application__enterprise__region_id", flat=True)
        .first()
        or ""
    )
    return _at(("awards_paid",), region, v["paid_on"])


def _enterprise(v: dict[str, Any]) -> list[Change]:
    """An enterprise that moves: every computed figure of its county, in every year that has figures."""
    from ..computations import COMPUTATIONS
    from ..models import MonthlyValue, Source

    region = v["region_id"] or ""
    if not region:
        return []
    years = (
        MonthlyValue.objects.filter(indicator__source=Source.COMPUTED)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    return [(tuple(sorted(COMPUTATIONS)), region, year, 1) for year in years]


def _sources() -> dict[type, _Source]:
    from jigai.funding.models import Application, Payment
    from jigai.registry.models import (
        Enterprise,
        Platform,
        ProductRecognition,
        ProgressReport,
        Project,
        Qualification,
        Title,
    )

    return {
        ProgressReport: _Source("月度进度", ("project_id", "month", "investment_completed"), _progress),
        Project: _Source(
            "项目",
            (
                "id",
                "enterprise_id",
                "library_status",
                "category",
                "is_machine_replacement",
                "in_library_at",
            ),
            _project,
        ),
        Title: _Source("称号", ("enterprise_id", "kind", "awarded_on"), _title),
        ProductRecognition: _Source("产品认定", ("product_id", "level", "recognized_on"), _recognition),
        Platform: _Source("平台", ("enterprise_id", "listed_on"), _platform),
        Qualification: _Source(
            "资质", ("enterprise_id", "kind", "level", "status", "valid_from"), _qualification
        ),
        Application: _Source(
            "资金安排", ("enterprise_id", "granted_amount", "decided_at"), _application, hot=True
        ),
        Payment: _Source("拨付", ("stage_id", "status", "paid_on", "amount"), _payment),
        Enterprise: _Source("企业所在地", ("region_id",), _enterprise, moves_only=True),
    }


SOURCES: dict[type, _Source] = {}
_BEFORE = "_monitoring_before"  # the instance attribute holding the stored values while it is saved
_SKIP = "skip"
_LOADED = "_monitoring_loaded"  # a hot source's values as loaded


def _stored(instance: Any, source: _Source) -> dict[str, Any] | None:
    """The source's fields of the row as stored (one query by primary key)."""
    return type(instance)._base_manager.filter(pk=instance.pk).values(*source.fields).first()


def _current(instance: Any, source: _Source) -> dict[str, Any] | None:
    """The instance's own values of the source's fields; the stored ones when a field is deferred (never
    loads a deferred field on the instance itself)."""
    d = instance.__dict__
    if any(f not in d for f in source.fields):
        return _stored(instance, source)
    return {f: d[f] for f in source.fields}


def _loaded(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_init of a hot source: its values as loaded (None when a field is deferred; never loads one)."""
    d = instance.__dict__
    fields = SOURCES[sender].fields
    d[_LOADED] = {f: d[f] for f in fields} if all(f in d for f in fields) else None


def _unchanged_and_uncounted(instance: Any, source: _Source) -> bool:
    if not source.hot:
        return False
    loaded = instance.__dict__.get(_LOADED)
    d = instance.__dict__
    if loaded is None or any(f not in d for f in source.fields):
        return False
    now = {f: d[f] for f in source.fields}
    return now == loaded and not source.changes(now)


def _before_save(sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kw: Any) -> None:
    source = SOURCES.get(sender)
    if source is None:
        return
    if raw or (update_fields is not None and not set(update_fields) & _names(sender, source)):
        instance.__dict__[_BEFORE] = _SKIP  # a save that writes no field feeding a figure
    elif not instance._state.adding and _unchanged_and_uncounted(instance, source):
        instance.__dict__[_BEFORE] = _SKIP  # a draft saved: as loaded, in no figure
    elif instance._state.adding or instance.pk is None:
        instance.__dict__[_BEFORE] = None
    else:
        instance.__dict__[_BEFORE] = _stored(instance, source)


def _names(model: type, source: _Source) -> set[str]:
    """The source's fields by attname and by name (update_fields may use either)."""
    names = set(source.fields)
    for f in model._meta.concrete_fields:
        if f.attname in source.fields:
            names.add(f.name)
    return names


def _saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    source = SOURCES.get(sender)
    if source is None:
        return
    before = instance.__dict__.pop(_BEFORE, None)
    if source.hot:  # what is stored now is the baseline of the next save
        _loaded(sender, instance)
    if before == _SKIP:
        return
    if source.moves_only and before is None:
        return  # a new row: nothing counted under it yet
    now = _current(instance, source)
    if before == now:
        return  # nothing that feeds a figure changed (a draft saved, a note edited)
    changes: list[Change] = []
    for values in (before, now):
        if values:
            changes += source.changes(values)
    _queue(changes)


def _deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Before the row goes (its project, product or stage still there to say where it counted)."""
    source = SOURCES.get(sender)
    if source is None or source.moves_only:
        return
    values = _current(instance, source)
    if values:
        _queue(source.changes(values))


def bulk_changes(model: type, objs: Iterable[Any]) -> list[Change]:
    """The changes of rows written in bulk (registry.signals.bulk_written): the rows' own values, with the
    regions (and a project's reported years) each would look up read first, in one query per kind."""
    from jigai.registry.models import ProgressReport, Project

    source = SOURCES.get(model)
    if source is None or source.moves_only:
        return []  # rows imported new (enterprises): nothing counted under them yet
    values = [v for v in (_current(o, source) for o in objs) if v]
    if not values:
        return []

    def ids(key: str) -> set[Any]:
        return {v[key] for v in values if v.get(key)}

    maps: dict[str, dict[Any, Any]] = {
        owner: _in_chunks(ids(owner), lambda part, owner=owner: _owner_rows(owner, part))
        for owner in _OWNER_REGION
        if owner in source.fields
    }
    if model is Project:
        years: dict[Any, list[int]] = defaultdict(list)
        for part in _chunks(sorted(ids("id"))):
            rows = ProgressReport.objects.filter(project_id__in=part).values_list("project_id", "month__year")
            for pid, year in rows.distinct():
                years[pid].append(year)
        maps["progress_years"] = years
    token = _BULK.set(maps)
    try:
        return [c for v in values for c in source.changes(v)]
    finally:
        _BULK.reset(token)


def _chunks(items: list[Any], size: int = 2000) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _in_chunks(keys: set[Any], query: Callable[[list[Any]], Iterable[tuple[Any, Any]]]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for part in _chunks(sorted(keys)):
        out.update(query(part))
    return out


def _bulk_written(sender: Any, objs: Any = (), **kwargs: Any) -> None:
    if sender in SOURCES:
        _queue(bulk_changes(sender, objs))


# ------------------------------------------------------------------------------------------ the queue


class _Batch:
    """The changes of one transaction, refreshed once when it commits."""

    def __init__(self) -> None:
        self.changes: set[Change] = set()
        self.done = False

    def flush(self) -> None:
        if not self.done:
            self.done = True
            from ..tasks import refresh_changed_figures

            # In the worker, not in the request that saved the record (jigai/monitoring/tasks.py).
            refresh_changed_figures.enqueue(
                [[sorted(codes), region, year, month] for codes, region, year, month in sorted(self.changes)]
            )


def _queue(changes: Iterable[Change]) -> None:
    changes = set(changes)
    # Off while the demo is built (its monitoring builder, the last one, computes every figure at the end).
    if not changes or not getattr(settings, "JIGAI_MONITORING_ON_CHANGE", True):
        return
    conn = transaction.get_connection()
    batch = getattr(conn, "_monitoring_batch", None)
    # the batch of this transaction, while its flush is still to run (a rolled-back savepoint drops the
    # callbacks registered in it: then a new batch, registered in the savepoint that holds)
    live = (
        batch is not None
        and not batch.done
        and conn.in_atomic_block
        and any(func == batch.flush for _sids, func, _robust in conn.run_on_commit)
    )
    if live:
        batch.changes.update(changes)
        return
    batch = _Batch()
    batch.changes.update(changes)
    conn._monitoring_batch = batch
    transaction.on_commit(batch.flush)  # outside a transaction: runs now


def refresh_changes(changes: Iterable[Change]) -> int:
    """Recompute the computed figures of the changes (per year: the indicators touched, at the regions
    touched, from the earliest month touched) and rewrite their rollups."""
    from .computed import refresh_computed
    from .rollups import refresh_rollups

    by_year: dict[int, dict[str, Any]] = defaultdict(lambda: {"codes": set(), "regions": set(), "month": 12})
    for codes, region, year, month in changes:
        y = by_year[year]
        y["codes"].update(codes)
        y["regions"].add(region)
        y["month"] = min(y["month"], month)
    written = 0
    for year, y in sorted(by_year.items()):
        codes = _indicator_codes(y["codes"])
        if not codes:
            continue
        refresh_computed(
            year=year, months=range(y["month"], 13), codes=codes, regions=y["regions"], rollups=False
        )
        written += refresh_rollups(indicator_codes=codes, year=year)
    return written


def _indicator_codes(computations: Iterable[str]) -> list[str]:
    """The active computed indicators fed by these computations (COMPUTATIONS keys)."""
    from ..models import Indicator, Source

    return sorted(
        Indicator.objects.filter(
            source=Source.COMPUTED, active=True, computation__in=list(computations)
        ).values_list("code", flat=True)
    )


def connect() -> None:
    """Connect the handlers to the source models (MonitoringConfig.ready)."""
    SOURCES.clear()
    SOURCES.update(_sources())
    for model in SOURCES:
        uid = f"monitoring_sources_{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}_before")
        if SOURCES[model].hot:
            post_init.connect(_loaded, sender=model, dispatch_uid=f"{uid}_loaded")
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}_saved")
        pre_delete.connect(_deleting, sender=model, dispatch_uid=f"{uid}_deleting")
    from jigai.registry.signals import bulk_written

    bulk_written.connect(_bulk_written, dispatch_uid="monitoring_sources_bulk_written")

"""When matching runs: every night (a task that queues itself for the next night, started by
`jigai match --schedule`, which `make run` runs) and whenever an enterprise's data changes (post_save of
its projects, products, platforms, titles and qualifications, connected in funding's AppConfig.ready —
the registry itself knows nothing of funding)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django_tasks import task

from jigai.core.schedule import next_daily, queue_once

TASK_PATH = "jigai.funding.matching.tasks.nightly_matching"


def next_night(now: dt.datetime | None = None) -> dt.datetime:
    return next_daily(1, 30, now)


def schedule_next() -> bool:
    return queue_once(nightly_matching, next_night())


@task()
def nightly_matching() -> int:
    from .services import refresh_all

    try:
        return refresh_all()
    finally:
        schedule_next()


@task()
def match_enterprise(enterprise_id: int) -> int:
    from jigai.registry.models import Enterprise

    from .services import refresh_enterprise

    ent = Enterprise.objects.filter(pk=enterprise_id).first()
    return len(refresh_enterprise(ent)) if ent else 0


def on_registry_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A registry object of an enterprise changed: match that enterprise again once the change commits
    (once per enterprise per transaction; off while the demo is built, JIGAI_MATCH_ON_CHANGE=False)."""
    from django.conf import settings
    from django.db import connection

    if not getattr(settings, "JIGAI_MATCH_ON_CHANGE", True):
        return
    enterprise_id = getattr(instance, "enterprise_id", None)
    if enterprise_id is None:
        return
    # Already waiting for this transaction's commit (a rollback discards the waiting callbacks).
    if any(
        getattr(entry[1], "match_enterprise", None) == enterprise_id for entry in connection.run_on_commit
    ):
        return

    def run() -> None:
        match_enterprise.enqueue(enterprise_id)

    run.match_enterprise = enterprise_id  # type: ignore[attr-defined]
    transaction.on_commit(run)


def connect() -> None:
    from django.db.models.signals import post_save

    from jigai.registry.models import Platform, Product, Project, Qualification, Title

    for model in (Project, Product, Platform, Title, Qualification):
        post_save.connect(on_registry_change, sender=model, dispatch_uid=f"match-{model.__name__}")

"""Migrations run forward from an empty database, and from the previous release's schema with its data
(issue 12): the database of the last release (d125643) is migrated to today's and its rows are still there
and still right — the audit chain it wrote (plain SM3) is re-keyed and verifies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The leaf migration of every app at the previous release (git ls-tree d125643 */migrations).
PREVIOUS_RELEASE = {
    "accounts": "0001_initial",
    "audit": "0001_initial",
    "funding": "0002_programme_crosschecks",
    "jobs": "0001_initial",
    "notifications": "0001_initial",
    "regions": "0002_load_henan_regions",
    "registry": "0004_project_totals_and_list_indexes",
}


@pytest.mark.django_db
def test_every_app_has_its_migrations_and_nothing_is_missing():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero on a missing one


@pytest.mark.django_db(transaction=True)
def test_the_previous_release_migrates_forward_with_its_data():
    from jigai.audit.chain import GENESIS_HASH, content_of, plain_sm3

    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    jigai_apps = {
        app
        for app, _ in graph.leaf_nodes()
        if executor.loader.get_migration(app, _).__module__.startswith("jigai.")
    }
    new_apps = sorted(jigai_apps - set(PREVIOUS_RELEASE))
    targets = [(app, name) for app, name in PREVIOUS_RELEASE.items()] + [(app, None) for app in new_apps]
    executor.migrate(targets)
    old = MigrationExecutor(connection).loader.project_state(list(PREVIOUS_RELEASE.items())).apps

    Region = old.get_model("regions", "Region")
    Enterprise = old.get_model("registry", "Enterprise")
    Project = old.get_model("registry", "Project")
    Event = old.get_model("audit", "AuditEvent")
    Head = old.get_model("audit", "AuditChainHead")
    region = Region.objects.get(code="410305")
    ent = Enterprise.objects.create(uscc="91410305MA47XXXX1X", name="迁移测试企业", region=region)
    project = Project.objects.create(
        enterprise=ent,
        name="迁移测试项目",
        category="smart",
        total_investment=Decimal("12345678.90"),
        planned_start=dt.date(2026, 1, 1),
        planned_end=dt.date(2026, 12, 31),
    )
    prev = GENESIS_HASH
    for seq in (1, 2):
        ev = Event(
            seq=seq, occurred_at=timezone.now(), action="create", prev_hash=prev, target_label=f"#{seq}"
        )
        ev.hash = plain_sm3(content_of(ev))
        ev.save(force_insert=True)
        prev = ev.hash
    Head.objects.create(pk=1, last_seq=2, last_hash=prev)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from jigai.audit.services import audit_verify
    from jigai.registry.models import Project as CurrentProject

    moved = CurrentProject.objects.get(pk=project.pk)
    assert moved.name == "迁移测试项目" and moved.total_investment == Decimal("12345678.90")
    assert moved.enterprise.name == "迁移测试企业"
    result = audit_verify(check_anchors=False)
    assert result.ok and result.count == 3, result.reason

"""The fast multi-row INSERT used by imports and demo data stores exactly what Django's bulk_create does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from jigai.audit.models import AuditEvent
from jigai.audit.services import audit_record, audit_verify
from jigai.registry.excel.audit import audit_many
from jigai.registry.excel.bulk import bulk_insert
from jigai.registry.models import ProgressReport, Project, ProjectCategory
from jigai.registry.tests.factories import EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

FIELDS = (
    "enterprise_id",
    "name",
    "category",
    "is_machine_replacement",
    "total_investment",
    "equipment_investment",
    "planned_start",
    "planned_end",
    "zero_new_land",
    "added_floor_area",
    "library_status",
)


def _project(enterprise, name: str) -> Project:
    return Project(
        enterprise=enterprise,
        name=name,
        category=ProjectCategory.GREEN,  # an enum member, stored as its value
        is_machine_replacement=True,
        total_investment=Decimal("123456789.01"),
        equipment_investment=Decimal("0.10"),
        planned_start=dt.date(2024, 2, 29),
        planned_end=dt.date(2025, 12, 31),
        zero_new_land=True,
        added_floor_area=Decimal("1500.50"),
    )


def test_bulk_insert_matches_bulk_create_and_sets_primary_keys():
    ent = EnterpriseFactory()
    fast = [_project(ent, f"快{i}") for i in range(3)]
    slow = [_project(ent, f"慢{i}") for i in range(3)]
    bulk_insert(fast)
    Project.objects.bulk_create(slow)
    assert all(p.pk for p in fast) and len({p.pk for p in fast}) == 3
    for f, s in zip(fast, slow, strict=True):
        a = Project.objects.values(*FIELDS).get(pk=f.pk)
        b = Project.objects.values(*FIELDS).get(pk=s.pk)
        assert {k: v for k, v in a.items() if k != "name"} == {k: v for k, v in b.items() if k != "name"}
        assert Project.objects.get(pk=f.pk).name == f.name  # the keys belong to the right rows
        assert Project.objects.get(pk=f.pk).created_at is not None


def test_bulk_insert_in_many_statements_keeps_the_order(monkeypatch):
    monkeypatch.setattr("jigai.registry.excel.bulk.MAX_ROWS_PER_STATEMENT", 7)
    project = ProjectFactory()
    reports = [
        ProgressReport(
            project=project, month=dt.date(2000 + i // 12, i % 12 + 1, 1), investment_completed=Decimal(i)
        )
        for i in range(30)
    ]
    bulk_insert(reports)
    for r in reports:
        assert ProgressReport.objects.get(pk=r.pk).investment_completed == r.investment_completed


def test_bulk_insert_refuses_what_the_constraints_refuse():
    project = ProjectFactory()
    month = dt.date(2024, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(
            [
                ProgressReport(project=project, month=month, investment_completed=Decimal(1)),
                ProgressReport(project=project, month=month, investment_completed=Decimal(2)),
            ]
        )
    assert not ProgressReport.objects.exists()


def test_audit_many_chains_onto_records_written_one_by_one():
    ent = EnterpriseFactory()
    audit_record(actor=None, action="before", obj=ent)
    projects = [_project(ent, f"项目{i}") for i in range(5)]
    bulk_insert(projects)
    n = audit_many(
        actor=None,
        action="project.import",
        items=[
            (p, "410000/410100/410102", ent.pk, {"name": p.name, "total": p.total_investment})
            for p in projects
        ],
        comment="测试",
    )
    audit_record(actor=None, action="after", obj=ent)
    assert n == 5
    events = list(AuditEvent.objects.filter(action="project.import").order_by("seq"))
    assert [e.target_id for e in events] == [str(p.pk) for p in projects]
    assert events[0].after == {"name": "项目0", "total": "123456789.01"}
    result = audit_verify()
    assert result.ok, result.reason
    assert result.count == 7

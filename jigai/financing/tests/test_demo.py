"""The financing demo (`jigai demo`): a published batch across cities, consents, an event with outcomes in
every state, two institutions with a signing-in user each."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory

from jigai.registry.demo import DEMO_PASSWORD

from ..models import (
    Consent,
    ConsentField,
    EntryStatus,
    InstitutionMember,
    MatchEvent,
    Outcome,
    WhitelistEntry,
)

pytestmark = pytest.mark.django_db


def test_demo_builds_the_financing_area():
    call_command("demo", enterprises=60, stdout=io.StringIO())
    published = WhitelistEntry.objects.filter(status=EntryStatus.PUBLISHED)
    assert 5 <= published.count() <= 10
    assert published.values("city").distinct().count() >= 3
    assert published.values("batch").distinct().count() == 1
    assert WhitelistEntry.objects.filter(status=EntryStatus.RETURNED).exists()
    fields = [sorted(c.fields) for c in Consent.objects.filter(withdrawn_at__isnull=True)]
    assert sorted(ConsentField.values) in fields and ["investment", "overview"] in fields
    assert set(Outcome.objects.values_list("status", flat=True)) == {"entered", "confirmed", "returned"}
    assert set(Outcome.objects.values_list("stage", flat=True)) == {"intention", "approved", "disbursed"}
    event = MatchEvent.objects.get()
    assert event.invited_institutions.filter(attended=True).count() == 2
    members = dict(InstitutionMember.objects.values_list("user__username", "institution__kind"))
    assert members == {"yinhang": "bank", "yinhang2": "guarantee"}
    client = Client()
    assert client.login(request=RequestFactory().get("/"), username="yinhang2", password=DEMO_PASSWORD)

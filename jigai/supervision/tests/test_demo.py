"""The supervision demo: tickets in each state, visits with ratings, a published ranking, practices."""

import io

import pytest
from django.core.management import call_command

from jigai.supervision.demo import reset_supervision
from jigai.supervision.models import GreenRanking, Practice, RankingStatus, ServiceVisit, Ticket

pytestmark = pytest.mark.django_db


def test_demo_builds_every_state(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("demo", enterprises=60, stdout=io.StringIO())
    statuses = set(Ticket.objects.exclude(kind="service_visit").values_list("status", flat=True))
    assert statuses == {"open", "replied", "closed"}
    assert any(t.is_overdue for t in Ticket.objects.all())
    assert Ticket.objects.filter(kind="warning", opened_by__isnull=True).exists()
    visits = ServiceVisit.objects.select_related("ticket")
    assert visits.filter(rating__isnull=False).exists()
    assert visits.filter(rating__isnull=True, ticket__status="closed").exists()  # waits for qiye's rating
    ranking = GreenRanking.objects.get(status=RankingStatus.PUBLISHED)
    assert ranking.entries.count() > 0
    assert Practice.objects.filter(status="published").count() == 2
    reset_supervision()  # what `jigai demo --reset` runs before the registry deletes the demo rows
    # Its own rows (the monitoring demo's warning tickets are the monitoring demo's to reset).
    assert not Ticket.objects.filter(key__startswith="demo:").exists() and not ServiceVisit.objects.exists()
    assert not GreenRanking.objects.exists() and not Practice.objects.exists()

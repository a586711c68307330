"""The city's ranking (市级推荐排序) on the application page: a wrong value is said beside the field, in
Chinese, and nothing changes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jigai.audit.models import AuditEvent
from jigai.funding.forms import MOVE_MESSAGE, RANK_MESSAGE
from jigai.funding.models import AppStatus, ReviewEvent
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(cast, guideline, ent_user):
    """An application the county approved: the city recommends it, with a rank."""
    return f.to_status(f.submitted(ent_user, guideline), AppStatus.COUNTY_APPROVED, cast)


def _move(client, app, **data):
    return client.post(reverse("funding:application_move", args=[app.pk]), data)


def _rank_errors(html: str) -> list[str]:
    return re.findall(
        r'<small class="field-error" role="alert" data-testid="rank-error">([^<]*)</small>', html
    )


@pytest.mark.parametrize("rank", ["第一", "-3", "0", "1.5", "abc"])
def test_a_wrong_rank_is_said_beside_the_field_and_changes_nothing(client, cast, waiting, rank):
    events, audits = ReviewEvent.objects.count(), AuditEvent.objects.count()
    client.force_login(cast.city)
    r = _move(client, waiting, action="approve", comment="推荐", rank=rank)
    html = r.content.decode()
    assert r.status_code == 200
    assert _rank_errors(html) == [RANK_MESSAGE]
    assert MOVE_MESSAGE not in html
    assert "推荐" in html  # the comment typed is kept
    waiting.refresh_from_db()
    assert waiting.status == AppStatus.COUNTY_APPROVED and waiting.city_rank is None
    assert ReviewEvent.objects.count() == events and AuditEvent.objects.count() == audits


def test_a_rank_beyond_the_range_is_refused(client, cast, waiting):
    client.force_login(cast.city)
    html = _move(client, waiting, action="approve", rank="100000").content.decode()
    assert _rank_errors(html) == ["推荐排序不能大于 10,000。"]
    waiting.refresh_from_db()
    assert waiting.status == AppStatus.COUNTY_APPROVED


def test_a_rank_already_used_is_said_beside_the_field(client, cast, guideline, waiting):
    other = f.to_status(f.submitted(f.enterprise_user(), guideline), AppStatus.COUNTY_APPROVED, cast)
    client.force_login(cast.city)
    assert _move(client, other, action="approve", rank="1").status_code == 302
    html = _move(client, waiting, action="approve", rank="1").content.decode()
    assert _rank_errors(html) == [f"推荐排序 1 已用于 {other.tracking_no}，请换一个序号。"]
    waiting.refresh_from_db()
    assert waiting.status == AppStatus.COUNTY_APPROVED and waiting.city_rank is None


def test_a_good_rank_is_recorded(client, cast, waiting):
    client.force_login(cast.city)
    r = _move(client, waiting, action="approve", comment="推荐", rank=" 2 ")
    assert r.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == AppStatus.CITY_RECOMMENDED and waiting.city_rank == 2


def test_no_action_still_asks_for_one(client, cast, waiting):
    client.force_login(cast.city)
    html = _move(client, waiting, comment="x", rank="1").content.decode()
    assert MOVE_MESSAGE in html and not _rank_errors(html)
    waiting.refresh_from_db()
    assert waiting.status == AppStatus.COUNTY_APPROVED

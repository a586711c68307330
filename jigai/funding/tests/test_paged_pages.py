"""Every list is paged (issue 8): the decision page's waiting applications and both notice pages (a notice of
~540 rows at provincial scale) show one page of rows with the pager; the page sizes are shrunk to 1 here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jigai.funding.models import AppStatus, PublicNotice
from jigai.funding.tests import factories as f
from jigai.funding.views import _helpers, public, rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reviewed(cast, guideline):
    users = [f.enterprise_user("410102"), f.enterprise_user("410102")]
    return [f.to_status(f.submitted(u, guideline), AppStatus.REVIEWED, cast) for u in users]


def test_decision_page_pages_the_waiting_applications(client, cast, guideline, two_reviewed, monkeypatch):
    monkeypatch.setattr(_helpers, "PAGE_SIZE", 1)
    client.force_login(cast.province)
    url = reverse("funding:decision", args=[guideline.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "第 1 / 2 页，共 2 条" in first and "第 2 / 2 页，共 2 条" in second
    shown = [[a.tracking_no in page for a in two_reviewed] for page in (first, second)]
    assert sorted(map(sum, shown)) == [1, 1] and shown[0] != shown[1]


def test_notice_pages_page_their_rows(client, cast, guideline, two_reviewed, monkeypatch):
    client.force_login(cast.province)
    client.post(reverse("funding:decision", args=[guideline.pk]), {"item_group": "3.1", "method": "score"})
    client.post(reverse("funding:allocation_decide", args=[guideline.allocations.get().pk]))
    client.post(reverse("funding:notice_list"), {"guideline": guideline.pk})
    notice = PublicNotice.objects.get()
    assert notice.entries.count() == 2
    monkeypatch.setattr(rounds, "NOTICE_PAGE_SIZE", 1)
    monkeypatch.setattr(public, "NOTICE_PAGE_SIZE", 1)
    detail = client.get(reverse("funding:notice_detail", args=[notice.pk])).content.decode()
    assert "第 1 / 2 页，共 2 条" in detail
    assert sum(a.tracking_no in detail for a in two_reviewed) == 2  # one in the table, both in the form
    client.logout()
    page_two = client.get(reverse("funding:public_notice", args=[notice.pk]), {"page": 2}).content.decode()
    assert "第 2 / 2 页，共 2 条" in page_two
    assert "<td>2</td>" in page_two  # rows are numbered across pages
    assert sum(a.tracking_no in page_two for a in two_reviewed) == 1

"""The hand-written filter forms pick regions from the user's jurisdiction tree, never a free-text code box
(issue 9): monitoring's values, supervision's tickets, land's cases."""

from __future__ import annotations

import re

import pytest

from jigai.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/monitoring/values/", "/supervision/", "/land/cases/"])
def test_the_region_filter_is_the_jurisdiction_tree(client, url):
    client.force_login(make_user("city", "410300"))
    html = client.get(url).content.decode()
    assert re.search(r'<select[^>]*name="region"', html)
    assert 'type="text" name="region"' not in html
    assert "410305" in html and "410102" not in html  # 涧西区 under 洛阳市; nothing of 郑州市

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jigai.accounts.tests.factories import make_enterprise, make_user


@pytest.fixture
def people(db):
    """Province, 洛阳市 (city) and 涧西区 (county) reviewers, a reviewer of another city and county, an
    enterprise of 涧西区 with its user, a leader, a bank user."""
    ent = make_enterprise("410305", industry_division="34")
    return SimpleNamespace(
        province=make_user("province"),
        city=make_user("city", "410300"),
        county=make_user("county", "410305"),
        other_county=make_user("county", "410311"),
        other_city=make_user("city", "410100"),
        leader=make_user("leader"),
        bank=make_user("bank"),
        ent=ent,
        ent_user=make_user("enterprise", enterprise=ent),
    )


@pytest.fixture
def soon():
    return timezone.localdate() + dt.timedelta(days=10)

import datetime as dt

import pytest

from jigai.accounts.tests.factories import make_user
from jigai.monitoring.models import EntryWindow, Indicator
from jigai.regions.models import Region


class People:
    """The province officer, 郑州 and 洛阳 city reviewers, counties 中原区 (郑州) and 涧西区 (洛阳)."""

    def __init__(self) -> None:
        self.province = make_user("province")
        self.leader = make_user("leader")
        self.zz = make_user("city", "410100")
        self.ly = make_user("city", "410300")
        self.zy = make_user("county", "410102")
        self.jx = make_user("county", "410305")


@pytest.fixture
def people(db):
    return People()


@pytest.fixture
def ind(db):
    return lambda code: Indicator.objects.get(code=code)


@pytest.fixture
def region(db):
    return lambda code: Region.objects.get(pk=code)


@pytest.fixture
def open_window(db):
    """This month's window (for last month's figures … any month entered in the tests) open today."""

    def make(year: int, month: int, *, closes: dt.date | None = None) -> EntryWindow:
        today = dt.date.today()
        return EntryWindow.objects.update_or_create(
            year=year,
            month=month,
            defaults={
                "opens_on": today - dt.timedelta(days=5),
                "closes_on": closes or today + dt.timedelta(days=5),
            },
        )[0]

    return make

import pytest

from jigai.funding.tests import factories as f


@pytest.fixture
def cast(db):
    return f.Cast()


@pytest.fixture
def guideline(db, cast):
    return f.guideline(actor=cast.province)


@pytest.fixture
def ent_user(db):
    return f.enterprise_user("410102")

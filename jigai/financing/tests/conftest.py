import pytest

from .factories import Cast


@pytest.fixture
def cast(db):
    return Cast()

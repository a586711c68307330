import pytest

from jigai.monitoring.loader import indicator_rows
from jigai.monitoring.models import Indicator

pytestmark = pytest.mark.django_db


def test_every_indicator_of_the_data_file_is_seeded_with_its_clause():
    rows = indicator_rows()
    assert Indicator.objects.count() == len(rows)
    share = Indicator.objects.get(code="ti_investment_share")
    assert share.numerator.code == "ti_investment" and share.denominator.code == "industrial_investment"
    assert Indicator.objects.get(code="informatization_index").province_goal == 62
    assert Indicator.objects.get(code="ti_investment_growth").clause == "一（二）"
    assert not Indicator.objects.filter(clause="").exists()

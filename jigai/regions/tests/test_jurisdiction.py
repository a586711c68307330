"""The one region picker (jigai.regions.widgets) and its choices (selectors.jurisdiction_choices): each role
picks only inside its jurisdiction, as a tree city → counties and zones; a code outside is refused."""

from __future__ import annotations

import pytest
from django import forms

from jigai.accounts.tests.factories import make_user
from jigai.regions.selectors import jurisdiction_choices, jurisdiction_codes
from jigai.regions.widgets import COUNTY_LEVELS, OUTSIDE, JurisdictionField

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    region = JurisdictionField(label="区划", required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind(actor)


def test_province_gets_18_cities_each_with_its_counties_and_zones():
    choices = jurisdiction_choices(make_user("province"))
    groups = [(label, options) for label, options in choices if isinstance(options, list)]
    assert len(groups) == 18
    zhengzhou = dict(groups)["郑州市"]
    assert zhengzhou[0] == ("410100", "郑州市（全市）")
    assert ("410102", "\u3000中原区") in zhengzhou
    assert ("410173", "\u3000郑州航空港经济综合实验区（功能区）") in zhengzhou
    assert dict(groups)["济源示范区"] == [("419001", "济源示范区")]


def test_city_gets_itself_and_its_counties_and_zones_only():
    codes = jurisdiction_codes(make_user("city", "410300"))
    assert "410300" in codes and "410305" in codes and "410371" in codes  # 洛阳, 涧西区, 洛阳高新区
    assert not any(c.startswith("4101") for c in codes)


def test_county_gets_itself_only():
    assert jurisdiction_choices(make_user("county", "410305")) == [("410305", "涧西区")]


def test_roles_without_a_jurisdiction_get_nothing_and_signed_out_users_the_province():
    assert jurisdiction_choices(make_user("expert")) == []
    assert jurisdiction_choices(make_user("bank")) == []
    assert len(jurisdiction_codes(None)) > 170  # the public registration: every city, county and zone


def test_county_level_picker_lists_counties_zones_and_jiyuan_not_cities():
    codes = jurisdiction_codes(None, COUNTY_LEVELS)
    assert "410102" in codes and "410173" in codes and "419001" in codes
    assert "410100" not in codes and "410000" not in codes


def test_the_widget_renders_an_optgroup_per_city_with_the_choice_selected():
    form = PickForm(initial={"region": "410305"}, actor=make_user("city", "410300"))
    html = str(form["region"])
    assert html.count("<optgroup") == 1 and '<optgroup label="洛阳市">' in html
    assert '<option value="410305" selected>' in html
    assert 'class="region-picker"' in html


def test_a_code_outside_the_jurisdiction_is_refused_with_a_chinese_message():
    county = make_user("county", "410305")
    form = PickForm({"region": "410102"}, actor=county)
    assert not form.is_valid() and form.errors["region"] == [OUTSIDE]
    form = PickForm({"region": "410305"}, actor=county)
    assert form.is_valid() and form.cleaned_data["region"] == "410305"
    form = PickForm({"region": "410300"}, actor=county)  # its own city is above it: refused too
    assert not form.is_valid()


def test_as_region_cleans_to_the_row():
    field = JurisdictionField(levels=COUNTY_LEVELS, blank="——请选择——", as_region=True)
    region = field.clean("410305")
    assert region.pk == "410305" and region.name == "涧西区"
    with pytest.raises(forms.ValidationError):
        field.clean("410300")  # a city where a county is asked for

"""One page shape for every list of the API (jigai.api.types.page_of), each keeping its own component in
the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client
from ninja import Schema

from jigai.api.types import page_of
from jigai.funding.api.schemas import FundingApplicationPageOut
from jigai.registry.api.schemas import EnterprisePageOut, ProjectPageOut, QualificationPageOut

PAGES = {
    "EnterprisePageOut": EnterprisePageOut,
    "FundingApplicationPageOut": FundingApplicationPageOut,
    "ProjectPageOut": ProjectPageOut,
    "QualificationPageOut": QualificationPageOut,
}


class ThingOut(Schema):
    name: str


def test_a_page_is_total_limit_offset_and_its_items():
    page = page_of(ThingOut, "ThingPageOut")
    assert page.__name__ == "ThingPageOut" and issubclass(page, Schema)
    assert list(page.model_fields) == ["total", "limit", "offset", "items"]
    out = page.model_validate(
        {"total": 3, "limit": 2, "offset": 0, "items": [{"name": "甲"}, {"name": "乙"}]}
    )
    assert out.model_dump() == {
        "total": 3,
        "limit": 2,
        "offset": 0,
        "items": [{"name": "甲"}, {"name": "乙"}],
    }
    with pytest.raises(ValueError):
        page.model_validate({"total": 3, "limit": 2, "offset": 0})


def test_every_page_of_the_api_is_the_one_shape_with_its_own_component():
    for name, page in PAGES.items():
        assert page.__name__ == name and list(page.model_fields) == ["total", "limit", "offset", "items"]
    components = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name, page in PAGES.items():
        item = page.model_fields["items"].annotation.__args__[0].__name__
        schema = components[name]
        assert schema["required"] == ["total", "limit", "offset", "items"]
        assert schema["properties"]["items"]["items"] == {"$ref": f"#/components/schemas/{item}"}
        assert schema["properties"]["total"]["description"] == "符合条件的总数"

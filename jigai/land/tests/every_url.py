"""Fillers of the every-URL test (tests/test_every_url.py) for the land pages and API."""

from __future__ import annotations

from typing import Any

from tests import urlwalk

from ..models import FeeRate, LandCase, LandNeed
from ..services import MOVE_FIELDS

SEGMENT_MODELS = {"cases": LandCase, "needs": LandNeed, "rates": FeeRate}


def _case_moves(user: Any) -> list[dict[str, Any]]:
    ids = urlwalk.model_ids(LandCase, user)[:3]
    return [{"pk": pk, "action": a} for pk in ids for a in [*MOVE_FIELDS, "nosuch"]]


SPECIAL = {
    "land:case_move": _case_moves,
    "api:case_move": _case_moves,  # the API route in the URL configuration
    "/api/v1/land/cases/{pk}/moves/{action}": _case_moves,  # the same in the OpenAPI document
}

# The demo's land rows are served (not only refused) to the roles that work on them.
MUST_ANSWER = {
    "qiye": ["land:case_list", "land:case_detail", "land:waiver"],
    "xianji": [
        "land:case_list",
        "land:case_detail",
        "land:case_register",
        "land:priority",
        "land:priority_export",
    ],
    "shiji": [
        "land:waiver",
        "land:waiver_export",
        "land:waiver_cases_export",
        "land:rate_list",
        "land:rate_export",
    ],
    "shengting": ["land:case_export", "land:priority", "land:rate_list", "land:case_detail"],
}

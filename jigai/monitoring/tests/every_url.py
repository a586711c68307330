"""Fillers of the every-URL test (tests/test_every_url.py) for the monitoring pages and API.
(H10A's part; H10C adds the dashboards' entries below.)"""

from __future__ import annotations

from ..models import MonthlyValue, TargetLetter

SEGMENT_MODELS = {"letters": TargetLetter, "values": MonthlyValue}

MUST_ANSWER = {
    "shengting": [
        "monitoring:indicator_list",
        "monitoring:target_list",
        "monitoring:letter_list",
        "monitoring:window_list",
        "monitoring:value_list",
        "monitoring:reconcile",
    ],
    "shiji": [
        "monitoring:target_list",
        "monitoring:letter_list",
        "monitoring:entry",
        "monitoring:value_list",
    ],
    "xianji": ["monitoring:entry", "monitoring:value_list", "monitoring:reconcile"],
    "lingdao": ["monitoring:indicator_list", "monitoring:value_list"],
}

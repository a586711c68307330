"""Fillers of the every-URL test (tests/test_every_url.py) for the financing pages and API."""

from __future__ import annotations

from ..models import Consent, MatchEvent, Outcome, WhitelistEntry

SEGMENT_MODELS = {
    "whitelist": WhitelistEntry,
    "portal": WhitelistEntry,
    "consent": Consent,
    "consents": Consent,
    "events": MatchEvent,
    "outcomes": Outcome,
}

# The demo's financing rows are served (not only refused) to the roles that own them.
MUST_ANSWER = {
    "yinhang": [
        "financing:bank_list",
        "financing:bank_detail",
        "financing:bank_export",
        "financing:event_detail",
    ],
    "shengting": [
        "financing:review",
        "financing:whitelist_detail",
        "financing:whitelist_export",
        "financing:stats",
        "financing:stats_export",
        "financing:outcome_export",
    ],
    "shiji": [
        "financing:propose",
        "financing:whitelist_detail",
        "financing:outcome_list",
        "financing:event_detail",
    ],
    "qiye": [
        "financing:consent",
        "financing:access_log",
        "financing:access_log_export",
        "financing:event_detail",
    ],
}

"""Building cases for the tests."""

from __future__ import annotations

import copy
from typing import Any

from jigai.policy import evaluate_request
from jigai.policy.values import uscc_check_char


def uscc(serial: int) -> str:
    """A valid credit code (GB 32100-2015) that differs by `serial`."""
    body = f"91410100MA{serial:07d}"
    return body + uscc_check_char(body)


def case(
    item: str,
    facts: dict[str, Any],
    *,
    id: str = "T1",
    as_of: str = "2022-06-30",
    uscc_code: str | None = None,
    in_henan: bool = True,
    qualifications: list[dict] | None = None,
    other: bool = False,
    annual_cap_used: str | None = None,
) -> dict[str, Any]:
    applicant: dict[str, Any] = {"in_henan": in_henan, "qualifications": qualifications or []}
    if uscc_code is not None:
        applicant["uscc"] = uscc_code
    out = {
        "id": id,
        "item": item,
        "as_of": as_of,
        "applicant": applicant,
        "other_provincial_support": other,
        "facts": copy.deepcopy(facts),
    }
    if annual_cap_used is not None:
        out["annual_cap_used"] = annual_cap_used
    return out


def run(one: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """The result of one case evaluated alone (explanations on)."""
    return evaluate_request({"cases": [one]}, **kw)["results"][0]


def run_all(*cases: dict[str, Any], **kw: Any) -> list[dict[str, Any]]:
    return evaluate_request({"cases": list(cases)}, **kw)["results"]


def qual(kind: str, start: str, end: str) -> dict[str, str]:
    return {"kind": kind, "valid_from": start, "valid_to": end}

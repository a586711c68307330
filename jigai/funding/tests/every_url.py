"""The funding app's fillers for the every-URL test (tests/test_every_url.py): the what-if simulator's
scenarios and runs (the demo makes two), and the changed cases of a run."""

from __future__ import annotations

from typing import Any

from jigai.funding.models import Match, ProactiveAward, Scenario, ScenarioRun

SEGMENT_MODELS = {
    "simulator": Scenario,
    "scenarios": Scenario,
    "runs": ScenarioRun,
    "matches": Match,
    "proactive": ProactiveAward,
}


def _cases(user: Any) -> list[dict[str, Any]]:
    out = []
    for run in ScenarioRun.objects.order_by("pk")[:2]:
        ids = [c["id"] for c in (run.changes or [])[:1]] or ["none"]
        out += [{"pk": run.pk, "case_id": i} for i in ids] + [{"pk": run.pk, "case_id": "no-such-case"}]
    return [*out, {"pk": 999999, "case_id": "x"}]


def _api_cases(user: Any) -> list[dict[str, Any]]:
    return [{"run_id": c["pk"], "case_id": c["case_id"]} for c in _cases(user)]


SPECIAL = {
    "funding:sim_case": _cases,
    "/api/v1/funding/simulator/runs/{run_id}/cases/{case_id}": _api_cases,
}
MUST_ANSWER = {"shengting": ["funding:sim_list", "funding:sim_detail", "funding:sim_compare"]}


def complete_demo() -> None:
    """A 免申即享 award when the demo's matching made none (its titles may not fall under the open items)."""
    if ProactiveAward.objects.exists():
        return
    match = Match.objects.filter(status="eligible").order_by("pk").first()
    if match is not None:
        Match.objects.filter(pk=match.pk).update(proactive=True)
        ProactiveAward.objects.create(match=match)

"""With `explain: false` the engine runs the same path without writing the explanation lines: its
decisions and numbers must be exactly those of the explained path."""

import importlib.util
from pathlib import Path

from jigai.policy import evaluate_request

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_policy.py"


def _generated(n: int, seed: int) -> dict:
    spec = importlib.util.spec_from_file_location("bench_policy", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(n, seed)


def _without_explanation(result: dict) -> dict:
    out = {k: v for k, v in result.items() if k != "explanation"}
    if "options" in out:
        out["options"] = [_without_explanation(o) for o in out["options"]]
    return out


def test_quiet_path_gives_the_explained_results_for_every_item():
    body = _generated(3000, 7)
    items = {case["item"] for case in body["cases"]}
    assert len(items) == 17  # every item and auto are exercised

    explained = evaluate_request({**body, "explain": True})
    quiet = evaluate_request({**body, "explain": False})

    assert all("explanation" not in r for r in quiet["results"])
    assert [_without_explanation(r) for r in explained["results"]] == quiet["results"]

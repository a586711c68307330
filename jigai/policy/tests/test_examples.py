"""The worked examples of the contract, through the Python function and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jigai.policy import evaluate_request

FIXTURES = Path(__file__).parent / "fixtures" / "examples"
REPO = Path(__file__).resolve().parents[3]
SHARED_EXAMPLES = REPO.parent / "shared" / "spec" / "examples"
NAMES = ("request.json", "expected.json", "README.md")


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _assert_matches(response: dict) -> None:
    expected = _load("expected.json")["results"]
    results = response["results"]
    assert [r["id"] for r in results] == [e["id"] for e in expected]
    for got, want in zip(results, expected, strict=True):
        for key, value in want.items():
            if key == "options":
                options = [{k: o[k] for k in ("item", "eligible", "amount")} for o in got["options"]]
                assert options == value, got["id"]
            else:
                assert got[key] == value, (got["id"], key)


def test_fixtures_are_the_shared_examples():
    # The copies in the repository are the contract's examples, byte for byte, wherever the
    # shared folder sits beside the repository (on a machine without it only the copies are checked).
    for name in NAMES:
        ours = (FIXTURES / name).read_bytes()
        assert ours
        if SHARED_EXAMPLES.is_dir():
            assert ours == (SHARED_EXAMPLES / name).read_bytes(), name


def test_python_function_matches_every_expected_field():
    _assert_matches(evaluate_request(_load("request.json")))


def test_without_explanation_the_same_numbers():
    body = _load("request.json")
    body["explain"] = False
    response = evaluate_request(body)
    _assert_matches(response)
    assert all("explanation" not in r for r in response["results"])
    assert all("explanation" not in o for r in response["results"] for o in r.get("options", []))


def test_every_result_names_its_clause_and_version():
    response = evaluate_request(_load("request.json"))
    assert response["policy"]["id"] == "henan-2022-8"
    for r in response["results"]:
        assert r["citations"]
        assert r["policy_version"] == "2022-01-24"
        assert all("：" in line for line in r["explanation"])


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jigai.cli", "policy", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("from_stdin", [False, True], ids=["file", "stdin"])
def test_command_line_matches_every_expected_field(from_stdin):
    request = FIXTURES / "request.json"
    if from_stdin:
        proc = _cli("evaluate", "-", stdin=request.read_bytes())
    else:
        proc = _cli("evaluate", str(request))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    text = proc.stdout.decode("utf-8")
    assert "技术改造示范项目" in text  # UTF-8 text, not \\u escapes
    _assert_matches(json.loads(text))

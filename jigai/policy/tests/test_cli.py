"""`jigai policy …` on the command line."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jigai.policy import cli
from jigai.policy.tests.helpers import case, uscc

REPO = Path(__file__).resolve().parents[3]
GOOD = case("3.1.4", {"machine_purchase_investment": "1000000"})


class _Std:
    """Standard streams with a byte buffer, as the command writes bytes."""

    def __init__(self, data: bytes = b"") -> None:
        self.buffer = io.BytesIO(data)


def call(argv: list[str], monkeypatch, stdin: bytes = b"") -> tuple[int, bytes, str]:
    out = _Std()
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdin", _Std(stdin))
    code = cli.main(argv)
    return code, out.buffer.getvalue(), err.getvalue()


def write(tmp_path: Path, body: object) -> str:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_evaluate_file(tmp_path, monkeypatch):
    code, out, err = call(["evaluate", write(tmp_path, {"cases": [GOOD]})], monkeypatch)
    assert code == 0 and err == ""
    assert json.loads(out)["results"][0]["amount"] == "300000"


def test_evaluate_stdin(monkeypatch):
    code, out, _ = call(["evaluate", "-"], monkeypatch, stdin=json.dumps({"cases": [GOOD]}).encode())
    assert code == 0
    assert json.loads(out)["results"][0]["eligible"] is True


@pytest.mark.parametrize("body", [[], {"case": []}, {"cases": [], "explain": 1}])
def test_refused_body_exits_2_with_the_reason(tmp_path, monkeypatch, body):
    code, out, err = call(["evaluate", write(tmp_path, body)], monkeypatch)
    assert code == 2 and out == b""
    assert "请求被拒绝" in err


def test_not_json_exits_2(monkeypatch):
    code, out, err = call(["evaluate", "-"], monkeypatch, stdin=b"{not json")
    assert code == 2 and out == b"" and "JSON" in err


def test_unreadable_file_exits_2(tmp_path, monkeypatch):
    code, out, err = call(["evaluate", str(tmp_path / "missing.json")], monkeypatch)
    assert code == 2 and out == b"" and "无法读取" in err


def test_case_errors_still_exit_0(tmp_path, monkeypatch):
    bad = dict(GOOD, facts={"machine_purchase_investment": 1000000})
    code, out, _ = call(["evaluate", write(tmp_path, {"cases": [bad]})], monkeypatch)
    assert code == 0
    assert json.loads(out)["results"][0]["error"]["field"] == "facts.machine_purchase_investment"


def test_override_options(tmp_path, monkeypatch):
    request = write(tmp_path, {"cases": [GOOD]})
    code, out, _ = call(["evaluate", request, "--override", "3.1.4.rate=0.1", "--round", "2022"], monkeypatch)
    assert code == 0 and json.loads(out)["results"][0]["amount"] == "100000"
    overrides = tmp_path / "round.json"
    overrides.write_text(json.dumps({"3.1.4.cap": "200000"}), encoding="utf-8")
    code, out, _ = call(
        ["evaluate", request, "--overrides", str(overrides), "--round", "2022", "--indent"], monkeypatch
    )
    assert code == 0 and json.loads(out)["results"][0]["amount"] == "200000"
    assert b"\n  " in out
    code, out, _ = call(
        ["evaluate", request, "--round", "2022", "--override", "3.4.1.titles=green_factory,single_champion"],
        monkeypatch,
    )
    assert code == 0
    code, out, _ = call(
        ["evaluate", request, "--round", "2022", "--override", "3.2.1-insurance.term_months=24"], monkeypatch
    )
    assert code == 0


@pytest.mark.parametrize("option", ["3.1.4.cap=-1", "nonsense=1", "3.1.4.cap"])
def test_bad_override_exits_2(tmp_path, monkeypatch, option):
    code, out, err = call(
        ["evaluate", write(tmp_path, {"cases": [GOOD]}), "--round", "2022", "--override", option], monkeypatch
    )
    assert code == 2 and out == b"" and err and "round" not in err


def test_items_and_parameters(monkeypatch):
    code, out, _ = call(["items"], monkeypatch)
    assert code == 0 and [i["code"] for i in json.loads(out)][:2] == ["3.1.1", "3.1.2"]
    code, out, _ = call(["parameters", "--as-of", "2022-06-30"], monkeypatch)
    assert code == 0 and any(p["path"] == "3.1.1.threshold" for p in json.loads(out))


def test_help_through_the_jigai_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "jigai.cli", "policy", "--help"],
        capture_output=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0
    assert "evaluate" in proc.stdout.decode()


def test_unreadable_file_through_the_entry_point(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "jigai.cli", "policy", "evaluate", str(tmp_path / "nope.json")],
        capture_output=True,
        cwd=REPO,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 2 and proc.stdout == b""
    assert "无法读取" in proc.stderr.decode()


def test_the_engine_never_imports_django():
    code = (
        "import sys, jigai.policy, jigai.policy.cli, jigai.policy.catalog;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=REPO, check=True, timeout=60)
    assert proc.stdout.strip() == b"[]"
    for path in (REPO / "jigai" / "policy").rglob("*.py"):
        if "tests" not in path.parts:
            assert not re.search(r"^\s*(import|from)\s+django", path.read_text(encoding="utf-8"), re.M), path


def test_two_workers_same_output(tmp_path, monkeypatch):
    from jigai.policy import fast

    monkeypatch.setattr(fast, "PARALLEL_FROM", 0)
    cases = [dict(GOOD, id=f"W{i}", applicant={**GOOD["applicant"], "uscc": uscc(i % 3)}) for i in range(9)]
    request = write(tmp_path, {"cases": cases})
    one = call(["evaluate", request, "--workers", "1"], monkeypatch)
    two = call(["evaluate", request, "--workers", "2"], monkeypatch)
    assert one == two and one[0] == 0
    assert [r["eligible"] for r in json.loads(one[1])["results"]] == [True] * 3 + [False] * 6


def test_large_request_through_the_entry_point(tmp_path):
    # 10,000 cases: the command ends without freeing its memory, after writing the whole answer.
    cases = [
        case("3.4.3", {"provincially_recognized": True}, id=f"L{i:05d}", uscc_code=uscc(i))
        for i in range(10_000)
    ]
    path = write(tmp_path, {"explain": False, "cases": cases})
    proc = subprocess.run(
        [sys.executable, "-m", "jigai.cli", "policy", "evaluate", path],
        capture_output=True,
        cwd=REPO,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    results = json.loads(proc.stdout)["results"]
    assert len(results) == 10_000 and all(r["amount"] == "500000" for r in results)

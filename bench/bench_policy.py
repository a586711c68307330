"""Benchmark of the policy calculator: 100,000 cases across every item (fixed seed).

    .venv/bin/python bench/bench_policy.py [--cases N] [--seed S]

Prints cases/second and peak memory for
  (a) the Python function `evaluate_request` on the whole batch (explain false),
  (b) the command-line round trip: write the JSON file, run `jigai policy evaluate FILE` in a
      subprocess, parse its output (peak memory = the child's maximum resident set),
  (c) the baseline: a straightforward loop calling the function once per case (one-case requests),
  (d) for reference, the whole batch with explanations.
Peak memory: (a) and (c) Python allocations traced by tracemalloc in a second run (the baseline over
its first 1,000 cases), (b) the maximum resident set of the command's processes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jigai.policy import evaluate_request, item_catalog  # noqa: E402
from jigai.policy.values import USCC_ALPHABET, clear_caches, uscc_check_char  # noqa: E402

ITEMS = [item["code"] for item in item_catalog()] + ["auto"]  # every item of 三, in clause order
TITLES_341 = ["green_factory", "single_champion", "quality_benchmark", "big_data", "not_a_title"]


def _money(rng: random.Random, high: int) -> str:
    yuan = rng.randrange(0, high)
    return str(yuan) if rng.random() < 0.6 else f"{yuan}.{rng.randrange(100):02d}"


def _uscc(rng: random.Random) -> str:
    body = "9141" + "".join(rng.choice(USCC_ALPHABET) for _ in range(13))
    return body + uscc_check_char(body)


def _day(rng: random.Random, start: date, span: int) -> str:
    return (start + timedelta(days=rng.randrange(span))).isoformat()


def _facts(rng: random.Random, item: str) -> dict:
    if item in ("3.1.1", "3.1.2", "3.1.3", "auto"):
        facts = {
            "equipment_investment": _money(rng, 60_000_000),
            "software_investment": _money(rng, 10_000_000),
        }
        if item in ("3.1.1", "auto"):
            facts["project_type"] = rng.choice(["high_end", "intelligent", "green", "service"])
        return facts
    if item == "3.1.4":
        return {"machine_purchase_investment": _money(rng, 30_000_000)}
    if item.endswith("insurance"):
        start = date(2022, 1, 1) + timedelta(days=rng.randrange(365))
        periods = []
        for _ in range(rng.randint(1, 4)):
            months = rng.choice([6, 12, 12, 24])
            periods.append({"start": start.isoformat(), "months": months, "premium": _money(rng, 1_000_000)})
            start = start + timedelta(days=months * 31)
        return {
            "recognitions": rng.choice([["provincial"], ["national", "provincial"], []]),
            "insured_amount": _money(rng, 50_000_000),
            "periods": periods,
        }
    if item == "3.2.1-award":
        return {
            "products": [
                {
                    "name": f"产品{i}",
                    "recognitions": rng.choice(
                        [["national"], ["provincial"], ["national", "provincial"], []]
                    ),
                    "sales_invoice_amount": _money(rng, 200_000_000),
                }
                for i in range(rng.randint(1, 3))
            ]
        }
    if item == "3.2.2-award":
        products = []
        for i in range(rng.randint(1, 2)):
            rec = date(2022, 1, 1) + timedelta(days=rng.randrange(500))
            products.append(
                {
                    "name": f"软件{i}",
                    "recognized_on": rec.isoformat(),
                    "invoices": [
                        {"date": _day(rng, rec - timedelta(days=30), 420), "amount": _money(rng, 3_000_000)}
                        for _ in range(rng.randint(0, 5))
                    ],
                }
            )
        return {"products": products}
    if item == "3.3.1-cultivation":
        return {
            "on_cultivation_list": rng.random() < 0.9,
            "completed": rng.random() < 0.8,
            "rd_pilot_equipment_investment": _money(rng, 30_000_000),
        }
    if item == "3.3.1-provincial":
        return {
            "level": rng.choice(["provincial", "national_branch", "none"]),
            "equipment_investment": _money(rng, 30_000_000),
            "service_revenue": _money(rng, 150_000_000),
        }
    if item == "3.3.1-national-promotion":
        return {
            "level": rng.choice(["provincial", "national_branch"]),
            "promoted_to_national": rng.random() < 0.7,
        }
    if item == "3.3.2":
        return {"status": rng.choice(["recognized", "cultivation", "none"]), "accepted": rng.random() < 0.5}
    if item == "3.3.3":
        return {
            "level": rng.choice(["provincial", "national", "municipal"]),
            "assessment_rank": rng.choice([1, 2, 3, None]),
        }
    if item == "3.4.1":
        return {"title": rng.choice(TITLES_341), "awarded_by": rng.choice(["miit", "state_council", "other"])}
    if item == "3.4.2":
        return {
            "title": rng.choice(["new_industrialization_base", "green_industrial_park", "other"]),
            "awarded_by": rng.choice(["miit", "state_council", "other"]),
        }
    return {"provincially_recognized": rng.random() < 0.8}


def generate(n: int, seed: int) -> dict:
    """A request of n cases, every item represented, about 1 in 20 enterprises applying twice a year."""
    rng = random.Random(seed)
    usccs = [_uscc(rng) for _ in range(max(1, n * 19 // 20))]
    cases = []
    for i in range(n):
        item = ITEMS[i % len(ITEMS)]
        as_of = date(2022, 3, 1) + timedelta(days=rng.randrange(1000))
        quals = []
        if rng.random() < 0.5:
            kind = rng.choice(["leading_goose", "national_little_giant", "provincial_specialized"])
            start = as_of - timedelta(days=rng.randrange(1200))
            quals.append({"kind": kind, "valid_from": start.isoformat(), "valid_to": _day(rng, start, 1500)})
        cases.append(
            {
                "id": f"B{i:06d}",
                "item": item,
                "as_of": as_of.isoformat(),
                "applicant": {
                    "uscc": rng.choice(usccs),
                    "in_henan": rng.random() < 0.95,
                    "qualifications": quals,
                },
                "other_provincial_support": rng.random() < 0.05,
                "facts": _facts(rng, item),
            }
        )
    return {"explain": False, "cases": cases}


def _report(label: str, n: int, wall: float, cpu: float, peak_mb: float | None) -> None:
    peak = f"peak {peak_mb:7.1f} MB" if peak_mb is not None else ""
    print(f"{label:<52} {wall:7.2f} s wall {cpu:7.2f} s CPU {n / wall:>9,.0f} cases/s  {peak}")


def _timed(fn):
    clear_caches()  # every measurement starts as a fresh process would
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def _traced_peak(fn) -> float:
    clear_caches()
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench_function(body: dict) -> None:
    n = len(body["cases"])
    out, wall, cpu = _timed(lambda: evaluate_request(body))
    peak = _traced_peak(lambda: evaluate_request(body))
    _report("(a) evaluate_request, whole batch, explain false", n, wall, cpu, peak)
    errors = sum(1 for r in out["results"] if "error" in r)
    eligible = sum(1 for r in out["results"] if r.get("eligible"))
    print(f"    {eligible:,} eligible, {n - eligible - errors:,} not eligible, {errors:,} input errors")


def bench_cli(body: dict, workers: int | None) -> None:
    n = len(body["cases"])
    jigai = ROOT / ".venv" / "bin" / "jigai"
    cmd = [str(jigai)] if jigai.exists() else [sys.executable, "-m", "jigai.cli"]
    cmd += ["policy", "evaluate"]
    if workers:
        cmd += ["--workers", str(workers)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "request.json"
        t = time.perf_counter()
        path.write_bytes(json.dumps(body, ensure_ascii=False).encode("utf-8"))
        written = time.perf_counter() - t
        size = path.stat().st_size
        # Each CLI run in its own measuring process, so the children's peak memory is this run's.
        code = (
            "import gc, json, resource, subprocess, sys, time\n"
            "gc.disable()  # the parse builds one large acyclic tree\n"
            "try:\n    from orjson import loads\nexcept ImportError:\n    from json import loads\n"
            "t = time.perf_counter()\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, check=True)\n"
            "run = time.perf_counter() - t\n"
            "results = loads(p.stdout)['results']\n"
            "total = time.perf_counter() - t\n"
            "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "cpu = r.ru_utime + r.ru_stime\n"
            "print(json.dumps([run, total, cpu, r.ru_maxrss, len(results), len(p.stdout)]))\n"
        )
        probe = subprocess.run([sys.executable, "-c", code, *cmd, str(path)], capture_output=True, check=True)
    run, total, cpu, rss_kb, count, out_size = json.loads(probe.stdout)
    assert count == n
    label = f"(b) CLI round trip, {workers or 'default'} worker(s)"
    _report(label, n, total, cpu, rss_kb / 1024)
    print(
        f"    request {size / 2**20:.1f} MB written in {written:.2f} s (not counted); the command itself "
        f"{run:.2f} s; response {out_size / 2**20:.1f} MB parsed in {total - run:.2f} s"
    )


def bench_baseline(body: dict, limit: int) -> None:
    cases = body["cases"][:limit]

    def loop() -> None:
        for one in cases:
            evaluate_request({"explain": False, "cases": [one]})

    _, wall, cpu = _timed(loop)
    peak = _traced_peak(
        lambda: [evaluate_request({"explain": False, "cases": [one]}) for one in cases[:1000]]
    )
    _report(f"(c) baseline: one request per case ({len(cases):,})", len(cases), wall, cpu, peak)


def bench_explain(body: dict) -> None:
    n = len(body["cases"])
    _, wall, cpu = _timed(lambda: evaluate_request({"explain": True, "cases": body["cases"]}))
    _report("(d) evaluate_request, whole batch, explain true", n, wall, cpu, None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20220124)
    ap.add_argument("--baseline-cases", type=int, default=None, help="cases for (c); default all")
    args = ap.parse_args()
    t = time.perf_counter()
    body = generate(args.cases, args.seed)
    print(
        f"generated {args.cases:,} cases (seed {args.seed}) in {time.perf_counter() - t:.2f} s; "
        f"Python {sys.version.split()[0]}"
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    bench_function(body)
    bench_cli(body, None)
    bench_cli(body, 1)
    bench_baseline(body, args.baseline_cases or args.cases)
    bench_explain(body)
    print(
        f"load average {os.getloadavg()[0]:.2f} at the end (other work on the machine slows the wall times)"
    )


if __name__ == "__main__":
    main()

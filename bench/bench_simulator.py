"""The guideline what-if simulator at provincial scale (issue 13): a draft replayed over every object of
the registry (100,000 projects in the library and the demo's products, platforms and titles), wall time and
peak memory, beside the batch engine alone over the same cases in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_simulator.py \
        [--db jigai_bench] [--rebuild]

It uses bench/bench_scale.py's database (built on the first run, reused after). Three figures:
1. building the cases from the registry (PostgreSQL reads, verified facts only);
2. the engine alone: the same cases evaluated twice (the policy as it stands; the draft), no database;
3. the whole replay as the background job runs it (build + two evaluations + the comparison).
Peak memory is the process's maximum resident set (ru_maxrss) growth and tracemalloc's peak per step.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DRAFT = {"3.1.1.threshold": "20000000", "3.1.2.rate": "0.08"}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label: str, fn, rows: list) -> object:
    tracemalloc.start()
    rss = _rss_mb()
    t = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append((label, seconds, peak / 1048576, _rss_mb() - rss))
    return out


def main() -> None:
    import bench_scale

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="jigai_bench")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    admin_url, bench_url = bench_scale._bench_url(args.db)
    fresh = bench_scale._prepare_database(admin_url, args.db, args.rebuild)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["JIGAI_DEBUG"] = "0"
    os.environ.setdefault("JIGAI_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    if fresh:
        bench_scale._build(lambda line: print(line, flush=True))
    else:
        call_command("migrate", verbosity=0)

    from jigai.funding.models import Guideline, Population, RunStatus, Scenario, ScenarioRun
    from jigai.funding.simulator import population as pop
    from jigai.funding.simulator import services as sim
    from jigai.funding.simulator.replay import compare

    rows: list[tuple[str, float, float, float]] = []
    today = timezone.localdate()
    cases, incomplete = _timed(
        "1. 由项目库构建测算对象（PostgreSQL）", lambda: pop.from_registry(today), rows
    )
    print(f"测算对象 {len(cases):,} 件（资料不全 {incomplete:,} 件）", flush=True)

    def engine_alone():
        base, _ = sim._evaluate(cases, None)
        draft, _ = sim._evaluate(cases, DRAFT)
        return base, draft

    base, draft = _timed("2. 规则引擎单独测算两遍（现行政策、指南草案）", engine_alone, rows)
    _timed(
        "   比较与预算安排（纯计算）",
        lambda: compare(cases, base, draft, open_items={"3.1.1", "3.1.2", "3.1.3", "3.1.4"}, budgets={}),
        rows,
    )
    guideline = Guideline.objects.order_by("-pk").first()
    province = guideline.created_by
    scenario, _ = Scenario.objects.get_or_create(
        name="基准：全项目库",
        guideline=guideline,
        defaults={"population": Population.REGISTRY, "created_by": province},
    )
    state = {**sim.guideline_state(guideline), "overrides": DRAFT}
    run = ScenarioRun.objects.create(scenario=scenario, created_by=province, guideline_state=state)
    run = _timed("3. 整个测算任务（构建 + 两遍测算 + 比较 + 保存）", lambda: sim.replay(run), rows)
    assert run.status == RunStatus.DONE
    print()
    print("| 步骤 | 用时 (秒) | tracemalloc 峰值 (MB) | 常驻内存增长 (MB) |")
    print("|---|---:|---:|---:|")
    for label, seconds, peak, rss in rows:
        print(f"| {label} | {seconds:.1f} | {peak:.0f} | {rss:.0f} |")
    print(
        f"\n共 {run.cases:,} 件；状态变化 {run.summary.get('changed', 0):,} 件；负载 {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()

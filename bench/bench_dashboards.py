"""The monitoring dashboards at provincial scale (issue 10): every dashboard over 100,000 projects with 36
months of progress on PostgreSQL, beside a trivial page in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_dashboards.py \
        [--rebuild] [--requests 20] [--db jigai_bench] [--refresh-monitoring] [--refresh-cost]

It works in the database of bench/bench_scale.py (`jigai_bench` on the server of DATABASE_URL, built by the
same code the first time: the demo topped up in SQL to ~26,000 enterprises, 100,000 projects and 36 months
of progress for every in-library project), then adds what monitoring needs, once: the figures computed
from the project library for each of the 36 months (技术改造完成投资 by category, per county), the rollups
of every indicator, region and month (county → city → province, targets, path, year-on-year, share) and
the early warning. A rerun reuses all of it (--refresh-monitoring recomputes the monitoring part).

The dashboards read only the precomputed rollups, so their time must not depend on the number of projects;
this measures it. Each page: one warm-up request counts the queries, then `--requests` timed requests
(Django's test client, in-process) give p50/p95 of the server time, and the median CPU time of this
process per request (time.process_time: Python and the template, not PostgreSQL's work nor the waits — on
a shared machine the wall times move with the load, the CPU time much less). Target: p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_scale  # noqa: E402  (the same database, built and reused the same way)

TARGET_P95_MS = 300


def _monitoring(log, *, force: bool) -> None:
    """The monitoring figures of the 36 months: computed from the library, rolled up, warned."""
    from django.db import connection
    from django.utils import timezone

    from jigai.monitoring.models import MonthlyRollup
    from jigai.monitoring.models.warnings import WarningStatus
    from jigai.monitoring.services.computed import refresh_computed
    from jigai.monitoring.services.rollups import refresh_all_rollups

    marker = MonthlyRollup.objects.filter(indicator__code="lib_investment", region_id="410000").count()
    if marker >= 36 and not force:
        log(f"  监测汇总已存在（{MonthlyRollup.objects.count():,} 行），复用")
        return
    today = timezone.localdate()
    years = list(range(today.year - 3, today.year + 1))
    t = time.perf_counter()
    n = 0
    for y in years:
        n += refresh_computed(year=y, rollups=False)
    log(f"  项目库计算指标（{len(years)} 年）{n:,} 条 {time.perf_counter() - t:.0f} 秒")
    t = time.perf_counter()
    rows = refresh_all_rollups(years)
    log(
        f"  月度汇总（改写 {rows:,} 行，共 {MonthlyRollup.objects.count():,} 行），"
        f"预警 {WarningStatus.objects.count():,} 行 {time.perf_counter() - t:.0f} 秒"
    )
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")


def _refresh_cost(log) -> list[tuple[str, float]]:
    """What one changed record costs to refresh (services/sources.py), inside a transaction rolled back
    (the database is left as it was): one county's investment figures from a month to December and the
    rollups above them, beside the whole province's recomputation of the same months (what a progress report
    triggered before the refresh was limited to its region)."""
    from django.db import transaction

    from jigai.monitoring.services.computed import INVESTMENT_CODES, refresh_computed
    from jigai.monitoring.services.rollups import refresh_rollups
    from jigai.monitoring.services.sources import refresh_changes
    from jigai.registry.models import ProgressReport

    report = ProgressReport.objects.select_related("project__enterprise").order_by("-month", "pk").first()
    county, year, month = report.project.enterprise.region_id, report.month.year, report.month.month
    out = []
    for label, run in (
        (
            f"一个县（{county}）{year}年{month}–12月",
            lambda: refresh_changes([(INVESTMENT_CODES, county, year, month)]),
        ),
        (
            f"全省 {year}年{month}–12月",
            lambda: (
                refresh_computed(year=year, months=range(month, 13), codes=INVESTMENT_CODES, rollups=False),
                refresh_rollups(indicator_codes=INVESTMENT_CODES, year=year),
            ),
        ),
    ):
        with transaction.atomic():
            t = time.perf_counter()
            run()
            seconds = time.perf_counter() - t
            transaction.set_rollback(True)
        out.append((label, seconds))
        log(f"  一条月度进度变化后的刷新（项目库完成投资 5 项指标）：{label} {seconds:.2f} 秒")
    return out


def _pages() -> list[tuple[str, str | None, str]]:
    from jigai.monitoring.models import MonthlyRollup

    latest = (
        MonthlyRollup.objects.filter(region_id="410000", has_data=True).order_by("-year", "-month").first()
    )
    year = latest.year if latest else 2026
    last = f"&year={year - 1}&month=12"
    return [
        ("基线：登录页", None, "/accounts/login/"),
        ("省 看板（默认）", "shengting", "/monitoring/dash/"),
        ("省 看板 项目库完成投资", "shengting", "/monitoring/dash/?indicator=lib_investment"),
        ("省 看板 上年12月", "shengting", f"/monitoring/dash/?indicator=lib_investment{last}"),
        ("领导 看板", "lingdao", "/monitoring/dash/"),
        ("市 看板", "shiji", "/monitoring/dash/"),
        ("省 下钻到市", "shengting", "/monitoring/dash/?region=410300&indicator=lib_investment"),
        ("县 看板", "xianji", "/monitoring/dash/"),
        ("省 图表 Excel（排名）", "shengting", "/monitoring/dash/export/?chart=ranking"),
        ("省 工作台图表（排名）", "shengting", "/monitoring/dash/card/"),
        ("省 工作台图表（趋势）", "shengting", "/monitoring/dash/card/trend/"),
        ("省 预警", "shengting", "/monitoring/warnings/"),
        ("市 预警", "shiji", "/monitoring/warnings/"),
        ("省 年度考核", "shengting", "/monitoring/review/"),
        ("省 年度考核 上年", "shengting", f"/monitoring/review/?year={year - 1}"),
        ("省 年度考核 PDF", "shengting", f"/monitoring/review/export.pdf?year={year - 1}"),
        ("接口 看板数据", "shengting", "/api/v1/monitoring/dashboard/"),
        ("接口 预警", "shengting", "/api/v1/monitoring/dashboard/warnings"),
    ]


def _measure(requests: int, log) -> list[tuple[str, float, float, int, int]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from jigai.accounts.tests.otp import install_client_patch

    settings.ALLOWED_HOSTS = ["*"]
    install_client_patch()  # force_login passes the second factor (省工信厅、财政厅 sign in with TOTP)
    pages = _pages()
    names = {u for _, u, _ in pages if u}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    clients: dict[str | None, Client] = {}
    results = []
    for label, username, url in pages:
        if username not in clients:
            c = Client()
            if username:
                c.force_login(users[username])
            clients[username] = c
        c = clients[username]
        counter = bench_scale._QueryCounter()
        with connection.execute_wrapper(counter):
            r = c.get(url)
        body = b"".join(r.streaming_content) if r.streaming else r.content
        if r.status_code != 200:
            log(f"  {label}: HTTP {r.status_code} {url}")
            continue
        times, cpu = [], []
        for _ in range(requests):
            t, c0 = time.perf_counter(), time.process_time()
            resp = c.get(url)
            if resp.streaming:
                b"".join(resp.streaming_content)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        cpu50 = statistics.median(cpu)
        results.append((label, p50, p95, counter.n, len(body), cpu50))
        log(f"  {label:<22} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  CPU {cpu50:6.1f} ms  {counter.n:3d} 次查询")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--db", default="jigai_bench", help="bench database name (default jigai_bench)")
    parser.add_argument("--refresh-monitoring", action="store_true", help="recompute the monitoring figures")
    parser.add_argument(
        "--refresh-cost",
        action="store_true",
        help="also time the refresh after one changed progress report (one county vs the province)",
    )
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

    def log(line: str) -> None:
        print(line, flush=True)

    print(f"数据库 {args.db}（{'新建' if fresh else '复用'}）")
    if fresh:
        bench_scale._build(log)
    else:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        log(f"  迁移 {time.perf_counter() - t:.0f} 秒")
    _monitoring(log, force=args.refresh_monitoring or fresh)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest names the files

    from jigai.monitoring.models import MonthlyRollup
    from jigai.monitoring.models.warnings import WarningStatus
    from jigai.registry.models import ProgressReport, Project

    print(
        f"规模：项目 {Project.objects.count():,}，月度进度 {ProgressReport.objects.count():,}，"
        f"监测月度汇总 {MonthlyRollup.objects.count():,}，预警 {WarningStatus.objects.count():,}"
    )
    print(f"每页先请求 1 次（计查询次数），再计时 {args.requests} 次（Django 测试客户端，进程内）")
    load = os.getloadavg()
    costs = _refresh_cost(log) if args.refresh_cost else []
    results = _measure(args.requests, log)
    print()
    print("| 页面 | p50 (ms) | p95 (ms) | 本进程 CPU p50 (ms) | 查询次数 | 大小 (KB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, p50, p95, q, size, cpu50 in results:
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {cpu50:.0f} | {q} | {size / 1024:.0f} |")
    slow = [r[0] for r in results[1:] if r[2] >= TARGET_P95_MS]
    for label, seconds in costs:
        print(f"\n一条月度进度变化后的刷新：{label} {seconds:.2f} 秒", end="")
    print(f"\n负载（开始/结束）：{load[0]:.2f} / {os.getloadavg()[0]:.2f}")
    print(f"目标 p95 < {TARGET_P95_MS} ms：{'全部达到' if not slow else '未达到：' + '、'.join(slow)}")


if __name__ == "__main__":
    main()

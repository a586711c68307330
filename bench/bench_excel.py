"""Benchmark of the Excel imports and exports: 100,000 enterprises (fixed seed).

    .venv/bin/python bench/bench_excel.py [--rows N] [--seed S]

Each phase runs in a forked child process, so its peak memory (the child's maximum resident set, minus
what the parent already had when it forked) is its own. Prints rows/second and peak memory for
  (a) reading the workbook with python-calamine (jigai.core.excel.read_rows), and the baseline in the same
      run: openpyxl in read-only mode;
  (b) the whole import (read, validate every cell, check credit codes, regions, scope and duplicates,
      bulk insert, re-check against the scope gate, one audit record per enterprise) into a fresh SQLite
      database (or JIGAI_BENCH_DATABASE_URL), as the province officer;
  (c) the export of all of them (xlsxwriter, constant memory, streamed from a temporary file).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TMP = Path(tempfile.mkdtemp(prefix="jigai-bench-excel-"))
os.environ["DATABASE_URL"] = os.environ.get("JIGAI_BENCH_DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("JIGAI_IMPORT_MAX_ROWS", "1000000")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from jigai.regions.models import Region  # noqa: E402
from jigai.registry.uscc import check_character  # noqa: E402

HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所在区划代码",
    "行业大类",
    "企业规模",
    "规模以上工业企业",
    "联系人",
    "联系电话",
    "地址",
]


def make_file(n: int, seed: int, path: Path) -> None:
    import xlsxwriter

    from jigai.registry import industry

    rng = random.Random(seed)
    counties = list(Region.objects.filter(level__in=["county", "zone"]).values_list("code", flat=True))
    divisions = [f"{code} {name}" for code, (_s, name) in industry.divisions().items()]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("企业")
    ws.write_row(0, 0, HEADERS)
    for i in range(1, n + 1):
        region = rng.choice(counties)
        body = f"91{region}BE{i:07d}"  # 17 characters; the 18th is the check character
        ws.write_row(
            i,
            0,
            [
                body + check_character(body),
                f"河南基准{i}机械有限公司",
                region,
                rng.choice(divisions),
                rng.choice(["大型", "中型", "小型", "微型"]),
                rng.choice(["是", "否"]),
                "张经理",
                f"1380000{i % 10000:04d}",
                f"郑州市金水路 {i} 号",
            ],
        )
    wb.close()


def _status(key: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child(fn, args, queue) -> None:
    try:  # reset this process's peak resident set to its current size (Linux ≥ 4.0)
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    base = _status("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    queue.put((seconds, cpu, _status("VmHWM") - base, result))


def run(fn, *args):
    """Run fn(*args) in a forked child: (wall seconds, CPU seconds, peak MB above the child's starting
    resident set, result). CPU seconds are what the phase costs on a machine shared with other work."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    ctx = get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    seconds, cpu, peak, result = queue.get()
    proc.join()
    if proc.exitcode:
        raise SystemExit(f"phase {fn.__name__} failed")
    return seconds, cpu, peak, result


def read_calamine(path: Path) -> int:
    from jigai.core.excel import read_rows

    return sum(1 for _ in read_rows(str(path), max_bytes=1 << 30)) - 1


def read_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True, data_only=True)
    n = sum(1 for row in wb.worksheets[0].iter_rows(values_only=True) if any(v is not None for v in row)) - 1
    wb.close()
    return n


def province_officer():
    from jigai.accounts.models import User
    from jigai.accounts.roles import Role

    user, _ = User.objects.get_or_create(
        username="bench-province", defaults={"role": Role.PROVINCE, "region_id": "410000"}
    )
    return user


def do_import(path: Path) -> int:
    from jigai.registry.excel import import_file

    settings.JIGAI_EXCEL_MAX_BYTES = 1 << 30
    with open(path, "rb") as fh:
        result = import_file(actor=province_officer(), kind="enterprises", file=fh.read(), filename=path.name)
    if not result.ok:
        raise SystemExit(f"import failed: {result.message} {result.errors[:5]}")
    return result.created


def do_export() -> int:
    from jigai.registry.excel import export_enterprises

    response = export_enterprises(province_officer(), {})
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return size


def line(label: str, rows: int, seconds: float, cpu: float, peak: float, extra: str = "") -> None:
    speed = f"{rows / seconds:>9,.0f} 行/s（CPU {cpu:6.2f} s，{rows / max(cpu, 1e-9):>9,.0f} 行/CPU 秒）"
    print(f"  {label:<28} {rows:>7} 行 {seconds:7.2f} s {speed} 峰值内存 +{peak:6.1f} MB {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n = args.rows
    print(f"准备数据库（{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}）……", flush=True)
    call_command("migrate", verbosity=0)
    path = TMP / "enterprises.xlsx"
    make_file(n, args.seed, path)
    print(f"Excel 导入/导出基准：{n} 家企业，文件 {path.stat().st_size / 1048576:.1f} MB\n")

    print("(a) 读取工作表")
    seconds, cpu, peak, count = run(read_calamine, path)
    assert count == n, count
    line("python-calamine（read_rows）", n, seconds, cpu, peak)
    calamine = cpu
    seconds, cpu, peak, count = run(read_openpyxl, path)
    assert count == n, count
    line("openpyxl read-only（基线）", n, seconds, cpu, peak, f"→ calamine 快 {cpu / calamine:.1f} 倍（CPU）")

    print("(b) 整个导入（逐格校验、查重、批量写入、范围复核、每家企业一条审计记录）")
    seconds, cpu, peak, created = run(do_import, path)
    assert created == n, created
    line("enterprises 导入", n, seconds, cpu, peak)

    print("(c) 导出（xlsxwriter constant_memory，临时文件流式返回）")
    seconds, cpu, peak, size = run(do_export)
    line("enterprises 导出", n, seconds, cpu, peak, f"文件 {size / 1048576:.1f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(TMP, ignore_errors=True)

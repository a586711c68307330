"""`jigai policy …`: the rules engine on the command line (no Django start-up).

    jigai policy evaluate FILE|-  [--round YEAR --override PATH=VALUE … | --overrides FILE] [--indent]
    jigai policy items [--as-of YYYY-MM-DD]
    jigai policy parameters [--as-of YYYY-MM-DD]

`evaluate` prints the JSON response on standard output (UTF-8) and exits 0; a refused request or an
unreadable file prints the reason on standard error and exits 2. Overrides are a guideline's for one
round: they need `--round YEAR` and apply only to the cases whose `as_of` falls in that year.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from datetime import date
from typing import Any

try:  # a fast parser for large batches; the standard library does the same job, slower
    import orjson
except ImportError:  # pragma: no cover - orjson is a declared dependency
    orjson = None

EXIT_REFUSED = 2
_LARGE = 10_000  # cases from which the command ends without freeing its memory


def _loads(data: bytes) -> Any:
    if orjson is not None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass  # e.g. an integer beyond 64 bits: let the standard parser decide
    return json.loads(data)


def _dumps(obj: Any, indent: bool) -> bytes:
    if orjson is not None:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2 if indent else 0) + b"\n"
    text = json.dumps(
        obj, ensure_ascii=False, indent=2 if indent else None, separators=None if indent else (",", ":")
    )
    return text.encode("utf-8") + b"\n"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jigai policy",
        description=(
            "政策计算器（豫政办〔2022〕8号 三、支持政策）：按契约的 JSON 请求计算各支持项目的补助上限。"
        ),
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="{evaluate,items,parameters}")
    ev = sub.add_parser("evaluate", help="计算一个请求（JSON 文件，- 为标准输入），结果 JSON 输出到标准输出")
    ev.add_argument("file", metavar="FILE", help="请求 JSON 文件路径；- 表示从标准输入读取")
    ev.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="本轮申报指南调整的参数，如 3.1.1.threshold=20000000（可重复；参数路径见 parameters 子命令）",
    )
    ev.add_argument("--overrides", metavar="FILE", help="参数调整的 JSON 文件：{参数路径: 值}")
    ev.add_argument(
        "--round",
        type=_year,
        default=None,
        metavar="YEAR",
        dest="round_year",
        help=(
            "参数调整所属的申报年度（有 --override/--overrides 时必填）；"
            "只有申报日期在该年度的案例按调整后的参数计算"
        ),
    )
    ev.add_argument("--indent", action="store_true", help="缩进输出，便于阅读")
    ev.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="大批量（2 万个案例以上）时使用的进程数：1 或 2（默认按 CPU 核数，最多 2）",
    )
    it = sub.add_parser("items", help="列出支持项目及其所需事实（供表单使用）")
    it.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD", help="按该日期有效的参数版本")
    pa = sub.add_parser("parameters", help="列出全部参数（路径、取值、条款和政策原文）")
    pa.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD", help="按该日期有效的参数版本")
    return p


def _year(text: str) -> int:
    if not (len(text) == 4 and text.isdigit()):
        raise argparse.ArgumentTypeError(f"申报年度应为四位年份，如 2023，收到 {text!r}")
    return int(text)


def _error(message: str) -> int:
    sys.stderr.write(f"jigai policy: {message}\n")
    return EXIT_REFUSED


def _override_value(path: str, text: str) -> Any:
    from jigai.policy.params import default_book

    prm = default_book().known.get(path)
    if prm is not None and prm.type == "months":
        return int(text) if text.strip().lstrip("-").isdigit() else text
    if prm is not None and prm.type == "list":
        stripped = text.strip()
        return json.loads(stripped) if stripped.startswith("[") else [x.strip() for x in stripped.split(",")]
    return text


def _collect_overrides(args: argparse.Namespace) -> dict[str, Any] | None:
    overrides: dict[str, Any] = {}
    if args.overrides:
        with open(args.overrides, "rb") as fh:
            loaded = _loads(fh.read())
        if not isinstance(loaded, dict):
            raise ValueError("--overrides 文件应为 JSON 对象：{参数路径: 值}")
        overrides.update(loaded)
    for item in args.override:
        path, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--override 应写作 参数路径=值，收到 {item!r}")
        overrides[path.strip()] = _override_value(path.strip(), value)
    return overrides or None


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    # One large acyclic structure is read and built: the cyclic collector would only cost time.
    enabled = gc.isenabled()
    gc.disable()
    # The process's own command line (`jigai policy …`), not a call from a test or another program.
    own_process = len(sys.argv) > 1 and sys.argv[1] == "policy" and list(argv) == sys.argv[2:]
    try:
        return _run(args, own_process)
    finally:
        if enabled:
            gc.enable()


def _run(args: argparse.Namespace, own_process: bool = False) -> int:
    from jigai.policy import RequestError, evaluate_request, item_catalog, parameter_table

    out = sys.stdout.buffer
    if args.command == "items":
        out.write(_dumps(item_catalog(args.as_of), True))
        return 0
    if args.command == "parameters":
        out.write(_dumps(parameter_table(args.as_of), True))
        return 0
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        return _error(f"无法读取请求文件 {args.file}：{exc.strerror or exc}")
    try:
        body = _loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return _error(f"请求不是有效的 JSON：{exc}")
    try:
        overrides = _collect_overrides(args)
    except OSError as exc:
        return _error(f"无法读取参数调整文件 {args.overrides}：{exc.strerror or exc}")
    except ValueError as exc:
        return _error(f"参数调整不正确：{exc}")
    if overrides and args.round_year is None:
        return _error(
            "参数调整只适用于其所属申报年度：使用 --override/--overrides 时"
            "须同时给出 --round YEAR（如 --round 2023）"
        )
    try:
        if orjson is not None:
            from jigai.policy.fast import evaluate_to_json

            workers = args.workers or min(2, os.cpu_count() or 1)
            data = (
                evaluate_to_json(
                    body, overrides=overrides, round_year=args.round_year, workers=workers, indent=args.indent
                )
                + b"\n"
            )
        else:  # pragma: no cover - orjson is a declared dependency
            data = _dumps(
                evaluate_request(body, overrides=overrides, round_year=args.round_year), args.indent
            )
    except RequestError as exc:
        return _error(f"请求被拒绝：{exc.message}")
    out.write(data)
    out.flush()
    if own_process and isinstance(body, dict) and len(body.get("cases") or ()) >= _LARGE:
        # Freeing millions of objects one by one only delays the exit: the answer is written.
        sys.stderr.flush()
        os._exit(0)
    return 0

"""`jigai demo`: build the demo data (idempotent: skipped when it exists, unless --reset)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils.module_loading import autodiscover_modules

from jigai.registry import demo


class Command(BaseCommand):
    help = "生成演示数据（企业、资质、项目及月度进度、产品、平台、称号和各角色演示用户）。已存在时跳过。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enterprises",
            type=int,
            default=demo.DEFAULT_ENTERPRISES,
            help=f"企业数量（默认 {demo.DEFAULT_ENTERPRISES}，最多 100000）",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（相同种子生成相同数据）"
        )
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据再重新生成")

    def handle(self, *args: Any, **options: Any) -> None:
        n = options["enterprises"]
        if not 1 <= n <= 100_000:
            raise CommandError("--enterprises 须在 1 到 100000 之间。")
        # Other areas register their builders in their own `demo` module (e.g. jigai/funding/demo.py).
        autodiscover_modules("demo")
        if demo.demo_exists():
            if not options["reset"]:
                self.stdout.write("演示数据已存在，跳过（如需重新生成请加 --reset）。")
                self._print_users()
                return
            self.stdout.write("删除已有的演示数据……")
            demo.reset_demo()
        started = time.perf_counter()
        verbose = options["verbosity"] >= 2
        log = self.stdout.write if verbose else None
        # Builders drive real services, which notify by e-mail: made-up people get no mail.
        # Matching and the monitoring figures on each change are off while the rows are written: the demo
        # matches once and computes every figure once, at the end (its last builders).
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            JIGAI_MATCH_ON_CHANGE=False,
            JIGAI_MONITORING_ON_CHANGE=False,
        ):
            ctx = demo.build_demo(enterprises=n, seed=options["seed"], log=log)
        seconds = time.perf_counter() - started
        summary = "，".join(f"{name} {count}" for name, count in ctx.counts.items())
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成（{seconds:.1f} 秒）：{summary}。"))
        self._print_users()

    def _print_users(self) -> None:
        self.stdout.write("")
        self.stdout.write(demo.users_table())
        for report in demo.DEMO_REPORTS:  # e.g. the demo applications and what waits on each
            self.stdout.write("")
            self.stdout.write(report())

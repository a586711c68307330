"""`jigai load_regions [--file PATH]`: bring the region table in line with the region file (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jigai.regions.loader import DATA_FILE, RegionFileError, read_region_file, sync_regions
from jigai.regions.models import Region


class Command(BaseCommand):
    help = "从区划文件（默认 jigai/regions/data/henan_regions.csv）更新行政区划，可重复执行"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--file", default=str(DATA_FILE), help="区划文件路径（CSV：code,name,level,parent_code）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_region_file(options["file"])
        except (RegionFileError, OSError) as exc:
            raise CommandError(f"区划文件无法读取：{exc}") from exc
        with transaction.atomic():
            result = sync_regions(Region, rows)
            if result.changed:
                from jigai.audit.services import audit_record

                audit_record(
                    actor=None,
                    action="import",
                    after={"新增": result.created, "修改": result.updated},
                    comment=f"从区划文件 {options['file']} 更新行政区划",
                )
        self.stdout.write(
            f"行政区划已更新：新增 {len(result.created)} 个，修改 {len(result.updated)} 个，"
            f"未变 {result.unchanged} 个。"
        )
        if result.missing:
            self.stdout.write(
                self.style.WARNING(
                    f"数据库中有 {len(result.missing)} 个区划不在文件中（已保留，未删除）："
                    f"{'、'.join(result.missing)}"
                )
            )

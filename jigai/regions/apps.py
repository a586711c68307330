from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_regions(sender: Any, *, apps: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Reload the region tree when the table is empty after migrate or flush.

    The data migration 0002 fills a new database; a flush (Django's TransactionTestCase empties every table
    after each test) would otherwise leave the rest of a test run without regions.
    """
    from .loader import sync_regions

    try:
        region = (apps or sender.apps).get_model("regions", "Region")
    except LookupError:  # migrated back to zero: no table
        return
    if not region.objects.using(using).exists():
        sync_regions(region, using=using)


class RegionsConfig(AppConfig):
    name = "jigai.regions"
    verbose_name = "行政区划"

    def ready(self) -> None:
        post_migrate.connect(_ensure_regions, sender=self, dispatch_uid="jigai.regions.ensure_regions")

from typing import Any

from django.apps import AppConfig


def _ensure_calendar(sender: Any, *, apps: Any = None, using: str = "default", **kwargs: Any) -> None:
    """The seeded holiday arrangements come back after a flush (a transactional test empties every table),
    as the regions do."""
    from importlib import import_module

    try:
        year = (apps or sender.apps).get_model("workdays", "CalendarYear")
    except LookupError:
        return
    if not year.objects.using(using).exists():
        import_module("jigai.workdays.migrations.0002_seed_from_package").seed(apps or sender.apps, None)


class WorkdaysConfig(AppConfig):
    name = "jigai.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from jigai.accounts.menu import MenuItem, side_register

        side_register("系统管理", MenuItem("工作日历", "workdays:calendar", ("dictionary.manage",)))
        post_migrate.connect(_ensure_calendar, sender=self, dispatch_uid="jigai.workdays.ensure_calendar")

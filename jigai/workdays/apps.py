from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "jigai.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from jigai.accounts.menu import MenuItem, side_register

        side_register("系统管理", MenuItem("工作日历", "workdays:calendar", ("dictionary.manage",)))

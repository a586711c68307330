from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "jigai.workdays"
    verbose_name = "工作日历"

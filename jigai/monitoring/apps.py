from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jigai.monitoring"
    verbose_name = "目标监测"

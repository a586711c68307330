from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jigai.web"
    verbose_name = "界面"

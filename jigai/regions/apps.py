from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "jigai.regions"
    verbose_name = "行政区划"

from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jigai.supervision"
    verbose_name = "督办"

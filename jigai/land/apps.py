from django.apps import AppConfig


class LandConfig(AppConfig):
    name = "jigai.land"
    verbose_name = "用地保障"

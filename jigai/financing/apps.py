from django.apps import AppConfig


class FinancingConfig(AppConfig):
    name = "jigai.financing"
    verbose_name = "融资对接"

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "jigai.funding"
    verbose_name = "专项资金申报"

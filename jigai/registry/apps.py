from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jigai.registry"
    verbose_name = "企业与项目库"

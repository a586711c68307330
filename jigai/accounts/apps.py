from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jigai.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import menu, signals, workbench  # noqa: F401  (connect signals; register links)

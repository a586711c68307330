from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jigai.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from django.conf import settings

        from jigai.accounts.menu import MenuItem, side_register

        side_register("系统管理", MenuItem("审计记录", "audit:search", ("audit.view",)))

        # Production (JIGAI_AUDIT_KEY_AUTOCREATE = False) refuses to start without the chain key: a trail
        # written without it could be rewritten by anyone who can write the database.
        if not getattr(settings, "JIGAI_AUDIT_KEY_AUTOCREATE", True):
            from .chain import audit_key

            audit_key()

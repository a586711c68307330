from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jigai.notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from jigai.accounts.workbench import register_recent_messages

        from .selectors import notification_list

        register_recent_messages(lambda actor, limit: notification_list(actor)[:limit])

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "jingzhun.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from jingzhun.notifications import kinds

        kinds.register(kinds.TEST, _("Test message"))

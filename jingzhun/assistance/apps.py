from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "jingzhun.assistance"
    label = "assistance"
    verbose_name = _("Precise assistance")

    def ready(self) -> None:
        from jingzhun.assistance.notices import KINDS
        from jingzhun.notifications import kinds

        for code, label in KINDS.items():
            kinds.register(code, label)

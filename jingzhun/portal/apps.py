from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "jingzhun.portal"
    label = "portal"
    verbose_name = _("Student portal")

    def ready(self) -> None:
        from jingzhun.portal.tiles import register_portal_tiles

        register_portal_tiles()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "jingzhun.org"
    label = "org"
    verbose_name = _("Organisation and access")

    def ready(self) -> None:
        from jingzhun.org import auth_audit

        auth_audit.connect()

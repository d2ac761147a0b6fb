from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "jingzhun.assistance"
    label = "assistance"
    verbose_name = _("Precise assistance")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from jingzhun.assistance.loads import install_after_migrate
        from jingzhun.assistance.notices import KINDS
        from jingzhun.assistance.services.actions import actions_withdraw_for_case
        from jingzhun.identification.hooks import on_case_closed
        from jingzhun.notifications import kinds

        # Infrastructure, not a domain reaction: the load triggers outlive table rebuilds.
        post_migrate.connect(install_after_migrate, sender=self)

        for code, label in KINDS.items():
            kinds.register(code, label)
        # Identification cannot import this stage: it calls back when a case closes.
        on_case_closed("assistance.withdraw_actions", actions_withdraw_for_case)

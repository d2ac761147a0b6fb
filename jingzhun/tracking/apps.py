"""Precise management (精准管理): lifecycle, destinations, alerts, batches, follow-ups, handover."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "jingzhun.tracking"
    label = "tracking"
    verbose_name = _("Tracking")

    def ready(self) -> None:
        from jingzhun.notifications import kinds
        from jingzhun.tracking.destinations.services import KINDS as DESTINATION_KINDS

        for code, label in DESTINATION_KINDS.items():
            kinds.register(code, label)
        from jingzhun.tracking.alerts import setup as alerts_setup

        alerts_setup.ready()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BehaviourConfig(AppConfig):
    name = "jingzhun.behaviour"
    label = "behaviour"
    verbose_name = _("Campus behaviour data")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BehaviourConfig(AppConfig):
    name = "jingzhun.behaviour"
    label = "behaviour"
    verbose_name = _("Campus behaviour data")

    def ready(self) -> None:
        from jingzhun.behaviour.models import BehaviourBuild
        from jingzhun.behaviour.services.builds import BUILD_JOB
        from jingzhun.behaviour.tasks import behaviour_build_task
        from jingzhun.core import jobs

        jobs.register(BUILD_JOB, subject=BehaviourBuild, task=behaviour_build_task)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentificationConfig(AppConfig):
    name = "jingzhun.identification"
    label = "identification"
    verbose_name = _("Precise identification")

    def ready(self) -> None:
        from jingzhun.core import jobs
        from jingzhun.identification.models import IdentificationRun, ModelTraining
        from jingzhun.identification.services.risk_models import TRAIN_JOB
        from jingzhun.identification.services.runs import RUN_JOB
        from jingzhun.identification.tasks import identification_run_task, risk_model_training_task

        jobs.register(RUN_JOB, subject=IdentificationRun, task=identification_run_task)
        jobs.register(TRAIN_JOB, subject=ModelTraining, task=risk_model_training_task)

        from jingzhun.identification.notices import KINDS
        from jingzhun.notifications import kinds

        for code, label in KINDS.items():
            kinds.register(code, label)

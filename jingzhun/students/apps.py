from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "jingzhun.students"
    label = "students"
    verbose_name = _("Student registry")

    def ready(self) -> None:
        from jingzhun.core import jobs
        from jingzhun.students import tasks
        from jingzhun.students.intake import services
        from jingzhun.students.intake.models import ImportBatch

        jobs.register(services.READ_JOB, subject=ImportBatch, task=tasks.import_read_task)
        jobs.register(services.CHECK_JOB, subject=ImportBatch, task=tasks.import_check_task)
        jobs.register(services.APPLY_JOB, subject=ImportBatch, task=tasks.import_apply_task)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jingzhun.jobs"
    label = "jobs"
    verbose_name = _("Jobs")

    def ready(self) -> None:
        # The posting import plugs into the registry's import wizard (an earlier stage), which
        # cannot import this app: it is registered here, with its own check and apply.
        from jingzhun.jobs.posting_import import POSTINGS
        from jingzhun.students.intake.kinds import register_kind

        register_kind(POSTINGS)

        from jingzhun.core import jobs
        from jingzhun.jobs.models import RecommendationRun
        from jingzhun.jobs.runs import RECOMMEND_JOB
        from jingzhun.jobs.tasks import recommendation_run_task

        jobs.register(RECOMMEND_JOB, subject=RecommendationRun, task=recommendation_run_task)

        # Pushes: the student is told of each, and the count against the threshold shows in
        # the case list and the department queue (earlier stages that cannot import jobs).
        from jingzhun.core import figures
        from jingzhun.jobs.push_figures import PUSH_FIGURE
        from jingzhun.jobs.push_services import KINDS
        from jingzhun.notifications import kinds

        for code, label in KINDS.items():
            kinds.register(code, label)
        figures.register(PUSH_FIGURE)
        # Stored recommendations follow the profiles they were computed from (`refresh`).
        from jingzhun.jobs.refresh import on_records_changed
        from jingzhun.students.changes import records_changed

        records_changed.connect(on_records_changed, dispatch_uid="jobs.refresh")

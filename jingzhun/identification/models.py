"""Identification: difficulty types, rules as data, runs, signals and the case file."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.students.models import Student


class Level(models.IntegerChoices):
    KEY = 1, _("Level 1 (key)")
    SECOND = 2, _("Level 2")
    GENERAL = 3, _("Level 3 (general)")


class DifficultyType(models.Model):
    """困难类型: seeded, editable by the employment office."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    sensitivity = models.CharField(_("sensitivity"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("difficulty type")
        verbose_name_plural = _("difficulty types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Rule(TimeStampedModel):
    """A policy rule: a condition tree over student features mapped to a type and level."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("rule name"), max_length=100)
    difficulty_type = models.ForeignKey(
        DifficultyType, on_delete=models.PROTECT, related_name="rules"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    condition = models.JSONField(_("condition"))
    version = models.PositiveIntegerField(_("version"), default=1)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces version"),
    )

    class Meta:
        verbose_name = _("identification rule")
        verbose_name_plural = _("identification rules")
        ordering = ["difficulty_type", "level", "name"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


def risk_model_upload_to(instance: RiskModel, filename: str) -> str:
    return f"risk_models/{instance.institution_id}/{filename}"


class RiskModel(TimeStampedModel):
    """A trained risk model of one institution: its artifact, how it did on the newest
    graduated cohort, and who let it into the runs.

    trained → approved (active: the runs use it) → retired when the next one is approved.
    One training stores two rows sharing `training`: the boosted trees and the logistic
    regression, each with its own validation, fairness and artifact, so either can be
    approved and a run records exactly which one flagged its students.
    """

    class Status(models.TextChoices):
        TRAINED = "trained", _("Trained")
        APPROVED = "approved", _("Approved (active)")
        RETIRED = "retired", _("Retired")

    class Kind(models.TextChoices):
        LIGHTGBM = "lightgbm", _("Boosted trees (LightGBM)")
        LINEAR = "linear", _("Logistic regression")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    version = models.CharField(_("version"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIGHTGBM)
    training = models.CharField(_("training"), max_length=60, blank=True, default="")
    recommended = models.BooleanField(_("recommended"), default=False)
    schema_hash = models.CharField(_("feature schema hash"), max_length=64)
    feature_names = models.JSONField(_("features"), default=list)
    training_cohorts = models.JSONField(_("training cohorts"), default=list)
    as_of = models.DateField(_("as of"))
    metrics = models.JSONField(_("metrics"), default=dict)
    fairness = models.JSONField(_("fairness report"), default=dict)
    artifact = models.FileField(_("artifact"), upload_to=risk_model_upload_to, max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TRAINED
    )
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk model")
        verbose_name_plural = _("risk models")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=models.Q(status="approved"),
                name="one_active_risk_model_per_institution",
            ),
            models.UniqueConstraint(
                fields=["institution", "version"], name="risk_model_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.version

    def training_models(self) -> models.QuerySet[RiskModel]:
        """The models of this one's training (itself included), the trees first."""
        key = self.training or self.version
        return RiskModel.objects.filter(
            models.Q(training=key) | models.Q(version=key), institution_id=self.institution_id
        ).order_by("kind")

    @property
    def label(self) -> str:
        """A readable name (the version id stays in the back office and the artifact)."""
        return _("Risk model of %(day)s, %(kind)s (%(status)s)") % {
            "day": self.as_of.isoformat(),
            "kind": self.get_kind_display(),
            "status": self.get_status_display(),
        }


class IdentificationRun(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        """The steps of a running run, in order; reported while it runs."""

        SNAPSHOT = "snapshot", _("Reading the registry")
        RULES = "rules", _("Evaluating the rules")
        MODEL = "model", _("Scoring and explaining")
        WRITING = "writing", _("Saving signals and cases")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    cohort = models.PositiveSmallIntegerField(_("cohort"), null=True, blank=True)
    school = models.ForeignKey(
        "org.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField(_("as of"))
    rule_versions = models.JSONField(_("rule versions"), default=dict, blank=True)
    risk_model = models.ForeignKey(
        RiskModel, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    model_capacity = models.FloatField(
        _("model capacity"),
        default=0.1,  # jingzhun.data.ml.DEFAULT_CAPACITY
        help_text=_("Share of the population the risk model flags."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    students = models.PositiveIntegerField(_("students evaluated"), default=0)
    signal_count = models.PositiveIntegerField(_("signals"), default=0)
    new_cases = models.PositiveIntegerField(_("new candidates"), default=0)
    proposed_exits = models.PositiveIntegerField(_("proposed exits"), default=0)
    dismissals_kept = models.PositiveIntegerField(
        _("dismissals kept"),
        default=0,
        help_text=_("Flagged students not reopened: dismissed recently, on the same evidence."),
    )
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    term = models.CharField(_("term"), max_length=11, blank=True)
    scheduled = models.BooleanField(_("scheduled"), default=False)

    class Meta:
        verbose_name = _("identification run")
        verbose_name_plural = _("identification runs")
        ordering = ["-created_at"]
        constraints = [
            # The term's scheduled run is started once, however often the cron job fires.
            models.UniqueConstraint(
                fields=["institution", "term"],
                condition=models.Q(scheduled=True),
                name="one_scheduled_run_per_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.as_of} #{self.pk}"

    @property
    def progress(self) -> int:
        """Percent done: where the current phase starts, weighted by what each phase took at
        a million students (reading ≈ a third, scoring a quarter, saving the rest)."""
        if self.status == self.Status.FINISHED:
            return 100
        if self.status != self.Status.RUNNING or not self.phase:
            return 0
        return PHASE_START[self.phase]

    @property
    def stalled(self) -> bool:
        """Still marked queued or running long after it should have finished: the worker was
        stopped or killed (a run of a million students takes about a minute)."""
        if self.status not in (self.Status.QUEUED, self.Status.RUNNING):
            return False
        since = self.started_at or self.created_at
        return since is not None and timezone.now() - since > STALLED_AFTER

    @property
    def active(self) -> bool:
        """Worth watching: the runs page refreshes itself while a run is active."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING) and not self.stalled


STALLED_AFTER = dt.timedelta(hours=2)


PHASE_START: dict[str, int] = {
    IdentificationRun.Phase.SNAPSHOT: 5,
    IdentificationRun.Phase.RULES: 35,
    IdentificationRun.Phase.MODEL: 40,
    IdentificationRun.Phase.WRITING: 65,
}


class RunSchedule(TimeStampedModel):
    """Each term, some days after it starts, the whole institution is re-evaluated (有进有出
    needs a regular re-run). `jingzhun schedule_identification`, run daily by cron, starts
    the run that is due; the owner is recorded as the one who started it."""

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(_("run every term"), default=True)
    days_after_term_start = models.PositiveSmallIntegerField(
        _("days after the term starts"), default=14
    )
    model_capacity = models.FloatField(_("model capacity"), default=0.1)
    dismissal_days = models.PositiveSmallIntegerField(
        _("days a dismissal holds"),
        null=True,
        blank=True,
        help_text=_(
            "A dismissed student is not reopened on the same evidence for this many days; "
            "empty: until the next term starts."
        ),
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("run schedule")
        verbose_name_plural = _("run schedules")

    def __str__(self) -> str:
        return f"{self.institution}: +{self.days_after_term_start}d"


class Case(TimeStampedModel):
    """帮扶对象: one student's file in the assistance programme."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        CONFIRMED = "confirmed", _("Confirmed")
        IN_ASSISTANCE = "in_assistance", _("In assistance")
        EXIT_PROPOSED = "exit_proposed", _("Exit proposed")
        EXITED = "exited", _("Exited")
        DISMISSED = "dismissed", _("Dismissed")

    class ExitReason(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        FURTHER_STUDY = "further_study", _("Further study")
        NO_LONGER_DIFFICULT = "no_longer_difficult", _("No longer in difficulty")
        LEFT_SCHOOL = "left_school", _("Left school")
        OTHER = "other", _("Other")

    class Origin(models.TextChoices):
        RUN = "run", _("Identification run")
        MANUAL = "manual", _("Added by staff")
        SELF_APPLICATION = "self", _("Self-application")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="cases")
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.CANDIDATE
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.RUN
    )
    types = models.ManyToManyField(DifficultyType, blank=True, related_name="cases")
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, null=True, blank=True
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_cases",
    )
    dismiss_reason = models.TextField(_("dismissal reason"), blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    opened_run = models.ForeignKey(
        IdentificationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        constraints = [
            # One open file per student; closed ones (exited, dismissed) stay as history.
            models.UniqueConstraint(
                fields=["student"],
                condition=~models.Q(status__in=["exited", "dismissed"]),
                name="one_open_case_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.get_status_display()}"


class Signal(TimeStampedModel):
    """识别依据: one reason a student was flagged, with its explanation."""

    run = models.ForeignKey(IdentificationRun, on_delete=models.CASCADE, related_name="signals")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="signals")
    rule = models.ForeignKey(
        Rule, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals"
    )
    difficulty_type = models.ForeignKey(DifficultyType, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    explanation = models.TextField(_("explanation"))
    sensitivity = models.CharField(_("sensitivity"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["level", "difficulty_type"]
        indexes = [models.Index(fields=["student", "run"])]


class CaseEvent(models.Model):
    """The case's history: every transition, who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class ModelTraining(models.Model):
    """A request to train the risk models: recorded when the office asks, so that the long
    job has something to follow (its steps, an interruption, a retry) before the models exist;
    it points at the recommended model once both are stored."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Training")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField(_("as of"))
    requested_by = models.ForeignKey(
        RoleAssignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    model = models.ForeignKey(
        RiskModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure = models.CharField(_("failure"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk model training")
        verbose_name_plural = _("risk model trainings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.as_of} {self.status}"

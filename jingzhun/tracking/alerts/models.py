"""Alert tables: the alerts themselves and one row per daily check run (the job's subject)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.students.models import Student


class Alert(TimeStampedModel):
    """预警: one cause that needs attention, for one student, owned by one person.

    `dedupe_key` (kind + the subject of the cause: a student, an action) is unique among the
    alerts that are not closed, so a check run twice never opens a cause twice."""

    class Severity(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=30)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    dedupe_key = models.CharField(max_length=80)
    details = models.JSONField(_("details"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # None with a closed state: the check closed it because its cause went away.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["severity", "-opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(state="closed"),
                name="alert_one_unclosed_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "state"], name="alert_kind_state"),
            models.Index(fields=["student", "state"], name="alert_student_state"),
            models.Index(fields=["owner", "state"], name="alert_owner_state"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.student_id} · {self.state}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class AlertCheckRun(models.Model):
    """One day's run of every check: the subject the long job follows, with what it did."""

    day = models.DateField(_("day"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # {kind: {"opened": n, "kept": n, "closed": n}} of the last execution.
    counts = models.JSONField(_("counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("alert check run")
        verbose_name_plural = _("alert check runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)

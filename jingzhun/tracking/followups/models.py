"""Follow-ups (回访): after graduation, graduates without a destination and those newly placed
are called at set intervals, each call with its outcome and the next date.

A graduate has at most one open follow-up (a partial unique constraint), and each follow-up
is numbered within its series (kind + the day the series counts from), so the daily scheduler
can run any number of times and never adds a second one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.students.models import Student
from jingzhun.tracking.contacts import ContactAttempt


class FollowUp(TimeStampedModel):
    class Kind(models.TextChoices):
        UNPLACED = "unplaced", _("Graduate without a destination")
        NEWLY_PLACED = "newly_placed", _("Newly placed graduate")

    class Status(models.TextChoices):
        OPEN = "open", _("Due")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("No longer needed")

    class Outcome(models.TextChoices):
        STILL_SEEKING = "still_seeking", _("Still seeking work")
        PLACED = "placed", _("Placed")
        FURTHER_STUDY = "further_study", _("Further study")
        UNREACHABLE = "unreachable", _("Not reachable")
        DECLINED = "declined", _("Declined help")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    anchor_on = models.DateField(_("counted from"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=12, choices=ContactAttempt.Channel.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    placed_where = models.CharField(_("where"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    next_on = models.DateField(_("next follow-up"), null=True, blank=True)
    by_student = models.BooleanField(_("answered by the student"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        ContactAttempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(status="open"), name="followup_one_open"
            ),
            models.UniqueConstraint(
                fields=["student", "kind", "anchor_on", "round"], name="followup_round_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="followup_status_due"),
            models.Index(fields=["student", "done_on"], name="followup_student_done"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.kind} #{self.round} {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

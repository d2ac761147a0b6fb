"""A student's rating of one completed action, and general feedback."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.assistance.models import Action
from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import Institution
from jingzhun.students.models import Student


class ActionRating(TimeStampedModel):
    """满意度评价: one per action, by the student it was for; editable for a few days."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("action rating")
        verbose_name_plural = _("action ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="action_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.score}"


class StudentFeedback(TimeStampedModel):
    """意见反馈: what a student wants the college to know, read and marked handled by the
    employment office."""

    class Topic(models.TextChoices):
        POLICY = "policy", _("Policies and procedures")
        ASSISTANCE = "assistance", _("Assistance I received")
        JOBS = "jobs", _("Jobs and recommendations")
        PORTAL = "portal", _("This website")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        HANDLED = "handled", _("Handled")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    text = models.TextField(_("feedback"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="new")
    reply = models.TextField(_("reply"), blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("student feedback")
        verbose_name_plural = _("student feedback")
        indexes = [models.Index(fields=["institution", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.student_id} {self.get_topic_display()}"

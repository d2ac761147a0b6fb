"""A request to compute the next behaviour snapshot: recorded when the office asks, so that
the long job has something to follow (its progress, an interruption, a retry) before the
snapshot itself exists."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.students.models import BehaviourSnapshot


class BehaviourBuild(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Computing")
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
    snapshot = models.ForeignKey(
        BehaviourSnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure = models.CharField(_("failure"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("behaviour snapshot computation")
        verbose_name_plural = _("behaviour snapshot computations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.as_of} {self.status}"

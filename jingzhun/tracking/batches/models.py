"""Batch work tables: one operation over a filtered set, and its per-student results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import RoleAssignment


class BatchOperation(TimeStampedModel):
    """分批分类: one operation the actor ran over the students their filter selected.

    The role assignment is kept so the background job acts with the actor's scope and
    permissions as they are when it runs (a scope narrowed meanwhile is honoured)."""

    class Kind(models.TextChoices):
        ASSIGN_MENTOR = "assign_mentor", _("Assign a responsible person")
        ADD_MEASURE = "add_measure", _("Add a measure to each plan")
        MESSAGE = "message", _("Send a message")
        EXPORT = "export", _("Export the ledger")
        # Pushing postings belongs to the job pushes (jobs); wired after that work lands.
        PUSH_POSTINGS = "push_postings", _("Push postings")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    actor = models.ForeignKey(RoleAssignment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("operation"), max_length=20, choices=Kind.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("students"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    export = models.FileField(_("export"), upload_to="batches/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("batch operation")
        verbose_name_plural = _("batch operations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class BatchItem(models.Model):
    """One student's result of a batch operation."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    operation = models.ForeignKey(BatchOperation, on_delete=models.CASCADE, related_name="items")
    # Kept as a plain id: an id outside the actor's scope is recorded without its student.
    student_id = models.BigIntegerField(_("student"))
    student_name = models.CharField(_("full name"), max_length=60, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    message = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["operation", "pk"]
        indexes = [models.Index(fields=["operation", "outcome"], name="batch_item_outcome")]

    def __str__(self) -> str:
        return f"{self.operation_id} · {self.student_id} · {self.outcome}"

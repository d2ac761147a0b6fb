"""Handover (离校未就业移交): graduates who left school without a job, handed to the
human-resources office of their household-registration place (户籍地), one batch per place,
with what the office reports back per graduate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import Institution
from jingzhun.students.models import Student


class HandoverBatch(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        CLOSED = "closed", _("Closed")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    cohort = models.PositiveSmallIntegerField(_("cohort (graduation year)"))
    # The prefecture (4 digits), or the province (2) for municipalities and places under
    # the province directly: where the receiving office sits.
    place_code = models.CharField(_("household registration place"), max_length=4)
    place_name = models.CharField(_("place"), max_length=40)
    receiver = models.CharField(_("receiving office"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("handover batch")
        verbose_name_plural = _("handover batches")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["institution", "cohort", "place_code"], name="handover_inst_place")
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.place_name}"


class HandoverEntry(TimeStampedModel):
    """One graduate of a batch; a graduate is handed over once (a unique student)."""

    class Return(models.TextChoices):
        PENDING = "pending", _("No reply yet")
        CONTACTED = "contacted", _("Contacted")
        PLACED = "placed", _("Placed")
        DECLINED = "declined", _("Declined help")
        UNREACHABLE = "unreachable", _("Not reachable")

    batch = models.ForeignKey(HandoverBatch, on_delete=models.CASCADE, related_name="entries")
    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="+")
    returned = models.CharField(
        _("reply"), max_length=12, choices=Return.choices, default=Return.PENDING
    )
    placed_where = models.CharField(_("where"), max_length=120, blank=True)
    return_note = models.TextField(_("note"), blank=True)
    returned_on = models.DateField(_("reply recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("handover entry")
        verbose_name_plural = _("handover entries")
        ordering = ["batch", "student__student_number"]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.student_id}"

"""Destination registrations (毕业去向登记), their evidence files and their history.

A registration is one claim of a destination — by the student or by staff — that goes
submitted → school verified → office verified, or is returned with a reason. A change is a new
registration: it withdraws the open one, and once verified supersedes the old verified one,
which is kept. With `office_verified_at` on each row, the destination "as known then" on any
date is the newest registration the office had verified by that date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.students.models import DestinationCode, Student
from jingzhun.tracking.destinations.reference import EVIDENCE_LABELS


class DestinationRegistration(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SCHOOL_VERIFIED = "school_verified", _("Verified by the school")
        OFFICE_VERIFIED = "office_verified", _("Verified by the employment office")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Replaced by a change")
        SUPERSEDED = "superseded", _("Superseded")

    class Source(models.TextChoices):
        STUDENT = "student", _("Student")
        STAFF = "staff", _("Staff")

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="destination_registrations"
    )
    code = models.ForeignKey(DestinationCode, on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField(_("employer or school"), max_length=120, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    region_code = models.CharField(_("city code"), max_length=4, blank=True)
    monthly_wage = models.PositiveIntegerField(_("monthly wage"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    source = models.CharField(_("registered by"), max_length=8, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    return_reason = models.TextField(_("reason returned"), blank=True)
    school_verified_at = models.DateTimeField(null=True, blank=True)
    office_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("destination registration")
        verbose_name_plural = _("destination registrations")
        indexes = [
            models.Index(fields=["student", "office_verified_at"], name="destreg_student_verified"),
            models.Index(fields=["status", "created_at"], name="destreg_status_created"),
            models.Index(fields=["credit_code"], name="destreg_credit_code"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.code_id} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.SCHOOL_VERIFIED)


def evidence_upload_to(instance: DestinationEvidence, filename: str) -> str:
    return f"destinations/{instance.registration.student_id}/{filename}"


class DestinationEvidence(TimeStampedModel):
    registration = models.ForeignKey(
        DestinationRegistration, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=list(EVIDENCE_LABELS.items()))
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("destination evidence")
        verbose_name_plural = _("destination evidence")

    def __str__(self) -> str:
        return f"{self.registration_id} {self.kind}"


class DestinationEvent(models.Model):
    """One step of a registration's history (submitted, verified, returned, superseded)."""

    registration = models.ForeignKey(
        DestinationRegistration, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("destination event")
        verbose_name_plural = _("destination events")

    def __str__(self) -> str:
        return f"{self.registration_id} {self.from_status}→{self.to_status}"

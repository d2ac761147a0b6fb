"""Subsidies (求职创业补贴 and similar): a policy per year, the students' applications, their
documents and history. Imported by `assistance.models`, so Django finds them in the app."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import Institution
from jingzhun.students.models import Student


class SubsidyPolicy(TimeStampedModel):
    """One subsidy of one year: who may have it, what it pays, what to hand in and when.

    Once an application exists, the terms it was decided on (amount, groups, the graduating
    condition) are fixed; the window, the budget and the wording may still change
    (`services.subsidy_policies.policy_save`). Applications also keep the amount they were made for.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    # `students.PriorityGroupEvidence.Group` values; a disability record counts as the
    # student's own disability (`disabled_student`).
    eligible_groups = models.JSONField(_("eligible groups"), default=list)
    graduating_only = models.BooleanField(_("graduating-year students only"), default=True)
    documents_required = models.JSONField(_("documents required"), default=list)
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["institution", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "name"], name="subsidy_policy_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(budget__gte=0),
                name="subsidy_policy_amounts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class SubsidyApplication(TimeStampedModel):
    """A student's application for one policy, approved school → office → finance, then paid."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SCHOOL_APPROVED = "school_approved", _("Approved by the school")
        OFFICE_APPROVED = "office_approved", _("Approved by the employment office")
        FINANCE_APPROVED = "finance_approved", _("Approved by finance")
        PAID = "paid", _("Paid")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Rejected")

    policy = models.ForeignKey(SubsidyPolicy, on_delete=models.PROTECT, related_name="applications")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    # The eligibility reasons when it was (re)submitted: [{"code": …, "params": {…}}].
    eligibility = models.JSONField(_("eligibility"), default=list)
    note = models.CharField(_("note"), max_length=500, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason for return or rejection"), blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["policy", "status"])]
        constraints = [
            # No double payment: one live application per policy and student (a rejected one
            # does not block a new application).
            models.UniqueConstraint(
                fields=["policy", "student"],
                condition=~models.Q(status="rejected"),
                name="subsidy_application_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.student}"


class SubsidyDocument(models.Model):
    """One required document of an application, stored under a generated name."""

    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.CASCADE, related_name="documents"
    )
    name = models.CharField(_("document"), max_length=60)
    file = models.FileField(_("file"), upload_to="subsidies/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.name


class SubsidyEvent(models.Model):
    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


ZERO = Decimal("0")

"""Contact attempts: every time staff try to reach a student, whether or not they got through.

Alerts (no contact for N days), the destination checks (a destination with no contact on
record) and the unknown-outcome rule (two attempts before and two after graduation) all count
contacts from here; an assistance record (a talk, a session, a push) is also a contact.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.students.models import Student


class ContactAttempt(TimeStampedModel):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        WECHAT = "wechat", _("WeChat / QQ")
        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("In person")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    attempted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    reached = models.BooleanField(_("reached the student"))
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        indexes = [models.Index(fields=["student", "attempted_on"], name="contact_student_date")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.attempted_on} {self.channel}"


def with_last_contact(students: models.QuerySet[Student]) -> models.QuerySet[Student]:
    """`students` annotated with `last_contact_on`: the newest date anyone reached the student,
    by a successful contact attempt or an assistance record (None when never). Set-based: two
    correlated subqueries, no per-student loop."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce, Greatest

    from jingzhun.assistance.models import AssistanceRecord

    attempt = (
        ContactAttempt.objects.filter(student=OuterRef("pk"), reached=True)
        .order_by("-attempted_on")
        .values("attempted_on")[:1]
    )
    record = (
        AssistanceRecord.objects.filter(student=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    a = Subquery(attempt, output_field=models.DateField())
    r = Subquery(record, output_field=models.DateField())
    # PostgreSQL's GREATEST skips NULLs but SQLite's MAX(a, b) returns NULL if either is: coalesce
    # each side with the other so both databases agree.
    return students.annotate(
        last_contact_on=Greatest(Coalesce(a, r), Coalesce(r, a)),
    )

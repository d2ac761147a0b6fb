"""Employers (用人单位) and job postings (岗位).

A posting's place is the six-digit code of its prefecture or municipality (`places.py`); its
pay is a monthly range in yuan with the months paid a year (`salary.py`), the text as given
kept beside it. A posting leaves the active pool when its deadline passes: `JobPostingQuerySet
.active()` is a condition on the date, nothing flips a flag.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import Institution


class Employer(TimeStampedModel):
    class Vetting(models.TextChoices):
        PENDING = "pending", _("Pending")
        VERIFIED = "verified", _("Verified")
        BLACKLISTED = "blacklisted", _("Blacklisted")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    # `credit_code.normalise_employer_name`: two spellings of one company share it.
    name_key = models.CharField(max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    info = models.CharField(_("industry and size"), max_length=200, blank=True)
    vetting = models.CharField(
        _("vetting"), max_length=12, choices=Vetting.choices, default=Vetting.PENDING
    )
    vetting_reason = models.TextField(_("vetting reason"), blank=True)
    vetted_on = models.DateField(_("vetted on"), null=True, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name_key"], name="employer_name_key"),
            models.UniqueConstraint(
                fields=["institution", "credit_code"],
                condition=~Q(credit_code=""),
                name="employer_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EmployerContact(TimeStampedModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("position"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Education(models.IntegerChoices):
    """Ordered: a posting asking for 大专 accepts 本科."""

    ANY = 0, _("Any education")
    JUNIOR = 1, _("Junior secondary or below")
    SECONDARY = 2, _("Senior or vocational secondary")
    ZHUANKE = 3, _("Junior college (大专)")
    BENKE = 4, _("Bachelor")
    MASTER = 5, _("Master")
    DOCTOR = 6, _("Doctorate")


class JobPostingQuerySet(models.QuerySet["JobPosting"]):
    def active(self, today: dt.date | None = None) -> JobPostingQuerySet:
        today = today or timezone.localdate()
        return self.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))

    def expired(self, today: dt.date | None = None) -> JobPostingQuerySet:
        return self.filter(deadline__lt=today or timezone.localdate())

    def offerable(self, today: dt.date | None = None) -> JobPostingQuerySet:
        """What a student may be offered: active, from an employer that is not blacklisted."""
        return self.active(today).exclude(employer__vetting=Employer.Vetting.BLACKLISTED)


class JobPosting(TimeStampedModel):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="postings")
    title = models.CharField(_("title"), max_length=200)
    # Merge key with the employer and `place_key`: the same job seen again is one posting.
    title_key = models.CharField(max_length=200)
    place_key = models.CharField(max_length=100)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    majors = models.JSONField(_("majors wanted"), default=list, blank=True)
    education = models.PositiveSmallIntegerField(
        _("education"), choices=Education.choices, default=Education.ANY
    )
    experience = models.CharField(_("experience"), max_length=60, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), null=True)
    city_code = models.CharField(_("city code"), max_length=6, blank=True)
    city_text = models.CharField(_("place as given"), max_length=200, blank=True)
    salary_text = models.CharField(_("salary as given"), max_length=60, blank=True)
    salary_min = models.PositiveIntegerField(_("monthly salary from"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("monthly salary to"), null=True, blank=True)
    salary_months = models.PositiveSmallIntegerField(_("months paid a year"), default=12)
    salary_negotiable = models.BooleanField(_("salary negotiable"), default=False)
    salary_problem = models.CharField(_("salary not understood"), max_length=20, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    skills = models.CharField(_("skills"), max_length=500, blank=True)
    # jieba words of the title, skills and description (`matching.tokens`), written by the
    # import so that matching never tokenises the whole pool on a request.
    tokens = models.TextField(blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=60, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    disability_friendly = models.BooleanField(_("disability-friendly"), default=False)
    internship = models.BooleanField(_("internship (见习)"), default=False)
    grassroots = models.BooleanField(_("grassroots project"), default=False)
    import_batch_id = models.PositiveIntegerField(null=True, blank=True)

    objects = JobPostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "title_key", "place_key"], name="posting_merge_key"
            )
        ]
        indexes = [
            models.Index(fields=["institution", "deadline"]),
            models.Index(fields=["institution", "city_code"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.deadline is None or self.deadline >= timezone.localdate()


class RecommendationRun(models.Model):
    """One computation of the stored recommendations (a long job's subject): of every active
    case, or of the students marked stale by a profile change (`scope`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Computing")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    class Scope(models.TextChoices):
        ALL = "all", _("Every active case")
        STALE = "stale", _("Students whose profile changed")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        "org.RoleAssignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.ALL)
    failure = models.TextField(_("failure"), blank=True)
    students = models.PositiveIntegerField(_("students"), default=0)
    postings = models.PositiveIntegerField(_("postings"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation run")
        verbose_name_plural = _("recommendation runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.created_at:%Y-%m-%d %H:%M}"


class RecommendationRefresh(models.Model):
    """A student with an active case whose profile changed since their recommendations were
    stored. Marks are many, runs few: a run claims the marks (`run`) when it starts and deletes
    the ones it still holds when it writes; a mark made again meanwhile is released (run set
    to none) and waits for the next run."""

    student = models.OneToOneField(
        "students.Student", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(_("marked at"))
    run = models.ForeignKey(
        RecommendationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recommendation refresh")
        verbose_name_plural = _("recommendation refreshes")

    def __str__(self) -> str:
        return f"{self.student_id}"


class JobRecommendation(models.Model):
    """A posting recommended to a student, with the parts of its score and the reason; the
    newest run replaces a student's rows."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+")
    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(RecommendationRun, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    parts = models.JSONField(_("parts"), default=dict)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("job recommendation")
        verbose_name_plural = _("job recommendations")
        ordering = ["student", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["student", "rank"], name="recommendation_rank_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} #{self.rank}"


class PushPolicy(TimeStampedModel):
    """An institution's own threshold of targeted pushes per difficult graduate.

    The national rule is at least three targeted postings (the `JINGZHUN_PUSH_THRESHOLD`
    setting, default 3); some provinces ask for five. The threshold is a jobs rule of one
    college, so it lives here as a row per institution rather than a field on `org.Institution`
    (org holds no stage's policy) or an environment variable alone (one server may host
    colleges of different provinces). No row: the setting applies.
    """

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="+")
    threshold = models.PositiveSmallIntegerField(_("targeted pushes required per student"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("push policy")
        verbose_name_plural = _("push policies")

    def __str__(self) -> str:
        return f"{self.institution}: {self.threshold}"


class JobPush(TimeStampedModel):
    """A posting sent to one student on purpose (岗位推送), with the student's response.

    One per posting and student: pushing the same posting again is refused. The response moves
    through `push_responses.RESPONSE_TABLE`; every move is a `JobPushEvent`.
    """

    class Response(models.TextChoices):
        SENT = "sent", _("Not yet opened")
        VIEWED = "viewed", _("Viewed")
        INTERESTED = "interested", _("Interested")
        APPLIED = "applied", pgettext_lazy("job push", "Applied")
        INTERVIEW = "interview", _("Interview")
        OFFER = "offer", _("Offer")
        DECLINED = "declined", _("Declined")

    class DeclineReason(models.TextChoices):
        SALARY = "salary", _("Salary does not suit me")
        PLACE = "place", _("The place does not suit me")
        FIELD = "field", _("Not my field")
        OTHER_OFFER = "other_offer", _("I already have another destination")
        STUDY = "study", _("I am preparing for further study")
        OTHER = "other", _("Other reason")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    posting = models.ForeignKey(JobPosting, on_delete=models.PROTECT, related_name="pushes")
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="job_pushes"
    )
    # The student's open case when it was pushed; a push to a student without one still counts.
    case = models.ForeignKey(
        "identification.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A newer recommendation run replaces the stored recommendations: the link may lapse.
    recommendation = models.ForeignKey(
        JobRecommendation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pushed_role = models.CharField(_("role"), max_length=30)
    pushed_at = models.DateTimeField(_("pushed at"), default=timezone.now)
    note = models.CharField(_("note to the student"), max_length=300, blank=True)
    response = models.CharField(
        _("response"), max_length=12, choices=Response.choices, default=Response.SENT
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("viewed at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason"), max_length=12, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.CharField(_("in your words"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("job push")
        verbose_name_plural = _("job pushes")
        ordering = ["-pushed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "student"], name="push_once_per_student")
        ]
        indexes = [
            models.Index(fields=["institution", "pushed_at"]),
            models.Index(fields=["student", "pushed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.posting_id} → {self.student_id}"


class JobPushEvent(models.Model):
    """One step of a push's response history (the push itself is the first, from empty)."""

    push = models.ForeignKey(JobPush, on_delete=models.CASCADE, related_name="events")
    from_response = models.CharField(max_length=12, blank=True)
    to_response = models.CharField(max_length=12)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.push_id}: {self.from_response or '—'} → {self.to_response}"

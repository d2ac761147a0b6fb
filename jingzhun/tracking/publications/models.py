"""Articles (policy, procedure, notice), their ordered steps, their audience, and what each
student has seen of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import Department, Institution, School
from jingzhun.students.models import Student


class PolicyArticle(TimeStampedModel):
    class Kind(models.TextChoices):
        POLICY = "policy", _("Policy")
        PROCEDURE = "procedure", _("Procedure")
        NOTICE = "notice", _("Notice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Withdrawn")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("responsible office"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    contact = models.CharField(_("where to ask"), max_length=200, blank=True)
    documents = models.TextField(_("documents needed"), blank=True)  # one per line
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # Comma-separated, normalised by the service (`tags.normalise`).
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    # Empty audience = every student of the institution; schools and cohorts narrow it
    # (both given: students of those schools in those cohorts).
    schools = models.ManyToManyField(
        School, verbose_name=_("schools"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("policy article")
        verbose_name_plural = _("policy articles")
        indexes = [models.Index(fields=["institution", "status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


class PolicyAudienceCohort(models.Model):
    """One cohort an article is for (a row, so the audience filter is a plain join on
    SQLite and PostgreSQL alike)."""

    article = models.ForeignKey(
        PolicyArticle, on_delete=models.CASCADE, related_name="audience_cohorts"
    )
    cohort = models.PositiveSmallIntegerField(_("cohort"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "cohort"], name="policy_cohort_once")
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.cohort}"


class ProcedureStep(models.Model):
    article = models.ForeignKey(PolicyArticle, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("step"), max_length=100)
    what_to_do = models.TextField(_("what to do"), blank=True)
    where = models.CharField(_("where / who"), max_length=200, blank=True)
    documents = models.TextField(_("documents"), blank=True)  # one per line
    deadline = models.CharField(_("deadline"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


class PolicyVisit(models.Model):
    """When a student last opened the policy list. `previous_at` is the visit before the
    current one, kept so that the 新 badges survive a reload within the same visit."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="+")
    last_at = models.DateTimeField()
    previous_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.student_id} {self.last_at:%Y-%m-%d %H:%M}"


class PolicyRead(models.Model):
    """A student opened this article (it is no longer new for them)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(PolicyArticle, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "article"], name="policy_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} read {self.article_id}"

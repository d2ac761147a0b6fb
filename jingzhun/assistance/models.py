"""Assistance (精准帮扶): the measure catalogue, playbooks, plans (一人一策) and actions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.identification.models import Case, DifficultyType, Level
from jingzhun.org.models import Department, Institution
from jingzhun.org.roles import DepartmentKind
from jingzhun.students.models import Student


class Measure(TimeStampedModel):
    """帮扶措施: one entry of an institution's catalogue, edited by the employment office."""

    class SurveyCategory(models.TextChoices):
        # The categories the paper's survey counts ("what help is given").
        GUIDANCE = "guidance", _("Guidance")
        AID = "aid", _("Aid")
        COUNSELLING = "counselling", _("Counselling")
        TUTORING = "tutoring", _("Tutoring")
        OTHER = "other", _("Other")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    department_kind = models.CharField(
        _("owning department"), max_length=20, choices=DepartmentKind.choices
    )
    default_days = models.PositiveSmallIntegerField(_("default duration (days)"), default=30)
    unit_cost = models.DecimalField(
        _("unit cost (yuan)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    survey_category = models.CharField(
        _("survey category"), max_length=12, choices=SurveyCategory.choices
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["institution", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="measure_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Playbook(TimeStampedModel):
    """措施方案: a difficulty type at a level → ordered measures. A change writes the next
    version; plans name the versions they were drafted from."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    difficulty_type = models.ForeignKey(DifficultyType, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["institution", "difficulty_type", "level", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "difficulty_type", "level", "version"],
                name="playbook_version_unique",
            ),
            models.UniqueConstraint(
                fields=["institution", "difficulty_type", "level"],
                condition=models.Q(is_current=True),
                name="playbook_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.difficulty_type} · {self.get_level_display()} · v{self.version}"


class PlaybookItem(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="items")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    department_kind = models.CharField(
        _("owning department"), max_length=20, choices=DepartmentKind.choices
    )
    deadline_days = models.PositiveSmallIntegerField(_("deadline (days after approval)"))

    class Meta:
        ordering = ["playbook", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.playbook} · {self.measure_id}"


class AssistancePlan(TimeStampedModel):
    """一人一策: the plan of one case; its content lives in its versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by the student")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="assistance_plan")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    approved_version = models.ForeignKey(
        "PlanVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assistance plan")
        verbose_name_plural = _("assistance plans")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "student"])]

    def __str__(self) -> str:
        return f"{self.student} · {self.get_status_display()}"

    @property
    def current_version(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()


class PlanVersion(models.Model):
    """One saved state of a plan. `inputs` freezes what it was drafted from — the case's
    types, level and signals at that moment, the playbook versions — so later edits of the
    registry, the case or the playbooks do not rewrite it."""

    # Indexed by the unique (plan, number) constraint, which leads with it.
    plan = models.ForeignKey(
        AssistancePlan, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict)
    shown_items: list[PlanItem] = []

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class PlanItem(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="items")
    # No index of its own: measures are never deleted, and nothing reads items by measure.
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+", db_index=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    department_kind = models.CharField(
        _("owning department"), max_length=20, choices=DepartmentKind.choices
    )
    deadline_days = models.PositiveSmallIntegerField(_("deadline (days after approval)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set for a viewer by `sensitivity.label_items` (not stored).
    shown_name: str = ""
    shown_department: str = ""

    class Meta:
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.version} · {self.measure_id}"


class PlanEvent(models.Model):
    plan = models.ForeignKey(AssistancePlan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    # Not indexed: history is read by its subject, never by who acted (users are
    # deactivated, not deleted), and a bulk write adds one row per action.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    from_status = models.CharField(max_length=15, blank=True)
    to_status = models.CharField(max_length=15)
    version = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Action(TimeStampedModel):
    """帮扶任务: one item of an approved plan, routed to a department and a person in it."""

    class Status(models.TextChoices):
        TODO = "todo", _("Not started")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Could not be done")

    class Outcome(models.TextChoices):
        # What assessment counts: a closed action is not necessarily a helped student.
        HELPED = "helped", _("Helped")
        DECLINED = "declined", _("Student declined")
        UNREACHABLE = "unreachable", _("Could not reach the student")
        NOT_NEEDED = "not_needed", _("Not needed")

    # Plan, student and measure are copies of the item's (item → version → plan → student;
    # item → measure), kept for the queue's filters and the scope. The database checks the
    # item; the copies carry no constraint of their own, which would be checked again on
    # each of a bulk routing's inserts (docs/adr/0007). Django still cascades and protects.
    # The measure has no index of its own: the queue filters it beside the department.
    plan = models.ForeignKey(
        AssistancePlan, on_delete=models.CASCADE, related_name="actions", db_constraint=False
    )
    item = models.OneToOneField(PlanItem, on_delete=models.PROTECT, related_name="action")
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    # No single-column indexes on department and assignee: the composite indexes below lead
    # with them, and every extra index is paid on each of a bulk routing's inserts.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assistance_actions", db_index=False,
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TODO
    )
    due_date = models.DateField(_("due date"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    close_note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Open (待办 or 进行中), computed by the database from `status`: the work queue's
    # filter, so that one index (department, open, due date) serves its first page in order.
    # 1 or 0 rather than a boolean: `queued = 1` is an equality the index can seek on, where
    # a boolean filter compiles to the bare column on SQLite and is not.
    queued = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=["todo", "doing"], then=models.Value(1)),
            default=models.Value(0),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    # Set for a viewer by `sensitivity.label_items` (not stored).
    shown_name: str = ""
    shown_department: str = ""

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["department", "status", "due_date"]),
            models.Index(fields=["assignee", "measure", "status"]),
            models.Index(
                fields=["department", "queued", "due_date", "id"], name="action_queue_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.student}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.TODO, self.Status.DOING)


class ActionLoad(models.Model):
    """Open actions of a department per person (0: no one) and due date. Written only by
    database triggers on the action table (`loads`): the queue's total and workload panel
    read a few thousand of these rows instead of every open action."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    assignee_key = models.BigIntegerField()  # the assignee's user id, 0 for unassigned
    due_date = models.DateField()
    open_actions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "assignee_key", "due_date"], name="action_load_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} · {self.assignee_key} · {self.due_date}: {self.open_actions}"


class ActionEvent(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    # Not indexed: history is read by its subject, never by who acted (users are
    # deactivated, not deleted), and a bulk write adds one row per action.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )  # fmt: skip
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class DepartmentHead(models.Model):
    """Who an overdue action of a department escalates to (负责人). Without one, every active
    staff member of the department is told."""

    department = models.OneToOneField(Department, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("department head")
        verbose_name_plural = _("department heads")

    def __str__(self) -> str:
        return f"{self.department} · {self.user}"


class AssistanceRecord(TimeStampedModel):
    """帮扶记录: what was actually done for a student — a talk, a session, a payment, a push.

    A record whose content is psychological (a counselling session, or any record of a
    psychological measure's action) carries that sensitivity: only roles that may open
    psychological fields read its content; everyone else who sees the case sees that it took
    place, when, and by which department (`records.shown`)."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk with the student")
        COUNSELLING = "counselling", _("Counselling session")
        TUTORING = "tutoring", _("Tutoring session")
        TRAINING = "training", _("Training attendance")
        PAYMENT = "payment", _("Payment")
        JOB_PUSH = "job_push", _("Job push")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The department the author wrote it for ("by which centre"), if any.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.TextField(_("content"))
    # The field group the content belongs to ("" or "psychological"), fixed when written.
    sensitivity = models.CharField(_("sensitivity"), max_length=20, blank=True)
    # An optional file (a signed sheet, a receipt), stored under a generated name and served
    # only through the record's page checks (`record_views.RecordAttachmentView`).
    attachment = models.FileField(
        _("attachment"), upload_to="records/%Y/%m/", max_length=200, blank=True
    )
    attachment_name = models.CharField(_("attachment name"), max_length=100, blank=True)
    # Set for a viewer by `records.shown` (not stored).
    shown_content: str = ""
    restricted: bool = False

    class Meta:
        verbose_name = _("assistance record")
        verbose_name_plural = _("assistance records")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["student", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_on}"


# Subsidies live in their own module; importing them here registers them with the app.
from jingzhun.assistance.subsidy_models import (  # noqa: E402
    SubsidyApplication,
    SubsidyDocument,
    SubsidyEvent,
    SubsidyPolicy,
)

__all__ = [
    "Action", "ActionEvent", "AssistancePlan", "AssistanceRecord", "DepartmentHead", "Measure",
    "PlanEvent", "PlanItem", "PlanVersion", "Playbook", "PlaybookItem", "SubsidyApplication",
    "SubsidyDocument", "SubsidyEvent", "SubsidyPolicy",
]  # fmt: skip

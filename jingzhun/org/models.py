from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.roles import DEFAULT_SCOPE, DataScope, DepartmentKind, Role


class Institution(TimeStampedModel):
    code = models.CharField(_("institution code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    province_code = models.CharField(_("province code"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class School(TimeStampedModel):
    """A 二级学院 of an institution."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="schools")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="school_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Major(TimeStampedModel):
    class Level(models.TextChoices):
        VOCATIONAL = "zhuanke", _("Vocational (专科)")
        UNDERGRADUATE = "benke", _("Undergraduate (本科)")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="majors")
    moe_code = models.CharField(_("MOE major code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("education level"), max_length=10, choices=Level.choices)
    duration_years = models.PositiveSmallIntegerField(_("duration (years)"), default=3)

    class Meta:
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        ordering = ["school", "moe_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "moe_code"], name="major_code_unique_in_school"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ClassGroup(TimeStampedModel):
    """A 班级: students of one major and cohort taught together."""

    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="classes")
    name = models.CharField(_("name"), max_length=60)
    # The college's own class code (班级代码), when its systems have one: names repeat
    # across schools, codes do not.
    code = models.CharField(_("class code"), max_length=30, blank=True)
    cohort = models.PositiveSmallIntegerField(_("cohort (graduation year)"), db_index=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-cohort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["major", "name"], name="class_name_unique_in_major")
        ]

    def __str__(self) -> str:
        return self.name


class Department(TimeStampedModel):
    """A functional department (职能部门) that executes measures."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="departments"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="department_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Staff log in with their staff number, students with their student number."""

    display_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    # Set for accounts created with a one-time password (the staff import): every page
    # leads to the password change until the user has chosen their own.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(TimeStampedModel):
    """One role a person holds, with the org unit it applies to and its data scope."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    data_scope = models.CharField(_("data scope"), max_length=20, choices=DataScope.choices)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_assignments",
    )
    classes = models.ManyToManyField(ClassGroup, blank=True, related_name="counsellor_assignments")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self.data_scope:
            self.data_scope = DEFAULT_SCOPE[self.role]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.role != Role.PROVINCIAL_SUPERVISOR and self.institution_id is None:
            raise ValidationError({"institution": _("This role belongs to an institution.")})
        if self.data_scope == DataScope.ORG_UNIT and self.school_id is None:
            raise ValidationError({"school": _("A school-level scope needs a school.")})
        if self.data_scope == DataScope.DEPARTMENT_ROUTED and self.department_id is None:
            raise ValidationError(
                {"department": _("A department-routed scope needs a department.")}
            )
        if self.role == Role.DEPARTMENT_STAFF and self.department_id is None:
            raise ValidationError({"department": _("Department staff need a department.")})

    @property
    def department_kind(self) -> str | None:
        return self.department.kind if self.department is not None else None


class DepartmentRoute(TimeStampedModel):
    """Something a later stage routed to a department for one student (an assistance action,
    a subsidy application). Staff of that department whose role has the department-routed
    data scope see the student while a route is open.

    The later stage opens and closes routes through `org.services` (it pulls; org imports no
    later stage). The student is an id, not a foreign key: org sits below the registry.
    """

    # Indexed by the unique constraint and the index below, which both lead with it.
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="routes", db_index=False
    )
    student_id = models.BigIntegerField(_("student"))
    source = models.CharField(_("source"), max_length=40)  # e.g. "assistance.action"
    source_id = models.BigIntegerField(_("source id"))
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("department route")
        verbose_name_plural = _("department routes")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "source", "source_id"], name="department_route_unique"
            )
        ]
        indexes = [models.Index(fields=["department", "is_open", "student_id"])]

    def __str__(self) -> str:
        return f"{self.department} · {self.source}#{self.source_id}"

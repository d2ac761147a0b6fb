"""The student registry: one row per student plus the records the 一人一档 file is built from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.core.models import TimeStampedModel
from jingzhun.org.models import ClassGroup, Institution, Major, School
from jingzhun.org.roles import Sensitivity
from jingzhun.students.reference import ETHNICITIES


class Student(TimeStampedModel):
    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class HukouType(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")

    class EducationLevel(models.TextChoices):
        VOCATIONAL = "zhuanke", _("Vocational (专科)")
        UNDERGRADUATE = "benke", _("Undergraduate (本科)")

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        SUSPENDED = "suspended", _("Suspended (休学)")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        GRADUATED = "graduated", _("Graduated")

    # Placement is denormalised (school and major follow from the class) so that scope and
    # filter queries over a million rows hit one table and its indexes.
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="students")
    class_group = models.ForeignKey(ClassGroup, on_delete=models.PROTECT, related_name="students")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
    )
    student_number = models.CharField(_("student number"), max_length=20)
    name = models.CharField(_("full name"), max_length=60)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES, default="01")
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hukou_region_code = models.CharField(
        _("household registration region"), max_length=6, blank=True
    )
    hukou_type = models.CharField(
        _("household registration type"), max_length=5, choices=HukouType.choices, blank=True
    )
    cohort = models.PositiveSmallIntegerField(_("cohort (graduation year)"))
    entry_year = models.PositiveSmallIntegerField(_("entry year"))
    education_level = models.CharField(
        _("education level"), max_length=10, choices=EducationLevel.choices
    )
    status = models.CharField(
        _("enrolment status"), max_length=12, choices=Status.choices, default=Status.ENROLLED
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["-cohort", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "student_number"], name="student_number_unique"
            ),
        ]
        indexes = [
            # Same directions as the list's ORDER BY, so a page is read in index order.
            models.Index(
                fields=["institution", "-cohort", "student_number"], name="student_inst_list"
            ),
            models.Index(
                fields=["school", "-cohort", "student_number"], name="student_school_list"
            ),
            models.Index(fields=["class_group", "student_number"]),
            models.Index(fields=["major", "cohort"]),
            models.Index(fields=["id_number"]),
            models.Index(fields=["institution", "updated_at"]),  # API incremental sync
            # Prefix search (see selectors._prefix); opclasses apply on PostgreSQL only.
            models.Index(
                fields=["name"], name="student_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["student_number"],
                name="student_number_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.student_number}）"


class StudentRecord(TimeStampedModel):
    """Base of the records attached to a student; `sensitivity` decides who may open them."""

    sensitivity: Sensitivity | None = None

    class Meta:
        abstract = True


class FamilyEconomicStatus(StudentRecord):
    """Result of the yearly family economic hardship assessment (家庭经济困难认定)."""

    sensitivity = Sensitivity.FAMILY_FINANCE

    class Level(models.TextChoices):
        SPECIAL = "special", _("Especially difficult")
        DIFFICULT = "difficult", _("Difficult")
        SOMEWHAT = "somewhat", _("Somewhat difficult")
        NONE = "none", _("Not difficult")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="economic_statuses")
    academic_year = models.CharField(_("academic year"), max_length=9)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    assessed_by = models.CharField(_("assessed by"), max_length=60, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    per_capita_income = models.DecimalField(
        _("annual income per family member (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("family economic status")
        verbose_name_plural = _("family economic statuses")
        ordering = ["student", "-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "academic_year"], name="economic_status_once_a_year"
            )
        ]


class PriorityGroupEvidence(StudentRecord):
    """Evidence that a student belongs to a policy priority group (重点群体)."""

    sensitivity = Sensitivity.FAMILY_FINANCE

    class Group(models.TextChoices):
        POVERTY_ALLEVIATED = "poverty_alleviated", _("Family lifted out of poverty (脱贫家庭)")
        MINIMUM_LIVING = "minimum_living", _("Minimum living allowance (低保家庭)")
        ZERO_EMPLOYMENT = "zero_employment", _("Zero-employment family (零就业家庭)")
        EXTREME_POVERTY = "extreme_poverty", _("Extreme poverty support (特困供养)")
        DISABLED_FAMILY = "disabled_family", _("Family with disabled members (残疾人家庭)")
        DISABLED_STUDENT = "disabled_student", _("Student with disability")
        ORPHAN = "orphan", _("Orphan")
        MARTYR_FAMILY = "martyr_family", _("Martyr's family")
        # Not a hardship group of its own, but job-search subsidies name it: evidence is the
        # loan contract (国家助学贷款), recorded by the aid centre like the groups above.
        STUDENT_LOAN = "student_loan", _("National student loan holder (国家助学贷款)")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="priority_groups")
    group = models.CharField(_("priority group"), max_length=20, choices=Group.choices)
    certificate_type = models.CharField(_("certificate type"), max_length=60, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("priority group evidence")
        verbose_name_plural = _("priority group evidence")
        ordering = ["student", "group"]
        indexes = [models.Index(fields=["group", "student"])]
        constraints = [
            models.UniqueConstraint(fields=["student", "group"], name="priority_group_once")
        ]


class DisabilityRecord(StudentRecord):
    sensitivity = Sensitivity.HEALTH

    class Category(models.TextChoices):
        VISUAL = "visual", _("Visual")
        HEARING = "hearing", _("Hearing")
        SPEECH = "speech", _("Speech")
        PHYSICAL = "physical", _("Physical")
        INTELLECTUAL = "intellectual", _("Intellectual")
        MENTAL = "mental", _("Mental")
        MULTIPLE = "multiple", _("Multiple")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="disabilities")
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    grade = models.PositiveSmallIntegerField(
        _("grade (1 = most severe)"), choices=[(g, str(g)) for g in range(1, 5)]
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("disability record")
        verbose_name_plural = _("disability records")
        ordering = ["student", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "category"], name="disability_once_a_category"
            )
        ]


class PsychScreening(StudentRecord):
    sensitivity = Sensitivity.PSYCHOLOGICAL

    class Level(models.TextChoices):
        NORMAL = "normal", _("No concern")
        ATTENTION = "attention", _("Needs attention")
        KEY = "key", _("Key concern")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="psych_screenings")
    screened_on = models.DateField(_("screened on"))
    instrument = models.CharField(_("instrument"), max_length=30, default="UPI")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    note = models.TextField(_("follow-up note"), blank=True)

    class Meta:
        verbose_name = _("psychological screening")
        verbose_name_plural = _("psychological screenings")
        ordering = ["student", "-screened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "screened_on", "instrument"], name="psych_screening_unique"
            )
        ]


class AcademicResult(StudentRecord):
    """One term's academic standing (term as `2024-2025-1`)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="academic_results")
    term = models.CharField(_("term"), max_length=11)
    gpa = models.DecimalField(_("GPA"), max_digits=3, decimal_places=2, null=True, blank=True)
    failed_courses = models.PositiveSmallIntegerField(_("failed courses"), default=0)
    credits_earned = models.DecimalField(
        _("credits earned"), max_digits=5, decimal_places=1, default=0
    )
    credits_owed = models.DecimalField(_("credits owed"), max_digits=5, decimal_places=1, default=0)
    academic_warning = models.PositiveSmallIntegerField(
        _("academic warning level"), default=0, help_text=_("0 = none, 1–3 = warning levels")
    )

    class Meta:
        verbose_name = _("academic result")
        verbose_name_plural = _("academic results")
        ordering = ["student", "-term"]
        constraints = [
            models.UniqueConstraint(fields=["student", "term"], name="academic_result_once_a_term")
        ]


class Certificate(StudentRecord):
    class Kind(models.TextChoices):
        VOCATIONAL = "vocational", _("Vocational skill (1+X / 职业技能等级)")
        PROFESSIONAL = "professional", _("Professional qualification")
        LANGUAGE = "language", _("Language")
        COMPUTER = "computer", _("Computer")
        DRIVING = "driving", _("Driving licence")
        OTHER = "other", _("Other")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=30, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["student", "-issued_on"]
        constraints = [models.UniqueConstraint(fields=["student", "name"], name="certificate_once")]


class Internship(StudentRecord):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="internships")
    employer_name = models.CharField(_("employer"), max_length=120)
    position = models.CharField(_("position"), max_length=60, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    related_to_major = models.BooleanField(_("related to major"), default=True)
    rating = models.PositiveSmallIntegerField(_("employer rating (1–5)"), null=True, blank=True)

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["student", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "employer_name", "start_date"], name="internship_once"
            )
        ]


class JobIntention(StudentRecord):
    class Plan(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        UPGRADE = "upgrade", _("Upgrade to bachelor (专升本)")
        POSTGRADUATE = "postgraduate", _("Postgraduate study")
        CIVIL_SERVICE = "civil_service", _("Civil service exam (考公)")
        MILITARY = "military", _("Military service")
        ENTREPRENEURSHIP = "entrepreneurship", _("Start a business")
        ABROAD = "abroad", _("Study abroad")
        NOT_YET = "not_yet", _("Not seeking work yet")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="job_intentions")
    recorded_on = models.DateField(_("recorded on"))
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices)
    occupation = models.CharField(_("intended occupation"), max_length=60, blank=True)
    city = models.CharField(_("intended city"), max_length=30, blank=True)
    salary_min = models.PositiveIntegerField(
        _("expected monthly salary from"), null=True, blank=True
    )
    salary_max = models.PositiveIntegerField(_("expected monthly salary to"), null=True, blank=True)

    class Meta:
        verbose_name = _("job-search intention")
        verbose_name_plural = _("job-search intentions")
        ordering = ["student", "-recorded_on"]
        constraints = [
            models.UniqueConstraint(fields=["student", "recorded_on"], name="intention_once_a_day")
        ]


class DestinationCode(models.Model):
    """Editable MOE destination code table (毕业去向代码)."""

    class Category(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        SELF_EMPLOYED = "self_employed", _("Self-employed")
        FREELANCE = "freelance", _("Freelance")
        FURTHER_STUDY = "further_study", _("Further study")
        NOT_PLACED = "not_placed", _("Not placed")

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    category = models.CharField(_("counts as"), max_length=15, choices=Category.choices)

    class Meta:
        verbose_name = _("destination code")
        verbose_name_plural = _("destination codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_placed(self) -> bool:
        return self.category != self.Category.NOT_PLACED


class GraduateDestination(StudentRecord):
    """A graduate's destination as registered for the MOE report.

    Kept in the registry (not in `tracking`) because it is the outcome label the
    identification stage trains on, and stages only read backwards. Tracking verifies and
    updates it through the students service.
    """

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="destination")
    code = models.ForeignKey(DestinationCode, on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField(_("employer or school"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    monthly_salary = models.PositiveIntegerField(_("monthly salary"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        verbose_name = _("graduate destination")
        verbose_name_plural = _("graduate destinations")


class MentorAssignment(TimeStampedModel):
    """A named mentor (帮扶责任人) for one student; gives that mentor the student in scope."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentees"
    )

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        constraints = [
            models.UniqueConstraint(fields=["student", "mentor"], name="mentor_assignment_unique")
        ]


# Intake models live beside the code that uses them; imported here so Django finds them.
def hardship_model_upload_to(instance: BehaviourSnapshot, filename: str) -> str:
    return f"hardship_models/{instance.institution_id}/{filename}"


class BehaviourSnapshot(models.Model):
    """One computation of campus-behaviour features (校园行为特征) from the event lake: which
    lake files it read, with which parameters, and — where aid decisions existed to learn
    from — the hidden-hardship model it trained and scored with. Immutable once written;
    the next computation is the next version."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField(_("as of"))
    sources = models.JSONField(_("lake files read"), default=list)
    params = models.JSONField(_("parameters"), default=dict)
    columns = models.JSONField(_("columns"), default=list)
    """[{"name", "label", "format"}] in display order: the rows are self-describing."""
    students = models.PositiveIntegerField(_("students"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched card holders"), default=0)
    hardship_version = models.CharField(_("hardship model"), max_length=60, blank=True)
    hardship_metrics = models.JSONField(_("hardship model metrics"), default=dict, blank=True)
    hardship_artifact = models.FileField(
        _("hardship model artifact"), upload_to=hardship_model_upload_to, max_length=200, blank=True
    )
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("behaviour feature snapshot")
        verbose_name_plural = _("behaviour feature snapshots")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "version"], name="behaviour_snapshot_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.as_of})"


class BehaviourFeatures(models.Model):
    """One student's behaviour features for one term of a snapshot. Spending reveals family
    finances: FAMILY_FINANCE data, shown and audited as such."""

    sensitivity = Sensitivity.FAMILY_FINANCE

    snapshot = models.ForeignKey(BehaviourSnapshot, on_delete=models.CASCADE, related_name="rows")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="behaviour")
    term = models.CharField(_("term"), max_length=11)
    values = models.JSONField(_("values"), default=dict)
    hardship_score = models.FloatField(_("hidden-hardship score"), null=True, blank=True)
    hardship_reasons = models.TextField(_("hidden-hardship reasons"), blank=True)

    class Meta:
        verbose_name = _("behaviour features")
        verbose_name_plural = _("behaviour features")
        ordering = ["student", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "student", "term"], name="behaviour_row_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.term} (v{self.snapshot_id})"


from jingzhun.students.intake.models import ColumnMapping, ImportBatch  # noqa: E402, F401

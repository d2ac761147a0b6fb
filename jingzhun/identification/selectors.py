"""Scoped reads: the review queue, the runs and the risk models of an institution."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from jingzhun.core.jobs import attach_jobs
from jingzhun.data import ml
from jingzhun.data.periods import DEFAULT_CALENDAR
from jingzhun.identification import rules as rule_engine
from jingzhun.identification.defaults import MODEL_TYPE
from jingzhun.identification.models import (
    Case,
    CaseEvent,
    DifficultyType,
    IdentificationRun,
    Level,
    ModelTraining,
    RiskModel,
    Rule,
    Signal,
)
from jingzhun.identification.permissions import RESPONSIBLE_ROLES
from jingzhun.identification.risk import artifact_from_zip
from jingzhun.identification.snapshot import feature_frame
from jingzhun.org.access import can_open
from jingzhun.org.models import ClassGroup, RoleAssignment, User
from jingzhun.org.roles import Role, Sensitivity, field_access
from jingzhun.students.models import MentorAssignment, Student
from jingzhun.students.selectors import student_queryset


def case_list(
    *,
    actor: RoleAssignment | None,
    status: str = Case.Status.CANDIDATE,
    class_group: int | None = None,
) -> QuerySet[Case]:
    return case_review_list(
        actor=actor, filters=ReviewFilters(status=status, class_group=class_group)
    )


@dataclass(frozen=True)
class ReviewFilters:
    """The review queue's filters, as the URL carries them (ids already parsed)."""

    status: str = Case.Status.CANDIDATE
    school: int | None = None
    class_group: int | None = None
    difficulty_type: int | None = None
    level: int | None = None
    origin: str = ""
    run: int | None = None
    new_this_term: bool = False


def term_start_today() -> dt.date:
    return DEFAULT_CALENDAR.term_start(DEFAULT_CALENDAR.term_on(timezone.localdate()))


def case_review_list(*, actor: RoleAssignment | None, filters: ReviewFilters) -> QuerySet[Case]:
    """Cases of the actor's students with `filters`, the most urgent level first.

    "New this term": opened on or after the current term's first day (not carried over
    from an earlier term's runs or decisions)."""
    qs = Case.objects.filter(student__in=student_queryset(actor=actor), status=filters.status)
    if filters.school:
        qs = qs.filter(student__school_id=filters.school)
    if filters.class_group:
        qs = qs.filter(student__class_group_id=filters.class_group)
    if filters.difficulty_type:
        qs = qs.filter(pk__in=Case.types.through.objects.filter(
            difficultytype_id=filters.difficulty_type).values("case_id"))  # fmt: skip
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.origin:
        qs = qs.filter(origin=filters.origin)
    if filters.run:
        qs = qs.filter(opened_run_id=filters.run)
    if filters.new_this_term:
        qs = qs.filter(created_at__date__gte=term_start_today())
    return (
        qs.select_related("student__class_group", "student__school", "responsible")
        .prefetch_related("types")
        .order_by("level", "student__class_group__name", "student__student_number", "pk")
    )


@dataclass(frozen=True)
class EarlierDecision:
    """A closed case of the same student: what was decided, by whom, when and why."""

    status: str
    label: str
    by: str
    at: dt.datetime
    note: str


def earlier_decisions(*, student_ids: list[int]) -> dict[int, EarlierDecision]:
    """Each student's latest dismissal or exit, for a reopened candidate's card (one query)."""
    events = (
        CaseEvent.objects.filter(
            case__student_id__in=student_ids,
            to_status__in=[Case.Status.DISMISSED, Case.Status.EXITED],
        )
        .select_related("actor", "case")
        .order_by("case__student_id", "-at", "-pk")
    )
    decisions: dict[int, EarlierDecision] = {}
    for event in events:
        decisions.setdefault(event.case.student_id, EarlierDecision(
            status=event.to_status, label=str(Case.Status(event.to_status).label),
            by=str(event.actor) if event.actor else "", at=event.at, note=event.note,
        ))  # fmt: skip
    return decisions


@dataclass(frozen=True)
class ResponsibleOption:
    user: User
    role: str
    is_counsellor: bool

    @property
    def label(self) -> str:
        return f"{self.user} · {Role(self.role).label}"


_OPTION_ORDER: dict[str, int] = {Role.COUNSELLOR: 0, Role.MENTOR: 1, Role.SCHOOL_OFFICER: 2,
                 Role.EMPLOYMENT_OFFICE: 3}  # fmt: skip


def responsible_options(*, students: list[Student]) -> dict[int, list[ResponsibleOption]]:
    """Who may be made responsible for each student (帮扶责任人), counsellors first: staff
    whose role covers the student — the class's counsellors, assigned mentors, the school's
    employment officers, the employment office. Three queries, however many students."""
    institutions = {s.institution_id for s in students}
    assignments = list(
        RoleAssignment.objects.filter(
            is_active=True, institution_id__in=institutions,
            role__in=RESPONSIBLE_ROLES - {Role.MENTOR},
        ).select_related("user").prefetch_related(
            Prefetch("classes", queryset=ClassGroup.objects.only("pk"))
        ).order_by("pk")
    )  # fmt: skip
    mentors: dict[int, list[User]] = defaultdict(list)
    for link in MentorAssignment.objects.filter(student__in=students).select_related("mentor"):
        mentors[link.student_id].append(link.mentor)
    options: dict[int, list[ResponsibleOption]] = {}
    for student in students:
        found: dict[int, ResponsibleOption] = {}
        for ra in assignments:
            covers = ra.institution_id == student.institution_id and (
                (ra.role == Role.COUNSELLOR
                 and any(c.pk == student.class_group_id for c in ra.classes.all()))
                or (ra.role == Role.SCHOOL_OFFICER and ra.school_id == student.school_id)
                or ra.role == Role.EMPLOYMENT_OFFICE
            )  # fmt: skip
            if covers:
                found.setdefault(ra.user_id, ResponsibleOption(
                    ra.user, ra.role, is_counsellor=ra.role == Role.COUNSELLOR))  # fmt: skip
        for mentor in mentors.get(student.pk, []):
            found.setdefault(mentor.pk, ResponsibleOption(mentor, Role.MENTOR, False))
        options[student.pk] = sorted(found.values(), key=lambda o: _OPTION_ORDER[o.role])
    return options


@dataclass(frozen=True)
class ApplicantWords:
    text: str
    restricted: bool  # the case names a type whose data the reader may not open


def applicant_words(
    *, actor: RoleAssignment | None, cases: list[Case]
) -> dict[int, ApplicantWords]:
    """The student's own application on each case that has one — a self-application or one
    that joined a case a run or a reviewer had opened: the first event the student wrote.
    Withheld when the case names a type whose data the reader may not open (health …)."""
    words: dict[int, str] = {}
    events = CaseEvent.objects.filter(
        case__in=cases, actor_id=F("case__student__user_id")
    ).order_by("at", "pk")
    for event in events:
        words.setdefault(event.case_id, event.note)
    shown: dict[int, ApplicantWords] = {}
    for case in cases:
        if case.pk not in words:
            continue
        restricted = not all(
            can_open(actor, Sensitivity(t.sensitivity) if t.sensitivity else None)
            for t in case.types.all()
        )
        shown[case.pk] = ApplicantWords(
            text="" if restricted else words[case.pk], restricted=restricted
        )
    return shown


def case_get(*, actor: RoleAssignment | None, pk: int) -> Case:
    return Case.objects.select_related("student").get(
        pk=pk, student__in=student_queryset(actor=actor)
    )


@dataclass(frozen=True)
class ShownSignal:
    type_name: str
    level: int
    explanation: str
    restricted: bool


def latest_signals(
    *, actor: RoleAssignment, student_ids: list[int]
) -> dict[int, list[ShownSignal]]:
    """Each student's signals from their latest run; restricted ones say only that they exist."""
    allowed = field_access(actor.role, actor.department_kind)
    rows = (
        Signal.objects.filter(student_id__in=student_ids)
        .select_related("difficulty_type")
        .order_by("student_id", "-run_id", "level")
    )
    latest_run: dict[int, int] = {}
    shown: dict[int, list[ShownSignal]] = defaultdict(list)
    for signal in rows:
        run = latest_run.setdefault(signal.student_id, signal.run_id)
        if signal.run_id != run:
            continue
        restricted = bool(signal.sensitivity) and signal.sensitivity not in allowed
        shown[signal.student_id].append(ShownSignal(
            type_name=signal.difficulty_type.name, level=signal.level,
            explanation="" if restricted else signal.explanation, restricted=restricted,
        ))  # fmt: skip
    return shown


def run_list(*, actor: RoleAssignment | None) -> QuerySet[IdentificationRun]:
    if actor is None or actor.institution_id is None:
        return IdentificationRun.objects.none()
    return IdentificationRun.objects.filter(institution_id=actor.institution_id).select_related(
        "started_by", "school", "risk_model"
    )


def with_jobs(runs: list[IdentificationRun]) -> list[IdentificationRun]:
    """Each run with its newest job (`job`) and whether its worker stopped (`interrupted`)."""
    from jingzhun.identification.services.runs import RUN_JOB

    attach_jobs(runs, kind=RUN_JOB)
    for run in runs:  # a run from before jobs were recorded: the old two-hour rule
        if run.job is None:  # type: ignore[attr-defined]
            run.interrupted = run.stalled  # type: ignore[attr-defined]
    return runs


def model_training_queryset(*, actor: RoleAssignment | None) -> QuerySet[ModelTraining]:
    if actor is None or actor.institution_id is None:
        return ModelTraining.objects.none()
    return ModelTraining.objects.filter(institution_id=actor.institution_id)


def model_trainings_open(*, actor: RoleAssignment | None) -> list[ModelTraining]:
    """Training requests not finished (waiting, training, failed or interrupted) since the
    last one that finished, each with its newest job (`job`) and `interrupted`."""
    from jingzhun.identification.services.risk_models import TRAIN_JOB

    finished_later = ModelTraining.objects.filter(
        institution_id=OuterRef("institution_id"),
        status=ModelTraining.Status.FINISHED,
        created_at__gt=OuterRef("created_at"),
    )
    unfinished = (  # a failure that a later training made good is history
        model_training_queryset(actor=actor)
        .exclude(status=ModelTraining.Status.FINISHED)
        .exclude(Exists(finished_later))
    )
    return attach_jobs(list(unfinished.select_related("requested_by__user")[:10]), kind=TRAIN_JOB)


def risk_model_list(*, actor: RoleAssignment | None) -> QuerySet[RiskModel]:
    if actor is None or actor.institution_id is None:
        return RiskModel.objects.none()
    return RiskModel.objects.filter(institution_id=actor.institution_id).select_related(
        "trained_by", "approved_by"
    )


def risk_model_active(*, institution_id: int) -> RiskModel | None:
    return RiskModel.objects.filter(
        institution_id=institution_id, status=RiskModel.Status.APPROVED
    ).first()


def risk_model_artifact(model: RiskModel) -> ml.ModelArtifact:
    """The stored model itself (a small zip: the booster text and its manifest)."""
    with model.artifact.open("rb") as handle:
        return artifact_from_zip(handle.read())


def staff_types() -> QuerySet[DifficultyType]:
    """The difficulty types a person may assign (a rule, a manual addition): all but the
    risk model's own."""
    return DifficultyType.objects.exclude(code=MODEL_TYPE)


# What a student may name as their difficulty: not the model's internal flag (a student never
# sees model scores), and not "long-term unemployed after leaving school", which an enrolled
# applicant cannot be.
NOT_SELF_APPLICABLE = frozenset({MODEL_TYPE, "long_term_unemployed"})


def self_application_types() -> QuerySet[DifficultyType]:
    """The difficulty types a student may choose from, in the office's seeded order: those a
    person may assign (`staff_types`) less the ones an applicant cannot name."""
    return staff_types().exclude(code__in=NOT_SELF_APPLICABLE).order_by("pk")


def rule_list(*, actor: RoleAssignment | None) -> QuerySet[Rule]:
    """The institution's rules, current versions first, each name's history after it."""
    if actor is None or actor.institution_id is None:
        return Rule.objects.none()
    return (
        Rule.objects.filter(institution_id=actor.institution_id)
        .select_related("difficulty_type", "author")
        .order_by("-is_active", "difficulty_type__code", "level", "name", "-version")
    )


@dataclass(frozen=True)
class RulePreview:
    """What a rule would flag today among the enrolled students the actor may see."""

    population: int
    hits: int
    by_cohort: list[tuple[int, int]]
    by_school: list[tuple[str, int]]
    sample: list[tuple[Student, str]]
    explanations_shown: bool
    sensitivity: Sensitivity | None  # of the fields the rule reads


def rule_preview(
    *, actor: RoleAssignment, condition: dict[str, Any], as_of: dt.date, sample_size: int = 20
) -> RulePreview:
    """Evaluate `condition` over a fresh snapshot (the same engine a run uses). A rule that
    reads fields the actor may not open (psychological, health, family finance) previews as
    a count only: who it flags, and where, would tell what those fields hold."""
    population = student_queryset(actor=actor).filter(status=Student.Status.ENROLLED)
    frame = feature_frame(population, as_of=as_of)
    hits = frame[rule_engine.evaluate(condition, frame)]
    sensitivity = rule_engine.sensitivity_of(condition)
    shown = can_open(actor, sensitivity)
    if not shown:
        return RulePreview(population=len(frame), hits=len(hits), by_cohort=[], by_school=[],
                           sample=[], explanations_shown=False, sensitivity=sensitivity)  # fmt: skip
    hit = set(hits.index.tolist())
    cohorts: dict[int, int] = defaultdict(int)
    schools: dict[str, int] = defaultdict(int)
    numbers: list[tuple[str, int]] = []
    rows = population.values_list("pk", "cohort", "school__name", "student_number")
    for pk, cohort, school, number in rows.iterator():
        if pk in hit:
            cohorts[cohort] += 1
            schools[school] += 1
            numbers.append((number, pk))
    first = [pk for _number, pk in heapq.nsmallest(sample_size, numbers)]
    students = Student.objects.filter(pk__in=first).select_related("class_group")
    texts = rule_engine.explain_frame(condition, hits.loc[first]) if first else None
    return RulePreview(
        population=len(frame), hits=len(hit), by_cohort=sorted(cohorts.items()),
        by_school=sorted(schools.items(), key=lambda item: -item[1]),
        sample=[(s, str(texts[s.pk]) if texts is not None else "")
                for s in sorted(students, key=lambda s: s.student_number)],
        explanations_shown=True, sensitivity=sensitivity,
    )  # fmt: skip


@dataclass(frozen=True)
class RunDetail:
    """What one run found, for its page: counts by type, level and school; new, carried over
    and kept-dismissed students; proposed exits; signals by rule."""

    run: IdentificationRun
    flagged: int
    carried_over: int
    by_type: list[tuple[str, int]]
    by_level: list[tuple[Any, int]]
    by_school: list[tuple[str, int]]
    by_rule: list[tuple[str, str, int]]


def run_detail(*, actor: RoleAssignment | None, pk: int) -> RunDetail:
    """The run of the actor's institution (DoesNotExist otherwise), with aggregate counts only:
    no student is named, so the page needs no data scope beyond the institution. Eight queries."""
    run = run_list(actor=actor).get(pk=pk)
    signals = Signal.objects.filter(run=run)
    students = Count("student_id", distinct=True)
    flagged = signals.values("student_id").distinct().count()
    by_type = [(r["difficulty_type__name"], r["n"]) for r in signals.values(
        "difficulty_type__name").annotate(n=students).order_by("-n", "difficulty_type__name")]  # fmt: skip
    by_level = []  # each student once, at their highest (smallest) level
    for value, label in Level.choices:
        n = (signals.filter(level=value)
             .exclude(student_id__in=signals.filter(level__lt=value).values("student_id"))
             .values("student_id").distinct().count())  # fmt: skip
        if n:
            by_level.append((label, n))
    by_school = [(r["student__school__name"], r["n"]) for r in signals.values(
        "student__school__name").annotate(n=students).order_by("-n", "student__school__name")]  # fmt: skip
    by_rule = [(r["rule__name"] or "", r["difficulty_type__name"], r["n"]) for r in signals.values(
        "rule__name", "difficulty_type__name").annotate(n=Count("pk")).order_by("-n", "rule__name")]  # fmt: skip
    carried = max(0, flagged - run.new_cases - run.dismissals_kept)
    return RunDetail(run=run, flagged=flagged, carried_over=carried, by_type=by_type,
                     by_level=by_level, by_school=by_school, by_rule=by_rule)  # fmt: skip

"""Identification writes: rule seeding, runs, and every case transition (with history)."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from enum import StrEnum
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.tasks import enqueue_on_commit
from jingzhun.identification import rules as rule_engine
from jingzhun.identification.defaults import DEFAULT_RULES, DIFFICULTY_TYPES
from jingzhun.identification.models import (
    Case,
    CaseEvent,
    DifficultyType,
    IdentificationRun,
    Rule,
    Signal,
)
from jingzhun.identification.snapshot import feature_frame
from jingzhun.identification.transitions import NEEDS_REASON, can_move
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset


class IdentificationErrorCode(StrEnum):
    BAD_TRANSITION = "case.bad_transition"
    REASON_REQUIRED = "case.reason_required"
    OUT_OF_SCOPE = "case.out_of_scope"
    ALREADY_OPEN = "case.already_open"


def difficulty_types_ensure() -> dict[str, DifficultyType]:
    """The seeded types by code, re-created if missing (a flushed test database, a new install)."""
    for code, name, description, sensitivity in DIFFICULTY_TYPES:
        DifficultyType.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "sensitivity": sensitivity},
        )
    return {t.code: t for t in DifficultyType.objects.all()}


def rules_seed_defaults(*, institution: Institution, author: Any, effective_from: dt.date) -> int:
    """Install the starting rule set once per institution (idempotent by rule name)."""
    types = difficulty_types_ensure()
    created = 0
    for spec in DEFAULT_RULES:
        rule_engine.validate(spec["condition"])
        _, new = Rule.objects.get_or_create(
            institution=institution, name=spec["name"],
            defaults={"difficulty_type": types[spec["type"]], "level": spec["level"], "condition": spec["condition"],
                      "effective_from": effective_from, "author": author},
        )  # fmt: skip
        created += new
    return created


def run_start(
    *,
    actor: RoleAssignment,
    as_of: dt.date,
    cohort: int | None = None,
    school_id: int | None = None,
) -> IdentificationRun:
    if actor.institution_id is None:
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This role belongs to no institution.")
        )
    run = IdentificationRun.objects.create(
        institution_id=actor.institution_id,
        cohort=cohort,
        school_id=school_id,
        as_of=as_of,
        started_by=actor.user,
    )
    from jingzhun.identification.tasks import identification_run_task

    enqueue_on_commit(identification_run_task, run.pk)
    return run


def _population(run: IdentificationRun) -> QuerySet[Student]:
    qs = Student.objects.filter(institution_id=run.institution_id, status=Student.Status.ENROLLED)
    if run.cohort:
        qs = qs.filter(cohort=run.cohort)
    if run.school_id:
        qs = qs.filter(school_id=run.school_id)
    return qs


def _active_rules(run: IdentificationRun) -> list[Rule]:
    return list(
        Rule.objects.filter(
            institution_id=run.institution_id, is_active=True, effective_from__lte=run.as_of
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=run.as_of))
        .select_related("difficulty_type")
    )


def _signals(run: IdentificationRun, rules: list[Rule], frame: pd.DataFrame) -> list[Signal]:
    signals = []
    for rule in rules:
        hits = frame[rule_engine.evaluate(rule.condition, frame)]
        sensitivity = rule_engine.sensitivity_of(rule.condition) or rule.difficulty_type.sensitivity
        for student_id, row in hits.iterrows():  # explanations only for the flagged students
            signals.append(Signal(
                run=run, student_id=int(student_id), rule=rule, difficulty_type=rule.difficulty_type,
                level=rule.level, explanation=rule_engine.explain(rule.condition, row.to_dict()),
                sensitivity=sensitivity or "",
            ))  # fmt: skip
    return signals


def run_execute(*, run_id: int) -> IdentificationRun:
    """Evaluate the rules over the population and merge the result into cases, atomically.

    Re-running a finished run is a no-op; a crash leaves the run QUEUED/RUNNING with nothing
    written, so it can simply be executed again.
    """
    started = time.perf_counter()
    with transaction.atomic():
        run = IdentificationRun.objects.select_for_update().get(pk=run_id)
        if run.status == IdentificationRun.Status.FINISHED:
            return run
        rules = _active_rules(run)
        population = _population(run)
        frame = feature_frame(population, as_of=run.as_of)
        signals = _signals(run, rules, frame)
        Signal.objects.bulk_create(signals, batch_size=2000)
        new_cases, exits = _merge_cases(run, signals, population)
        run.rule_versions = {str(r.pk): r.version for r in rules}
        run.students, run.signal_count, run.new_cases, run.proposed_exits = (
            len(frame),
            len(signals),
            new_cases,
            exits,
        )
        run.status = IdentificationRun.Status.FINISHED
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        run.save()
    return run


def _merge_cases(
    run: IdentificationRun, signals: list[Signal], population: QuerySet[Student]
) -> tuple[int, int]:
    """有进有出: new candidates for flagged students without an open case; an exit proposal
    for confirmed cases whose student no longer has any signal."""
    by_student: dict[int, list[Signal]] = defaultdict(list)
    for signal in signals:
        by_student[signal.student_id].append(signal)
    open_cases = {
        c.student_id: c
        for c in Case.objects.filter(student__in=population).exclude(
            status__in=["exited", "dismissed"]
        )
    }
    created = []
    for student_id, student_signals in by_student.items():
        if student_id not in open_cases:
            created.append(
                Case(
                    student_id=student_id,
                    opened_run=run,
                    level=min(s.level for s in student_signals),
                )
            )
    Case.objects.bulk_create(created, batch_size=2000)
    through = Case.types.through
    through.objects.bulk_create(
        [through(case_id=c.pk, difficultytype_id=t) for c in created for t in {s.difficulty_type_id for s in by_student[c.student_id]}],
        batch_size=2000,
    )  # fmt: skip
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=c, to_status="candidate", note=_("Identified by run %(run)s") % {"run": run.pk}
            )
            for c in created
        ]
    )
    vanished = [c for sid, c in open_cases.items() if sid not in by_student and c.origin == Case.Origin.RUN
                and c.status in {Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE}]  # fmt: skip
    for case in vanished:
        _move(
            case,
            Case.Status.EXIT_PROPOSED,
            actor=None,
            note=_("No signal at run %(run)s") % {"run": run.pk},
        )
    return len(created), len(vanished)


def _move(case: Case, target: str, *, actor: Any, note: str = "") -> None:
    if not can_move(case.status, target):
        raise DomainError(IdentificationErrorCode.BAD_TRANSITION, _("A %(current)s case cannot become %(target)s.") % {
            "current": case.get_status_display(), "target": Case.Status(target).label})  # fmt: skip
    if target in NEEDS_REASON and not note.strip():
        raise DomainError(IdentificationErrorCode.REASON_REQUIRED, _("A reason is required."))
    CaseEvent.objects.create(
        case=case, actor=actor, from_status=case.status, to_status=target, note=note
    )
    case.status = target
    case.save(
        update_fields=[
            "status",
            "updated_at",
            "dismiss_reason",
            "exit_reason",
            "level",
            "responsible",
        ]
    )


def _in_scope(actor: RoleAssignment, case: Case) -> None:
    if not student_queryset(actor=actor).filter(pk=case.student_id).exists():
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This student is outside your data scope.")
        )


@transaction.atomic
def case_confirm(
    *, actor: RoleAssignment, case: Case, types: list[DifficultyType], level: int, responsible: Any = None,
    request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    _in_scope(actor, case)
    case.level, case.responsible = level, responsible or actor.user
    _move(case, Case.Status.CONFIRMED, actor=actor.user, note=", ".join(t.name for t in types))
    case.types.set(types)
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request, role=actor.role,
              fields=["status", "types", "level", "responsible"], detail={"to": "confirmed"})  # fmt: skip
    return case


@transaction.atomic
def case_dismiss(
    *, actor: RoleAssignment, case: Case, reason: str, request: HttpRequest | None = None
) -> Case:
    _in_scope(actor, case)
    case.dismiss_reason = reason.strip()
    _move(case, Case.Status.DISMISSED, actor=actor.user, note=reason)
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request, role=actor.role,
              fields=["status", "dismiss_reason"], detail={"to": "dismissed"})  # fmt: skip
    return case


@transaction.atomic
def case_exit(
    *,
    actor: RoleAssignment,
    case: Case,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    _in_scope(actor, case)
    if reason not in Case.ExitReason.values:
        raise DomainError(IdentificationErrorCode.REASON_REQUIRED, _("Choose an exit reason."))
    case.exit_reason = reason
    _move(
        case, Case.Status.EXITED, actor=actor.user, note=note or str(Case.ExitReason(reason).label)
    )
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=case, request=request, role=actor.role,
              fields=["status", "exit_reason"], detail={"to": "exited", "reason": reason})  # fmt: skip
    return case


@transaction.atomic
def case_add_manual(
    *, actor: RoleAssignment, student: Student, types: list[DifficultyType], level: int, note: str,
    origin: str = Case.Origin.MANUAL, request: HttpRequest | None = None,
) -> Case:  # fmt: skip
    """A counsellor's own addition (or a student's self-application) enters as a candidate."""
    if not student_queryset(actor=actor).filter(pk=student.pk).exists():
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This student is outside your data scope.")
        )
    if Case.objects.filter(student=student).exclude(status__in=["exited", "dismissed"]).exists():
        raise DomainError(
            IdentificationErrorCode.ALREADY_OPEN, _("This student already has an open case.")
        )
    case = Case.objects.create(student=student, origin=origin, level=level)
    case.types.set(types)
    CaseEvent.objects.create(case=case, actor=actor.user, to_status="candidate", note=note)
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=case, request=request, role=actor.role,
              detail={"origin": origin})  # fmt: skip
    return case


def now_date() -> dt.date:
    return timezone.localdate()

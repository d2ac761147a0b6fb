"""Identification runs: the rules and the active risk model over a population, merged into
cases, atomically and reproducibly."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import SupportsInt, cast

import pandas as pd
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.behaviour.selectors import behaviour_latest, hardship_candidates
from jingzhun.core.bulk import insert_columns, write_cache
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress
from jingzhun.data import ml
from jingzhun.identification import permissions, risk
from jingzhun.identification import rules as rule_engine
from jingzhun.identification.defaults import DEFAULT_RULES, DIFFICULTY_TYPES, MODEL_TYPE
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import (
    Case,
    CaseEvent,
    DifficultyType,
    IdentificationRun,
    Level,
    Rule,
    Signal,
)
from jingzhun.identification.selectors import risk_model_active, risk_model_artifact
from jingzhun.identification.services.cases import case_status_move
from jingzhun.identification.services.dismissals import dismissals_kept
from jingzhun.identification.snapshot import feature_frame
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Sensitivity
from jingzhun.students.models import Student

logger = logging.getLogger(__name__)

DEFAULT_CAPACITY = ml.DEFAULT_CAPACITY
MIN_CAPACITY, MAX_CAPACITY = 0.01, 0.5
# A model flag asks for a closer look, not for the most urgent help: the reviewer confirms
# the concrete types (academic, employability …) the reasons point to.
MODEL_SIGNAL_LEVEL = Level.SECOND


def difficulty_types_ensure() -> dict[str, DifficultyType]:
    """The seeded types by code, re-created if missing (a flushed test database, a new install)."""
    for code, name, description, sensitivity in DIFFICULTY_TYPES:
        DifficultyType.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "sensitivity": sensitivity},
        )
    return {t.code: t for t in DifficultyType.objects.all()}


def rules_seed_defaults(*, actor: RoleAssignment, effective_from: dt.date) -> int:
    """Install the starting rule set of the actor's institution once (idempotent by rule
    name), authored by the actor."""
    permissions.require(permissions.can_edit_rules(actor))
    institution, author = permissions.institution_of(actor), actor.user
    types = difficulty_types_ensure()
    created = 0
    for spec in DEFAULT_RULES:
        rule_engine.validate(spec["condition"])
        if Rule.objects.filter(institution_id=institution, name=spec["name"]).exists():
            continue  # seeded before (perhaps edited since: later versions keep the name)
        Rule.objects.create(
            institution_id=institution, name=spec["name"], difficulty_type=types[spec["type"]],
            level=spec["level"], condition=spec["condition"], effective_from=effective_from, author=author,
        )  # fmt: skip
        created += 1
    return created


def capacity_checked(capacity: float) -> float:
    """The share of the population the model may flag: what the office can follow up."""
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise DomainError(
            IdentificationErrorCode.BAD_CAPACITY,
            _("The model capacity must be between %(low)s%% and %(high)s%%.")
            % {"low": round(MIN_CAPACITY * 100), "high": round(MAX_CAPACITY * 100)},
        )
    return capacity


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


# One row per signal; rule_id is None for the model's.
SIGNAL_COLUMNS = [
    "student_id",
    "rule_id",
    "difficulty_type_id",
    "level",
    "explanation",
    "sensitivity",
]


def _rule_signals(rules: list[Rule], frame: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for rule in rules:
        hits = frame[rule_engine.evaluate(rule.condition, frame)]
        sensitivity = rule_engine.sensitivity_of(rule.condition) or rule.difficulty_type.sensitivity
        explanations = rule_engine.explain_frame(rule.condition, hits)  # the flagged rows only
        parts.append(pd.DataFrame({
            "student_id": explanations.index.to_numpy(), "rule_id": rule.pk,
            "difficulty_type_id": rule.difficulty_type_id, "level": rule.level,
            "explanation": explanations.to_numpy(), "sensitivity": sensitivity or "",
        }, columns=SIGNAL_COLUMNS))  # fmt: skip
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SIGNAL_COLUMNS)


def _model_signals(
    run: IdentificationRun, frame: pd.DataFrame, types: dict[str, DifficultyType]
) -> pd.DataFrame:
    """The active model scores everyone (vectorised) and flags the top `model_capacity`
    share; only those are explained. The run records which model it used."""
    model = risk_model_active(institution_id=run.institution_id)
    if model is None:
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    artifact = risk_model_artifact(model)
    if artifact.schema_hash != risk.model_schema().hash():
        logger.warning("Risk model %s no longer matches the feature schema; not used.", model)
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    run.risk_model = model
    kind = types[MODEL_TYPE]
    flagged = risk.flagged_reasons(artifact.model, frame, run.model_capacity)
    return pd.DataFrame({
        "student_id": [int(cast(SupportsInt, r.key)) for r in flagged], "rule_id": None,
        "difficulty_type_id": kind.pk, "level": int(MODEL_SIGNAL_LEVEL),
        "explanation": [risk.explanation(r) for r in flagged],
        "sensitivity": [risk.reasons_sensitivity(r) or "" for r in flagged],
    }, columns=SIGNAL_COLUMNS)  # fmt: skip


HARDSHIP_TYPE = "economic"
ASSESSED_DIFFICULT = ("special", "difficult", "somewhat")


def _hardship_signals(
    run: IdentificationRun, frame: pd.DataFrame, types: dict[str, DifficultyType]
) -> pd.DataFrame:
    """Hidden-hardship candidates of the newest behaviour snapshot (scored on their latest
    term) who have no hardship assessment: an economic signal asking the aid office to look,
    quietly — spending resembles that of aided students, which is not a finding."""
    rows = hardship_candidates(behaviour_latest(institution_id=run.institution_id))
    rows = rows[rows["student_id"].isin(frame.index)]
    if rows.empty:
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    assessed = (
        frame["economic_level"].reindex(rows["student_id"]).isin(ASSESSED_DIFFICULT).to_numpy()
    )
    rows = rows[~assessed]
    kind = types[HARDSHIP_TYPE]
    scores = rows["hardship_score"].astype(float).map(lambda s: f"{s:.2f}")
    text = (
        "校园消费行为与受资助学生相近（评分 "
        + scores
        + "，待资助中心核实，不作认定）："
        + rows["hardship_reasons"]
    )
    return pd.DataFrame({
        "student_id": rows["student_id"].astype(int).to_numpy(), "rule_id": None,
        "difficulty_type_id": kind.pk, "level": int(Level.SECOND),
        "explanation": text.to_numpy(), "sensitivity": Sensitivity.FAMILY_FINANCE.value,
    }, columns=SIGNAL_COLUMNS)  # fmt: skip


def _store_signals(run: IdentificationRun, signals: pd.DataFrame) -> None:
    """Plain values, column by column, through one multi-row INSERT path (a million signals:
    seconds, not the minutes of model instances, nor a dict per row)."""
    rule = pd.to_numeric(signals["rule_id"])  # None (model signals) as NaN
    rules = rule.fillna(0).to_numpy(dtype="int64").tolist()
    columns = {
        "student_id": signals["student_id"].to_numpy(dtype="int64").tolist(),
        "rule_id": [None if none else r for r, none in zip(rules, rule.isna(), strict=True)],
        "difficulty_type_id": signals["difficulty_type_id"].to_numpy(dtype="int64").tolist(),
        "level": signals["level"].to_numpy(dtype="int64").tolist(),
        "explanation": signals["explanation"].tolist(),
        "sensitivity": signals["sensitivity"].tolist(),
    }
    with write_cache():
        insert_columns(Signal, columns, constants={"run_id": run.pk})


RUN_JOB = "identification.run"  # its long job (jingzhun.core.jobs), registered in apps.py
PHASES = list(IdentificationRun.Phase)


def run_execute(*, run_id: int, progress: Progress | None = None) -> IdentificationRun:
    """Evaluate the rules and the active model over the population and merge the result into
    cases.

    The reading and scoring happen outside any transaction, reporting each phase as it
    starts (a committed update the runs page polls); only the writing is one transaction, so
    on SQLite other users' writes wait seconds, not the whole run. Re-running a finished run
    is a no-op. A failure marks the run FAILED with its reason and writes nothing else; a
    killed worker leaves it RUNNING with nothing written: either can simply be executed
    again.
    """
    started = time.perf_counter()
    run = IdentificationRun.objects.get(pk=run_id)
    if run.status == IdentificationRun.Status.FINISHED:
        return run
    run.started_at = timezone.now()
    try:
        _report(run, IdentificationRun.Phase.SNAPSHOT, progress)
        rules = _active_rules(run)
        population = _population(run)
        frame = feature_frame(population, as_of=run.as_of)
        _report(run, IdentificationRun.Phase.RULES, progress)
        parts = [_rule_signals(rules, frame)]
        _report(run, IdentificationRun.Phase.MODEL, progress)
        types = difficulty_types_ensure()
        parts += [_model_signals(run, frame, types), _hardship_signals(run, frame, types)]
        signals = pd.concat(parts, ignore_index=True)
        _report(run, IdentificationRun.Phase.WRITING, progress)
        with transaction.atomic():
            locked = IdentificationRun.objects.select_for_update().get(pk=run_id)
            if locked.status == IdentificationRun.Status.FINISHED:
                return locked  # a second worker finished it meanwhile
            _store_signals(run, signals)
            new_cases, exits = _merge_cases(run, signals, population)
            run.rule_versions = {str(r.pk): r.version for r in rules}
            run.students, run.signal_count = len(frame), len(signals)
            run.new_cases, run.proposed_exits = new_cases, exits  # and dismissals_kept
            run.status, run.phase, run.failure = IdentificationRun.Status.FINISHED, "", ""
            run.duration_ms = int((time.perf_counter() - started) * 1000)
            run.save()
    except _FinishedElsewhere:
        return IdentificationRun.objects.get(pk=run_id)
    except Exception as error:
        _failed(run, error)
        raise
    return run


class _FinishedElsewhere(Exception):
    """Another worker finished this run while this one was reading: stop, write nothing."""


def _report(run: IdentificationRun, phase: str, progress: Progress | None) -> None:
    """Record the phase now starting (committed at once when no transaction is open). Never
    over a finished run: that would reopen it, and its signals would be written twice. The
    job shows it as step n of the four."""
    if progress is not None:
        progress.step(IdentificationRun.Phase(phase).label, total=len(PHASES))
        progress.set(PHASES.index(IdentificationRun.Phase(phase)))
    run.phase, run.status = phase, IdentificationRun.Status.RUNNING
    updated = (
        IdentificationRun.objects.filter(pk=run.pk)
        .exclude(status=IdentificationRun.Status.FINISHED)
        .update(phase=phase, status=run.status, started_at=run.started_at, failure="")
    )
    if not updated:
        raise _FinishedElsewhere


def _failed(run: IdentificationRun, error: Exception) -> None:
    """Mark the run FAILED with a short reason for the runs page; the traceback goes to the
    log. If even that cannot be written (the database is gone), the run stays RUNNING."""
    logger.exception("Identification run %s failed", run.pk)
    reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    try:
        IdentificationRun.objects.filter(pk=run.pk).exclude(
            status=IdentificationRun.Status.FINISHED
        ).update(status=IdentificationRun.Status.FAILED, phase="", failure=reason[:300])
    except (DatabaseError, TransactionManagementError):
        logger.exception("Could not mark run %s as failed", run.pk)


def _merge_cases(
    run: IdentificationRun, signals: pd.DataFrame, population: QuerySet[Student]
) -> tuple[int, int]:
    """有进有出: new candidates for flagged students without an open case; an exit proposal
    for confirmed cases whose student no longer has any signal. Set-based: new cases, their
    types and their first event are each one multi-row insert."""
    open_cases = set(
        Case.objects.filter(student__in=population)
        .exclude(status__in=[Case.Status.EXITED, Case.Status.DISMISSED])
        .values_list("student_id", flat=True)
    )
    # As integers: the parts concatenated into `signals` may leave object columns, on which
    # pandas falls back to a Python loop per student (seconds at a million students).
    levels = signals["level"].astype("int64").groupby(signals["student_id"].astype("int64")).min()
    new = levels[~levels.index.isin(list(open_cases))]
    kept = dismissals_kept(run, signals, new, population)
    run.dismissals_kept = len(kept)
    new = new[~new.index.isin(list(kept))]
    created = _open_cases(run, signals, new)
    flagged = set(levels.index.tolist())
    followed = Case.objects.filter(
        student__in=population, origin=Case.Origin.RUN,
        status__in=[Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE],
    ).values_list("pk", "student_id")  # fmt: skip
    vanished = [pk for pk, student in followed if student not in flagged]
    for case in Case.objects.filter(pk__in=vanished).order_by("pk"):  # few: every signal gone
        case_status_move(
            case,
            Case.Status.EXIT_PROPOSED,
            actor=None,
            note=_("No signal at run %(run)s") % {"run": run.pk},
        )
    return len(created), len(vanished)


def _open_cases(run: IdentificationRun, signals: pd.DataFrame, new: pd.Series) -> dict[int, int]:
    """Candidate cases for the students of `new` (level by student id), with their types and
    first event, column by column. Returns case id by student id."""
    with write_cache():
        insert_columns(Case, {
            "student_id": new.index.to_numpy(dtype="int64").tolist(),
            "level": new.to_numpy(dtype="int64").tolist(),
        }, constants={"opened_run_id": run.pk, "status": Case.Status.CANDIDATE.value,
                      "origin": Case.Origin.RUN.value})  # fmt: skip
        created = dict(Case.objects.filter(opened_run=run).values_list("student_id", "id"))
        pairs = signals.loc[
            signals["student_id"].isin(new.index), ["student_id", "difficulty_type_id"]
        ]
        pairs = pairs.drop_duplicates()
        insert_columns(Case.types.through, {
            "case_id": pairs["student_id"].map(created).to_numpy(dtype="int64").tolist(),
            "difficultytype_id": pairs["difficulty_type_id"].to_numpy(dtype="int64").tolist(),
        })  # fmt: skip
        note = _("Identified by run %(run)s") % {"run": run.pk}
        insert_columns(CaseEvent, {"case_id": list(created.values())},
                       constants={"to_status": Case.Status.CANDIDATE.value, "note": note})  # fmt: skip
    return created


def now_date() -> dt.date:
    return timezone.localdate()

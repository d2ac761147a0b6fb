"""Drafting many plans at once, set-based: the same plans, versions, items, history and audit
rows as `plans.plan_draft` case by case, in a few statements per chunk of cases.

Checks come first for the whole batch; if any case is refused, nothing is written and the
refusals come back per student. A case that already has a plan is skipped, so running the
same batch again is safe. Everything happens in one transaction: a crash leaves every case
as it was.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions
from jingzhun.assistance.models import (
    AssistancePlan,
    PlanEvent,
    PlanItem,
    PlanVersion,
    Playbook,
    PlaybookItem,
)
from jingzhun.assistance.playbooks import PlaybookStep, merge
from jingzhun.assistance.services.catalogue import catalogue_ensure
from jingzhun.core.audit import AuditEntry, audit_log_many
from jingzhun.core.bulk import insert_columns, write_cache
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import Case, DifficultyType, Level, Signal
from jingzhun.identification.services import cases_assistance_start
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.selectors import student_queryset

# Cases per round of statements: well under the parameter cap of one SQLite statement.
CHUNK = 2000
DRAFTABLE = frozenset({Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE})


@dataclass(frozen=True)
class Refusal:
    case_id: int
    student: str  # name and student number, or "—" for a case that no longer exists
    message: str


@dataclass(frozen=True)
class DraftManyResult:
    drafted: int
    skipped: int = 0  # cases that already had a plan
    refusals: list[Refusal] = field(default_factory=list)
    plan_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Case:
    pk: int
    student_id: int
    student: str
    institution_id: int
    status: str
    level: int | None
    responsible_id: int | None


@dataclass(frozen=True)
class _Playbook:
    pk: int
    type_code: str
    level: int
    version: int
    steps: tuple[tuple[PlaybookStep, int], ...]  # the step and its measure id


class _Refused(Exception):
    pass


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def plans_draft_many(
    *, actor: RoleAssignment, case_ids: Iterable[int], request: HttpRequest | None = None,
    progress: Callable[[int], None] | None = None,
) -> DraftManyResult:  # fmt: skip
    """Draft the plans of `case_ids` from the playbooks; confirmed cases move to 帮扶中 through
    identification's set-based service. `progress` is told each chunk's size when written."""
    permissions.require(permissions.can_plan(actor))
    ids = sorted(set(case_ids))
    try:
        with transaction.atomic(), write_cache():
            cases, skipped, refusals = _checked(actor, ids)
            if refusals:
                raise _Refused
            plan_ids = _write(actor, cases, request=request, progress=progress)
    except _Refused:
        return DraftManyResult(0, len(skipped), refusals)
    return DraftManyResult(len(plan_ids), len(skipped), [], plan_ids)


def _checked(actor: RoleAssignment, ids: list[int]) -> tuple[list[_Case], set[int], list[Refusal]]:
    """The cases to draft (locked), the ones skipped because they have a plan, and the
    refusals — in the order `plan_draft` checks: scope, owner, status."""
    cases: list[_Case] = []
    skipped: set[int] = set()
    refusals: list[Refusal] = []
    owner_any = actor.role == Role.EMPLOYMENT_OFFICE
    for chunk in chunks(ids):
        rows = list(
            Case.objects.select_for_update(of=("self",)).filter(pk__in=chunk).order_by("pk")
            .values_list("pk", "student_id", "student__name", "student__student_number",
                         "student__institution_id", "status", "level", "responsible_id")
        )  # fmt: skip
        if len(rows) != len(chunk):
            refusals.append(Refusal(0, "—", _("Some of these cases no longer exist.")))
        # Read by id range (a long IN list costs more than the extra rows) and intersected.
        planned = set(AssistancePlan.objects.filter(case_id__gte=chunk[0], case_id__lte=chunk[-1])
                      .values_list("case_id", flat=True))  # fmt: skip
        students = sorted(r[1] for r in rows) or [0]
        visible = set(student_queryset(actor=actor).filter(pk__gte=students[0], pk__lte=students[-1])
                      .values_list("pk", flat=True))  # fmt: skip
        for pk, student_id, name, number, institution_id, status, level, responsible_id in rows:
            if pk in planned:
                skipped.add(pk)
                continue
            case = _Case(pk, student_id, f"{name}（{number}）", institution_id, status, level,
                         responsible_id)  # fmt: skip
            message = _refusal(case, visible=visible, actor=actor, owner_any=owner_any)
            if message:
                refusals.append(Refusal(pk, case.student, message))
            else:
                cases.append(case)
    return cases, skipped, refusals


def _refusal(case: _Case, *, visible: set[int], actor: RoleAssignment, owner_any: bool) -> str:
    if case.student_id not in visible:
        return _("This student is outside your data scope.")
    if not owner_any and case.responsible_id != actor.user_id:
        return _("Only the person responsible for this case edits its plan.")
    if case.status not in DRAFTABLE:
        return _("A plan is drafted for a confirmed case.")
    return ""


def _write(
    actor: RoleAssignment, cases: list[_Case], *, request: HttpRequest | None,
    progress: Callable[[int], None] | None,
) -> list[int]:  # fmt: skip
    institutions = sorted({c.institution_id for c in cases})
    for institution_id in institutions:
        catalogue_ensure(institution_id=institution_id)
    playbooks = _current_playbooks(institutions)
    types = {t.pk: t for t in DifficultyType.objects.all()}
    plan_ids: list[int] = []
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start : start + CHUNK]
        confirmed = [c.pk for c in chunk if c.status == Case.Status.CONFIRMED]
        if confirmed:
            cases_assistance_start(actor=actor, case_ids=confirmed, note=_("Plan drafted"),
                                   request=request)  # fmt: skip
        plan_ids += _write_chunk(actor, chunk, playbooks=playbooks, types=types, request=request)
        if progress is not None:
            progress(len(chunk))
    return plan_ids


def _current_playbooks(institutions: list[int]) -> dict[tuple[int, int, int], _Playbook]:
    """The current playbooks by (institution, difficulty type id, level), with their steps
    in the order `plan_draft` reads them."""
    steps: dict[int, list[tuple[PlaybookStep, int]]] = defaultdict(list)
    for playbook_id, code, kind, days, measure_id in (
        PlaybookItem.objects.filter(playbook__institution_id__in=institutions, playbook__is_current=True)
        .order_by("playbook", "order", "pk")
        .values_list("playbook_id", "measure__code", "department_kind", "deadline_days", "measure_id")
    ):  # fmt: skip
        steps[playbook_id].append((PlaybookStep(code, kind, days), measure_id))
    return {
        (p.institution_id, p.difficulty_type_id, p.level): _Playbook(
            p.pk, p.difficulty_type.code, p.level, p.version, tuple(steps[p.pk])
        )
        for p in Playbook.objects.filter(institution_id__in=institutions, is_current=True)
        .select_related("difficulty_type")
    }  # fmt: skip


def _write_chunk(
    actor: RoleAssignment, cases: list[_Case], *, playbooks: dict[tuple[int, int, int], _Playbook],
    types: dict[int, DifficultyType], request: HttpRequest | None,
) -> list[int]:  # fmt: skip
    case_types: dict[int, list[DifficultyType]] = defaultdict(list)
    for case_id, type_id in Case.types.through.objects.filter(
        case_id__in=[c.pk for c in cases]
    ).values_list("case_id", "difficultytype_id"):
        case_types[case_id].append(types[type_id])
    signals = _latest_signals([c.student_id for c in cases])
    now = timezone.now().isoformat()
    drafts = []
    merged: dict[tuple[int, ...], list[tuple[PlaybookStep, int]]] = {}
    for case in cases:
        own = sorted(case_types[case.pk], key=lambda t: t.code)
        used = [playbooks[key] for t in own
                if (key := (case.institution_id, t.pk, case.level or Level.GENERAL)) in playbooks]  # fmt: skip
        # Cases with the same playbooks get the same lines: merge each combination once.
        combination = tuple(p.pk for p in used)
        if combination not in merged:
            merged[combination] = _lines(used)
        drafts.append((case, used, merged[combination], _inputs(case, own, used, signals, now)))
    case_ids = [c.pk for c in cases]
    insert_columns(AssistancePlan, {"case_id": case_ids, "student_id": [c.student_id for c in cases]},
                   constants={"status": AssistancePlan.Status.DRAFT})  # fmt: skip
    # Read back by range (cheaper than a long IN list); ids of other rows are ignored.
    plan_of = dict(AssistancePlan.objects.filter(case_id__gte=case_ids[0], case_id__lte=case_ids[-1])
                   .values_list("case_id", "pk"))  # fmt: skip
    plan_ids = [plan_of[pk] for pk in case_ids]
    insert_columns(PlanVersion, {"plan_id": plan_ids, "inputs": [json.dumps(d[3]) for d in drafts]},
                   constants={"number": 1, "author_id": actor.user_id,
                              "note": _("Drafted from the playbooks")[:200]})  # fmt: skip
    version_of = dict(PlanVersion.objects.filter(plan_id__gte=min(plan_ids), plan_id__lte=max(plan_ids), number=1)
                      .values_list("plan_id", "pk"))  # fmt: skip
    items: dict[str, list[Any]] = {"version_id": [], "measure_id": [], "order": [],
                                   "department_kind": [], "deadline_days": []}  # fmt: skip
    for plan_id, (_case, _used, lines, _frozen) in zip(plan_ids, drafts, strict=True):
        for n, (step, measure_id) in enumerate(lines):
            items["version_id"].append(version_of[plan_id])
            items["measure_id"].append(measure_id)
            items["order"].append(n)
            items["department_kind"].append(step.department_kind)
            items["deadline_days"].append(step.deadline_days)
    if items["version_id"]:
        insert_columns(PlanItem, items, constants={"note": ""})
    insert_columns(PlanEvent, {"plan_id": plan_ids},
                   constants={"actor_id": actor.user_id, "from_status": "", "note": "",
                              "to_status": AssistancePlan.Status.DRAFT, "version": 1})  # fmt: skip
    label = AssistancePlan.Status.DRAFT.label
    audit_log_many(
        actor=actor.user, action=AuditLog.Action.CREATE, request=request, role=actor.role,
        entries=(AuditEntry(AssistancePlan._meta.label_lower, plan_id, f"{c.student} · {label}",
                            {"case": c.pk, "items": len(lines), "playbooks": [p.pk for p in used]})
                 for plan_id, (c, used, lines, _inputs_) in zip(plan_ids, drafts, strict=True)),
    )  # fmt: skip
    return plan_ids


def _lines(used: list[_Playbook]) -> list[tuple[PlaybookStep, int]]:
    """The pure `merge` of the playbooks, each line with its measure id."""
    measures = {step.measure: measure_id for p in used for step, measure_id in p.steps}
    merged = merge([(p.type_code, [step for step, _m in p.steps]) for p in used])
    return [
        (
            PlaybookStep(line.measure, line.department_kind, line.deadline_days),
            measures[line.measure],
        )
        for line in merged
    ]


def _latest_signals(student_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Per student, the signals of its latest run, as `plans.frozen_inputs` freezes them."""
    latest: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Signal.objects.filter(student_id__in=student_ids)
        .order_by("student_id", "-run_id", "level", "pk")
        .values_list("student_id", "run_id", "difficulty_type__code", "difficulty_type__name",
                     "level", "explanation", "sensitivity")
    )  # fmt: skip
    for student_id, run, code, name, level, explanation, sensitivity in rows:
        own = latest.setdefault(student_id, [])
        if own and own[0]["run"] != run:
            continue
        own.append({"run": run, "type": code, "type_name": name, "level": level,
                    "explanation": explanation, "sensitivity": sensitivity})  # fmt: skip
    return latest


def _inputs(
    case: _Case, types: list[DifficultyType], used: list[_Playbook],
    signals: dict[int, list[dict[str, Any]]], now: str,
) -> dict[str, Any]:  # fmt: skip
    """The same JSON as `plans.frozen_inputs(case, playbooks=...)`; the case has just moved
    to 帮扶中, as it has when `plan_draft` freezes it."""
    return {
        "case": case.pk,
        "case_status": Case.Status.IN_ASSISTANCE,
        "level": case.level,
        "types": [{"code": t.code, "name": t.name, "sensitivity": t.sensitivity} for t in types],
        "signals": signals.get(case.student_id, []),
        "frozen_at": now,
        "playbooks": [{"type": p.type_code, "level": p.level, "version": p.version, "id": p.pk}
                      for p in used],
    }  # fmt: skip

"""The measure catalogue and playbooks: seeded per institution, edited by the employment office.

A playbook is never changed in place: a save writes its next version and retires the current
one, so a plan drafted from version 1 keeps naming version 1 (its frozen inputs).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.assistance import defaults, permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import Measure, Playbook, PlaybookItem
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import DifficultyType, Level
from jingzhun.identification.services import difficulty_types_ensure
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DepartmentKind

MAX_DEADLINE = 365


@transaction.atomic
def catalogue_ensure(*, institution_id: int) -> int:
    """Seed the institution's measures and first playbooks if it has none (idempotent).
    Returns the number of measures created."""
    if Measure.objects.filter(institution_id=institution_id).exists():
        return 0
    measures = Measure.objects.bulk_create(
        Measure(institution_id=institution_id, code=code, name=name, department_kind=kind,
                default_days=days, unit_cost=cost, survey_category=category, order=i)
        for i, (code, name, kind, days, cost, category) in enumerate(defaults.MEASURES)
    )  # fmt: skip
    by_code = {m.code: m for m in Measure.objects.filter(institution_id=institution_id)}
    types = difficulty_types_ensure()
    for type_code, steps in defaults.PLAYBOOKS.items():
        if type_code not in types:
            continue
        for level in Level.values:
            playbook = Playbook.objects.create(
                institution_id=institution_id, difficulty_type=types[type_code], level=level
            )
            PlaybookItem.objects.bulk_create(
                PlaybookItem(playbook=playbook, measure=by_code[code], order=i,
                             department_kind=by_code[code].department_kind,
                             deadline_days=defaults.deadline_for(days, level))
                for i, (code, days) in enumerate(steps)
            )  # fmt: skip
    return len(measures)


@dataclass(frozen=True)
class MeasureFields:
    name: str
    department_kind: str
    default_days: int
    unit_cost: Decimal
    survey_category: str
    description: str = ""
    is_active: bool = True


def _checked(fields: MeasureFields) -> MeasureFields:
    if not fields.name.strip() or len(fields.name) > 60:
        raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Give the measure a name of at most 60 characters."), field="name")  # fmt: skip
    if fields.department_kind not in DepartmentKind.values:
        raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Choose the owning department."), field="department_kind")  # fmt: skip
    if fields.survey_category not in Measure.SurveyCategory.values:
        raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Choose a survey category."), field="survey_category")  # fmt: skip
    if not 1 <= fields.default_days <= MAX_DEADLINE:
        raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("The duration is 1 to %(max)s days.") % {"max": MAX_DEADLINE}, field="default_days")  # fmt: skip
    if fields.unit_cost < 0 or fields.unit_cost >= Decimal("10000000"):
        raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("The unit cost must be zero or more."), field="unit_cost")  # fmt: skip
    return fields


@transaction.atomic
def measure_save(
    *, actor: RoleAssignment, measure: Measure | None, code: str = "", fields: MeasureFields,
    request: HttpRequest | None = None,
) -> Measure:  # fmt: skip
    """Create a measure (with `code`) or change one of the actor's institution."""
    permissions.require(permissions.can_manage_catalogue(actor))
    fields = _checked(fields)
    if measure is None:
        code = code.strip()
        if (
            not code
            or Measure.objects.filter(
                institution_id=permissions.institution_of(actor), code=code
            ).exists()
        ):
            raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Choose a code no other measure has."), field="code")  # fmt: skip
        measure = Measure(institution_id=permissions.institution_of(actor), code=code,
                          order=Measure.objects.filter(institution_id=permissions.institution_of(actor)).count())  # fmt: skip
    elif measure.institution_id != actor.institution_id:
        raise DomainError(AssistanceErrorCode.OUT_OF_SCOPE, _("This measure belongs to another institution."))  # fmt: skip
    for name, value in fields.__dict__.items():
        setattr(measure, name, value.strip() if isinstance(value, str) else value)
    created = measure.pk is None
    measure.save()
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
              target=measure, request=request, role=actor.role, fields=sorted(fields.__dict__),
              detail={"code": measure.code})  # fmt: skip
    return measure


@dataclass(frozen=True)
class StepInput:
    measure_id: int
    deadline_days: int
    department_kind: str = ""  # empty: the measure's own


@transaction.atomic
def playbook_save(
    *, actor: RoleAssignment, difficulty_type: DifficultyType, level: int, steps: list[StepInput],
    request: HttpRequest | None = None,
) -> Playbook:  # fmt: skip
    """Write the next version of the playbook for (type, level); plans keep their version."""
    permissions.require(permissions.can_manage_catalogue(actor))
    if level not in Level.values:
        raise DomainError(AssistanceErrorCode.BAD_DEADLINE, _("Choose a level."), field="level")
    measures = {
        m.pk: m for m in Measure.objects.filter(institution_id=permissions.institution_of(actor))
    }
    seen: set[int] = set()
    for step in steps:
        if step.measure_id not in measures or step.measure_id in seen:
            raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Each measure once, from the catalogue."), field="steps")  # fmt: skip
        if not 0 <= step.deadline_days <= MAX_DEADLINE:
            raise DomainError(AssistanceErrorCode.BAD_DEADLINE, _("A deadline is 0 to %(max)s days after approval.") % {"max": MAX_DEADLINE}, field="steps")  # fmt: skip
        if step.department_kind and step.department_kind not in DepartmentKind.values:
            raise DomainError(AssistanceErrorCode.BAD_MEASURE, _("Choose the owning department."), field="steps")  # fmt: skip
        seen.add(step.measure_id)
    current = (
        Playbook.objects.select_for_update()
        .filter(institution_id=permissions.institution_of(actor), difficulty_type=difficulty_type, level=level, is_current=True)
        .first()
    )  # fmt: skip
    version = 1
    if current is not None:
        version = current.version + 1
        current.is_current = False
        current.save(update_fields=["is_current", "updated_at"])
    playbook = Playbook.objects.create(institution_id=permissions.institution_of(actor), difficulty_type=difficulty_type,
                                       level=level, version=version, author=actor.user)  # fmt: skip
    PlaybookItem.objects.bulk_create(
        PlaybookItem(playbook=playbook, measure_id=s.measure_id, order=i, deadline_days=s.deadline_days,
                     department_kind=s.department_kind or measures[s.measure_id].department_kind)
        for i, s in enumerate(steps)
    )  # fmt: skip
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=playbook, request=request,
              role=actor.role, fields=["items"],
              detail={"type": difficulty_type.code, "level": level, "version": version,
                      "measures": [measures[s.measure_id].code for s in steps]})  # fmt: skip
    return playbook

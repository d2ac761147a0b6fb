"""Rule writes: an edit never changes a rule in place. It saves the next version and retires
the one it replaces, so every past run's `rule_versions` still names the conditions it used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification import permissions
from jingzhun.identification import rules as rule_engine
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import DifficultyType, Rule
from jingzhun.identification.selectors import RulePreview, rule_preview
from jingzhun.org.models import RoleAssignment


@transaction.atomic
def rule_save(
    *,
    actor: RoleAssignment,
    name: str,
    difficulty_type: DifficultyType,
    level: int,
    condition: dict[str, Any],
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    replaces: Rule | None = None,
    request: HttpRequest | None = None,
) -> Rule:
    """Create a rule, or the next version of `replaces` (which is deactivated)."""
    permissions.require(permissions.can_edit_rules(actor))
    try:
        rule_engine.validate(condition)
    except rule_engine.RuleError as exc:
        raise DomainError(IdentificationErrorCode.INVALID_RULE, str(exc)) from exc
    if replaces is not None:
        replaces = Rule.objects.select_for_update().get(pk=replaces.pk)
        if replaces.institution_id != actor.institution_id:
            raise DomainError(
                IdentificationErrorCode.OUT_OF_SCOPE, _("This rule belongs to another institution.")
            )
        if not replaces.is_active:
            raise DomainError(
                IdentificationErrorCode.RULE_SUPERSEDED,
                _("A newer version of this rule exists; edit that one."),
            )
        replaces.is_active = False
        replaces.save(update_fields=["is_active", "updated_at"])
    rule = Rule.objects.create(
        institution_id=permissions.institution_of(actor), name=name, difficulty_type=difficulty_type,
        level=level, condition=condition, effective_from=effective_from, effective_to=effective_to,
        author=actor.user, version=replaces.version + 1 if replaces else 1, replaces=replaces,
    )  # fmt: skip
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE if replaces is None else AuditLog.Action.UPDATE,
              target=rule, request=request, role=actor.role,
              detail={"version": rule.version, "replaces": replaces.pk if replaces else None, "condition": condition})  # fmt: skip
    return rule


@transaction.atomic
def rule_deactivate(
    *, actor: RoleAssignment, rule: Rule, request: HttpRequest | None = None
) -> Rule:
    permissions.require(permissions.can_edit_rules(actor))
    if rule.institution_id != actor.institution_id:
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This rule belongs to another institution.")
        )
    rule.is_active = False
    rule.save(update_fields=["is_active", "updated_at"])
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=rule, request=request,
              role=actor.role, detail={"is_active": False})  # fmt: skip
    return rule


def rule_preview_shown(
    *, actor: RoleAssignment, condition: dict[str, Any], as_of: dt.date, request: HttpRequest
) -> RulePreview:
    """A rule's preview as the editor shows it. When it reads restricted fields and the
    actor may open them, the students it lists reveal those values: the reveal is audited."""
    preview = rule_preview(actor=actor, condition=condition, as_of=as_of)
    if preview.sensitivity is not None and preview.sample:
        audit_log(
            actor=request.user, action=AuditLog.Action.VIEW_SENSITIVE, request=request,
            fields=[leaf["field"] for leaf in rule_engine.leaves(condition)],
            detail={"rule_preview": [s.pk for s, _why in preview.sample]},
        )  # fmt: skip
    return preview

"""Which measures say something sensitive about the student they are for.

A psychological-counselling measure tells that the student has a psychological difficulty
(PIPL sensitive information; "hidden assistance" is the norm): shown next to a student, its
name is left out for viewers whose role may not open psychological fields, and notification
titles (posted to group robots) never carry it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from jingzhun.org.roles import DepartmentKind, Sensitivity

# Department kind of a measure → the field group its name reveals.
SENSITIVE_KINDS: dict[str, str] = {DepartmentKind.PSYCH: Sensitivity.PSYCHOLOGICAL}


def measure_sensitivity(*kinds: str) -> str:
    """The field group a measure reveals, from its own or its item's department kind."""
    return next((SENSITIVE_KINDS[k] for k in kinds if k in SENSITIVE_KINDS), "")


def shown_measure(name: str, *kinds: str, allowed: frozenset[str]) -> str:
    """`name`, unless the measure reveals a field group the viewer may not open."""
    sensitivity = measure_sensitivity(*kinds)
    if sensitivity and sensitivity not in allowed:
        return _("Restricted measure")
    return name


def label_items(items: Iterable[Any], *, allowed: frozenset[str]) -> list[Any]:
    """Plan items and actions with `shown_name` (and, for actions, `shown_department`) set
    for the viewer: the page renders those, never the raw names next to a student."""
    labelled = list(items)
    for row in labelled:
        department = getattr(row, "department", None)
        kinds = [row.measure.department_kind, getattr(row, "department_kind", "") or ""]
        if department is not None:
            kinds.append(department.kind)
        row.shown_name = shown_measure(row.measure.name, *kinds, allowed=allowed)
        restricted = row.shown_name != row.measure.name
        department_name = (
            department.name if department is not None else row.get_department_kind_display()
        )
        row.shown_department = _("Restricted department") if restricted else department_name
    return labelled

"""Role-aware navigation for the console layout.

Lives in `config` (the top layer) because the menu spans every stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingzhun.identification.views import REVIEW_ROLES, RUN_ROLES
from jingzhun.org.roles import REGISTRY_ROLES, Role
from jingzhun.students.intake.permissions import importable_kinds


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    icon: str
    url_name: str


def _items_for(request: HttpRequest) -> list[NavItem]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return []
    items = [NavItem(_("Workbench"), reverse("home"), "bi-house", "home")]
    if actor.role == Role.STUDENT:
        items.append(
            NavItem(_("My file"), reverse("students:me"), "bi-person-vcard", "students:me")
        )
        items.append(
            NavItem(
                _("Apply for assistance"),
                reverse("portal:apply"),
                "bi-life-preserver",
                "portal:apply",
            )
        )
    elif actor.role in REGISTRY_ROLES:
        items.append(
            NavItem(_("Student files"), reverse("students:list"), "bi-people", "students:list")
        )
    if actor.role in REVIEW_ROLES:
        items.append(
            NavItem(
                _("Review candidates"),
                reverse("identification:review"),
                "bi-person-check",
                "identification:review",
            )
        )
    if actor.role in RUN_ROLES:
        items.append(
            NavItem(
                _("Identification runs"),
                reverse("identification:run-list"),
                "bi-cpu",
                "identification:run-list",
            )
        )
    if actor.role in RUN_ROLES:
        items.append(
            NavItem(
                _("Identification rules"),
                reverse("identification:rule-list"),
                "bi-sliders",
                "identification:rule-list",
            )
        )
    if actor.role in RUN_ROLES:
        items.append(
            NavItem(
                _("Campus behaviour data"),
                reverse("identification:behaviour-list"),
                "bi-credit-card",
                "identification:behaviour-list",
            )
        )
    if actor.role in RUN_ROLES:
        items.append(
            NavItem(
                _("Risk models"),
                reverse("identification:model-list"),
                "bi-graph-up",
                "identification:model-list",
            )
        )
    if importable_kinds(actor):
        items.append(
            NavItem(
                _("Data import"),
                reverse("students:import-list"),
                "bi-upload",
                "students:import-list",
            )
        )
    if request.user.is_staff:
        items.append(
            NavItem(_("System administration"), reverse("admin:index"), "bi-gear", "admin:index")
        )
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    return {
        "nav_items": _items_for(request),
        "nav_current": current,
        "actor": getattr(request, "actor", None),
        "role_assignments": getattr(request, "role_assignments", []),
    }

"""Role-aware navigation for the console layout.

Lives in `config` (the top layer) because the menu spans every stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingzhun.analytics.permissions import OVERVIEW_ROLES, PROVINCIAL_ROLES
from jingzhun.assistance import permissions as assistance_permissions
from jingzhun.behaviour import permissions as behaviour_permissions
from jingzhun.identification import permissions as identification_permissions
from jingzhun.jobs import permissions as jobs_permissions
from jingzhun.org.roles import REGISTRY_ROLES, Role
from jingzhun.students.intake.permissions import administers_college, importable_kinds
from jingzhun.tracking.alerts import permissions as alert_permissions
from jingzhun.tracking.destinations import permissions as destination_permissions
from jingzhun.tracking.followups import permissions as followup_permissions
from jingzhun.tracking.publications import permissions as publication_permissions


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    icon: str
    url_name: str


def _item(label: Any, url_name: str, icon: str) -> NavItem:
    return NavItem(label, reverse(url_name), icon, url_name)


def _items_for(request: HttpRequest) -> list[NavItem]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return []
    items = [_item(_("Workbench"), "home", "bi-house")]
    if actor.role == Role.STUDENT:
        items += [
            _item(_("My portal"), "portal:home", "bi-grid"),
            _item(_("Policies and procedures"), "portal:policy-list", "bi-journal-text"),
            _item(_("My file"), "students:me", "bi-person-vcard"),
            _item(_("Apply for assistance"), "portal:apply", "bi-life-preserver"),
            _item(_("My plan"), "portal:plan", "bi-list-check"),
            _item(_("My job pushes"), "portal:push-list", "bi-send"),
            _item(_("My situation"), "portal:followup", "bi-chat-left-text"),
            _item(_("My destination"), "portal:destination", "bi-mortarboard"),
            _item(_("Subsidies"), "portal:subsidies", "bi-cash-coin"),
        ]
    elif actor.role in REGISTRY_ROLES:
        items += [
            _item(_("Student files"), "students:list", "bi-people"),
            _item(_("Assistance cases"), "casefile:case-list", "bi-person-heart"),
        ]
    if identification_permissions.can_review(actor):
        items.append(_item(_("Review candidates"), "identification:review", "bi-person-check"))
    items += _assistance_items(actor)
    if followup_permissions.can_read_followups(actor):
        items.append(_item(_("Follow-ups"), "tracking:followup-list", "bi-telephone"))
    if followup_permissions.can_read_handovers(actor):
        items.append(
            _item(_("Handover of graduates without a job"), "tracking:handover-list", "bi-send")
        )
    if destination_permissions.can_read(actor):
        items.append(_item(_("Destinations"), "tracking:destination-list", "bi-mortarboard"))
    if alert_permissions.can_read_alerts(actor):
        items.append(_item(_("Alerts"), "tracking:alert-list", "bi-bell"))
    if alert_permissions.can_batch(actor):
        items.append(_item(_("Batch work"), "tracking:batch-new", "bi-ui-checks"))
    if jobs_permissions.can_read_postings(actor):
        items.append(_item(_("Job postings"), "jobs:posting-list", "bi-briefcase"))
    if jobs_permissions.can_read_pushes(actor):
        items.append(_item(_("Job pushes"), "jobs:push-list", "bi-send"))
    if jobs_permissions.can_read_employers(actor):
        items.append(_item(_("Employers"), "jobs:employer-list", "bi-building"))
    if identification_permissions.can_run(actor):
        items += [
            _item(_("Identification runs"), "identification:run-list", "bi-cpu"),
            _item(_("Identification rules"), "identification:rule-list", "bi-sliders"),
        ]
    if behaviour_permissions.can_manage_behaviour(actor):
        items.append(_item(_("Campus behaviour data"), "behaviour:snapshot-list", "bi-credit-card"))
    items += _publication_items(actor)
    if identification_permissions.can_run(actor):
        items.append(_item(_("Risk models"), "identification:model-list", "bi-graph-up"))
    if actor.role in OVERVIEW_ROLES:
        items.append(_item(_("Overview"), "analytics:overview", "bi-bar-chart-line"))
    elif actor.role in PROVINCIAL_ROLES:
        items.append(_item(_("Overview"), "analytics:provincial", "bi-bar-chart-line"))
    if importable_kinds(actor):
        items.append(_item(_("Data import"), "students:import-list", "bi-upload"))
    if administers_college(actor):
        items.append(_item(_("Set up the college"), "students:setup", "bi-flag"))
    if request.user.is_staff:
        items.append(_item(_("System administration"), "admin:index", "bi-gear"))
    return items


def _assistance_items(actor: Any) -> list[NavItem]:
    items = []
    if assistance_permissions.can_plan(actor):
        items.append(
            _item(_("Plans (one student, one plan)"), "assistance:plan-list", "bi-journal-check")
        )
    if assistance_permissions.can_approve(actor):
        items.append(_item(_("Plan approvals"), "assistance:approval-queue", "bi-clipboard-check"))
    if (
        assistance_permissions.can_work_actions(actor)
        or actor.role in assistance_permissions.OVERSIGHT_ROLES
    ):
        items.append(_item(_("Department work queue"), "assistance:action-queue", "bi-inboxes"))
    if assistance_permissions.can_manage_catalogue(actor):
        items.append(_item(_("Measures and playbooks"), "assistance:measure-list", "bi-collection"))
        items.append(_item(_("Department heads"), "assistance:department-heads", "bi-person-badge"))
    if assistance_permissions.can_read_subsidies(actor):
        items.append(_item(_("Subsidy applications"), "assistance:subsidy-queue", "bi-cash-coin"))
    return items


def _publication_items(actor: Any) -> list[NavItem]:
    items = []
    if publication_permissions.can_publish(actor):
        items.append(
            _item(_("Policies and procedures"), "tracking:article-list", "bi-journal-text")
        )
    if publication_permissions.can_read_satisfaction(actor):
        items.append(_item(_("Student satisfaction"), "tracking:satisfaction", "bi-emoji-smile"))
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

"""The portal's own tiles on the home (我的), registered in `PortalConfig.ready()`; the
pages other apps build (pushes, subsidies, destination) are placeholders here until their
app registers the real tile (see `jingzhun.core.portal_tiles`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingzhun.assistance.selectors import own_plan_waiting
from jingzhun.core.portal_tiles import PortalTile, register
from jingzhun.notifications.selectors import unread_count
from jingzhun.org.models import RoleAssignment
from jingzhun.tracking.publications.selectors import own_student, policy_new_count


def new_policies(actor: RoleAssignment) -> int | None:
    student = own_student(actor=actor)
    return policy_new_count(student=student) if student is not None else None


def plan_to_acknowledge(actor: RoleAssignment) -> int | None:
    return own_plan_waiting(actor=actor)


def unread_notifications(actor: RoleAssignment) -> int | None:
    return unread_count(user=actor.user)


def register_portal_tiles() -> None:
    for tile in (
        PortalTile("plan", _("My plan"), "bi-list-check", "portal:plan", order=10,
                   badge=plan_to_acknowledge),
        PortalTile("apply", _("Apply for assistance"), "bi-life-preserver", "portal:apply", order=15),
        PortalTile("policies", _("Policies and procedures"), "bi-journal-text", "portal:policy-list",
                   order=20, badge=new_policies),
        PortalTile("followup", _("My situation"), "bi-chat-left-text", "portal:followup", order=55),
        PortalTile("notifications", _("Notifications"), "bi-bell", "notifications:list", order=60,
                   badge=unread_notifications),
        PortalTile("feedback", _("Feedback"), "bi-chat-left-text", "portal:feedback", order=70),
        PortalTile("file", _("My file"), "bi-person-vcard", "students:me", order=80),
    ):  # fmt: skip
        register(tile)
    # Built by other apps; shown once their page exists, replaced by their own registration.
    for key, label, icon, url_name, order in (
        ("pushes", _("My job pushes"), "bi-send", "portal:push-list", 30),
        ("subsidies", _("Subsidies I may apply for"), "bi-cash-coin", "portal:subsidies", 40),
        ("destination", _("My destination"), "bi-geo-alt", "portal:destination", 50),
    ):
        register(PortalTile(key, label, icon, url_name, order=order, placeholder=True))

"""The registry's tabs of the student's file: which exist, what each needs, and what they
show. The file itself (and its timeline) is the case file app's.

A tab guarded by a sensitivity is listed for everyone (so a user sees that restricted data
exists) but only opened, and audited, for roles whose field access includes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jingzhun.core.masking import mask_email, mask_id_number, mask_phone, region_shown
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role, Sensitivity, field_access
from jingzhun.students.models import BehaviourFeatures, Student
from jingzhun.students.selectors import behaviour_latest


@dataclass(frozen=True)
class ProfileTab:
    slug: str
    label: Any
    sensitivity: Sensitivity | None
    template: str


PROFILE_TABS: tuple[ProfileTab, ...] = (
    ProfileTab("basic", _("Basic"), None, "students/tabs/basic.html"),
    ProfileTab(
        "family", _("Family and aid"), Sensitivity.FAMILY_FINANCE, "students/tabs/family.html"
    ),
    ProfileTab(
        "health", _("Disability and health"), Sensitivity.HEALTH, "students/tabs/health.html"
    ),
    ProfileTab("academic", _("Academic"), None, "students/tabs/academic.html"),
    ProfileTab(
        "psychological",
        _("Psychological"),
        Sensitivity.PSYCHOLOGICAL,
        "students/tabs/psychological.html",
    ),
    ProfileTab("intention", _("Intention and internships"), None, "students/tabs/intention.html"),
    ProfileTab(
        "behaviour",
        _("Campus behaviour"),
        Sensitivity.FAMILY_FINANCE,
        "students/tabs/behaviour.html",
    ),
)
# The timeline and any tab of a later stage are added by the case file (jingzhun.casefile).
TABS_BY_SLUG = {tab.slug: tab for tab in PROFILE_TABS}


def tab_allowed(actor: RoleAssignment | None, tab: ProfileTab) -> bool:
    if actor is None:
        return False
    return tab.sensitivity is None or tab.sensitivity in field_access(
        actor.role, actor.department_kind
    )


# Shown masked by default, in full only through the audited reveal (roles with identifier
# access). The household-registration code is one: it is the ID number's region.
IDENTIFIER_FIELDS = ["id_number", "phone", "email", "hukou_region_code"]


def identifiers_for(student: Student, *, revealed: bool) -> dict[str, str]:
    place = region_shown(student.hukou_region_code)
    if revealed:
        return {
            "id_number": student.id_number,
            "phone": student.phone,
            "email": student.email,
            "hukou_region": f"{student.hukou_region_code} {place}".strip(),
        }
    return {
        "id_number": mask_id_number(student.id_number),
        "phone": mask_phone(student.phone),
        "email": mask_email(student.email),
        "hukou_region": place,
    }


def tab_context(student: Student, tab: ProfileTab, *, actor: RoleAssignment) -> dict[str, Any]:
    """The records one tab shows to `actor`, each query bounded to this student."""
    if tab.slug == "family":
        return {
            "economic_statuses": list(student.economic_statuses.all()),
            "priority_groups": list(student.priority_groups.all()),
        }
    if tab.slug == "health":
        return {"disabilities": list(student.disabilities.all())}
    if tab.slug == "academic":
        return {
            "academic_results": list(student.academic_results.all()),
            "certificates": list(student.certificates.all()),
        }
    if tab.slug == "psychological":
        return {"screenings": list(student.psych_screenings.all())}
    if tab.slug == "intention":
        return {
            "intentions": list(student.job_intentions.all()),
            "internships": list(student.internships.all()),
            "destination": getattr(student, "destination", None),
        }
    if tab.slug == "behaviour":
        return behaviour_context(student, actor=actor)
    return {}


def _shown(value: Any, value_format: str) -> str:
    if value is None:
        return "—"
    try:
        return value_format.format(value)
    except (ValueError, TypeError):
        return str(value)


def behaviour_context(student: Student, *, actor: RoleAssignment) -> dict[str, Any]:
    """The newest snapshot's rows of this student: one column per term, one line per feature,
    labelled and formatted as the snapshot recorded them.

    The hidden-hardship score and reasons of the latest term are a lead for the aid office,
    not a finding: they are left out of the context altogether when the viewer is a student
    (their own file), so no template can show them by mistake."""
    snapshot = behaviour_latest(institution_id=student.institution_id)
    if snapshot is None:
        return {"snapshot": None}
    rows = list(
        BehaviourFeatures.objects.filter(snapshot=snapshot, student=student).order_by("term")
    )
    lines = [
        (column["label"], [_shown(r.values.get(column["name"]), column["format"]) for r in rows])
        for column in snapshot.columns
    ]
    context: dict[str, Any] = {
        "snapshot": snapshot,
        "terms": [r.term for r in rows],
        "lines": lines,
    }
    if rows and actor.role != Role.STUDENT:
        context["hardship_score"] = rows[-1].hardship_score
        context["hardship_reasons"] = rows[-1].hardship_reasons
    return context


TAB_FIELDS: dict[str, list[str]] = {
    "family": ["economic_statuses", "priority_groups"],
    "health": ["disabilities"],
    "psychological": ["psych_screenings"],
    "behaviour": ["behaviour"],
}

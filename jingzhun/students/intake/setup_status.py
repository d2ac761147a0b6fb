"""Where a college stands in setting itself up: the first-run page's steps, as a selector.

The page lives in `students` (not `org`): its steps count students and their records and
link to the import wizard, and `org` may not import the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingzhun.org.models import ClassGroup, Institution, Major, RoleAssignment, School
from jingzhun.org.roles import Role
from jingzhun.students import models as m
from jingzhun.students.intake.permissions import administers_college

RECORD_MODELS = (m.FamilyEconomicStatus, m.AcademicResult, m.Certificate, m.Internship,
                 m.JobIntention, m.PriorityGroupEvidence)  # fmt: skip
TEMPLATE_KINDS = ("org_structure", "staff", "students")


@dataclass(frozen=True)
class SetupStep:
    key: str
    title: Any
    help: Any
    done: bool
    counts: list[tuple[Any, int]]
    action_url: str = ""
    action_label: Any = ""
    template_kind: str = ""


def _import_url(kind: str) -> str:
    return f"{reverse('students:import-list')}?kind={kind}"


def setup_steps(*, actor: RoleAssignment) -> list[SetupStep]:
    """The steps in order with their state, counted in the actor's institution."""
    assert actor.institution_id is not None  # the views admit college administrators only
    institution_id: int = actor.institution_id
    institution = Institution.objects.get(pk=institution_id)
    schools = School.objects.filter(institution_id=institution_id).count()
    majors = Major.objects.filter(school__institution_id=institution_id).count()
    classes = ClassGroup.objects.filter(major__school__institution_id=institution_id).count()
    staff = (RoleAssignment.objects.filter(institution_id=institution_id, is_active=True)
             .exclude(role=Role.STUDENT).values("user").distinct().count())  # fmt: skip
    counsellors = RoleAssignment.objects.filter(
        institution_id=institution_id, role=Role.COUNSELLOR, is_active=True
    ).count()
    students = m.Student.objects.filter(institution_id=institution_id).count()
    records = 0
    for model in RECORD_MODELS:
        records += model._default_manager.filter(student__institution_id=institution_id).count()
    return [
        SetupStep("institution", _("Institution"), _("The college itself: its name and code."),
                  True, [(institution.name, 0)]),
        SetupStep("org", _("Schools, majors and classes"),
                  _("Import the org-structure sheet: every school, major (with its national code) and class with its graduation year."),
                  classes > 0, [(_("schools"), schools), (_("majors"), majors), (_("classes"), classes)],
                  _import_url("org_structure"), _("Import the org structure"), "org_structure"),
        SetupStep("staff", _("Staff accounts"),
                  _("Import the staff sheet: staff numbers, roles and the classes each counsellor looks after. New accounts get one-time passwords."),
                  counsellors > 0, [(_("staff"), staff), (_("counsellors"), counsellors)],
                  _import_url("staff"), _("Import staff"), "staff"),
        SetupStep("roster", _("Student roster"),
                  _("Import the students of each class. Missing schools, majors or classes can be proposed from the roster itself."),
                  students > 0, [(_("students"), students)],
                  _import_url("students"), _("Import students"), "students"),
        SetupStep("records", _("Registry records"),
                  _("Import family economic status, academic results, certificates, internships and intentions."),
                  records > 0, [(_("records"), records)],
                  reverse("students:import-list"), _("Import records")),
    ]  # fmt: skip


def setup_incomplete(*, actor: RoleAssignment | None) -> bool:
    """A college that has no class or no student yet still needs setting up."""
    if not administers_college(actor):
        return False
    assert actor is not None and actor.institution_id is not None
    institution_id = actor.institution_id
    return not (
        ClassGroup.objects.filter(major__school__institution_id=institution_id).exists()
        and m.Student.objects.filter(institution_id=institution_id).exists()
    )

"""Case decisions through the core status helper: who may decide, who becomes responsible,
what is written (event, audit) and that nothing is written on a refusal."""

from __future__ import annotations

import pytest

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification import permissions, services
from jingzhun.identification.models import Case, CaseEvent
from jingzhun.identification.selectors import responsible_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(college) -> Case:
    types = services.difficulty_types_ensure()
    case = Case.objects.create(student=college.student_a, level=2)
    case.types.set([types["academic"]])
    CaseEvent.objects.create(case=case, to_status="candidate", note="run")
    return case


@pytest.mark.parametrize(
    ("persona", "run", "review"),
    [("employment_officer", True, True), ("school_officer_a", False, True),
     ("counsellor_a", False, True), ("mentor_a", False, False), ("aid_staff", False, False),
     ("leader", False, False), ("student_a", False, False), ("supervisor", False, False)],
)  # fmt: skip
def test_permission_table(college, persona, run, review):
    actor = college.personas[persona]
    assert permissions.can_run(actor) is run
    assert permissions.can_edit_rules(actor) is run
    assert permissions.can_approve_model(actor) is run
    assert permissions.can_review(actor) is review
    assert permissions.can_start_assistance(actor) is review
    assert permissions.can_review(None) is False


def test_an_inactive_role_may_do_nothing(college):
    actor = college.personas["employment_officer"]
    actor.is_active = False
    assert (permissions.can_run(actor), permissions.can_review(actor)) == (False, False)


@pytest.mark.parametrize("persona", ["mentor_a", "aid_staff", "leader"])
def test_confirm_checks_the_role_inside_the_service(college, candidate, persona):
    with pytest.raises(DomainError) as exc:
        services.case_confirm(actor=college.personas[persona], case=candidate,
                              types=list(candidate.types.all()), level=1)  # fmt: skip
    assert exc.value.code == "identification.not_allowed"
    candidate.refresh_from_db()
    assert (candidate.status, candidate.level, candidate.responsible) == ("candidate", 2, None)
    assert CaseEvent.objects.filter(case=candidate).count() == 1
    assert not AuditLog.objects.filter(object_type="identification.case").exists()


def test_confirm_sets_types_level_and_the_class_counsellor_as_responsible(college, candidate):
    officer = college.personas["employment_officer"]
    types = services.difficulty_types_ensure()
    services.case_confirm(actor=officer, case=candidate, level=1,
                          types=[types["academic"], types["employability"]])  # fmt: skip
    candidate.refresh_from_db()
    counsellor = college.user("counsellor_a")
    assert (candidate.status, candidate.level, candidate.responsible) == (
        "confirmed",
        1,
        counsellor,
    )
    assert sorted(candidate.types.values_list("code", flat=True)) == ["academic", "employability"]
    event = candidate.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        "candidate",
        "confirmed",
        officer.user,
    )
    audit = AuditLog.objects.get(object_type="identification.case")
    assert (audit.actor, audit.actor_role, audit.fields) == (
        officer.user,
        "employment_office",
        ["level", "responsible", "status", "types"],
    )
    assert audit.detail == {"to": "confirmed", "types": ["academic", "employability"], "level": 1,
                            "responsible": counsellor.pk}  # fmt: skip


def test_confirm_accepts_a_covering_staff_member_and_refuses_others(college, candidate):
    officer = college.personas["employment_officer"]
    types = list(candidate.types.all())
    with pytest.raises(DomainError) as exc:
        services.case_confirm(actor=officer, case=candidate, types=types, level=2,
                              responsible=college.user("aid_staff"))  # fmt: skip
    assert exc.value.code == "case.bad_responsible"
    assert Case.objects.get(pk=candidate.pk).status == "candidate"
    services.case_confirm(actor=officer, case=candidate, types=types, level=2,
                          responsible=college.user("mentor_a"))  # fmt: skip
    assert Case.objects.get(pk=candidate.pk).responsible == college.user("mentor_a")


def test_confirm_without_types_is_refused(college, candidate):
    with pytest.raises(DomainError) as exc:
        services.case_confirm(actor=college.personas["counsellor_a"], case=candidate, types=[],
                              level=1)  # fmt: skip
    assert exc.value.code == "case.type_required"
    assert Case.objects.get(pk=candidate.pk).status == "candidate"


def test_responsible_options_cover_the_student(college, django_assert_num_queries):
    with django_assert_num_queries(3):
        options = responsible_options(students=[college.student_a, college.student_b])
    assert [(o.user.username, o.role) for o in options[college.student_a.pk]] == [
        ("T0008", "counsellor"), ("T0009", "mentor"), ("T0007", "school_officer"),
        ("T0002", "employment_office"),
    ]  # fmt: skip
    assert [o.user.username for o in options[college.student_b.pk]] == ["T0002"]


def test_assistance_starts_from_a_confirmed_case_only(college, candidate):
    counsellor = college.personas["counsellor_a"]
    with pytest.raises(DomainError) as exc:
        services.case_assistance_start(actor=counsellor, case=candidate)
    assert exc.value.code == "case.bad_transition"
    assert exc.value.message == "处于“待确认”状态的帮扶对象不能变为“帮扶中”。"
    assert CaseEvent.objects.filter(case=candidate).count() == 1
    services.case_confirm(actor=counsellor, case=candidate, types=list(candidate.types.all()),
                          level=2)  # fmt: skip
    case = services.case_assistance_start(actor=counsellor, case=candidate, note="一人一策已起草")
    assert Case.objects.get(pk=case.pk).status == "in_assistance"
    assert list(case.events.values_list("to_status", "note"))[-1] == (
        "in_assistance",
        "一人一策已起草",
    )
    last = AuditLog.objects.filter(object_type="identification.case").order_by("pk").last()
    assert last is not None and last.detail == {"to": "in_assistance"}


def test_assistance_start_checks_role_and_scope(college, candidate):
    services.case_confirm(actor=college.personas["counsellor_a"], case=candidate,
                          types=list(candidate.types.all()), level=2)  # fmt: skip
    for persona, code in [("mentor_a", "identification.not_allowed"),
                          ("outsider", "case.out_of_scope")]:  # fmt: skip
        with pytest.raises(DomainError) as exc:
            services.case_assistance_start(actor=college.personas[persona], case=candidate)
        assert exc.value.code == code
    assert Case.objects.get(pk=candidate.pk).status == "confirmed"


def test_assign_names_the_responsible_person(college, candidate):
    services.case_assign(actor=college.personas["school_officer_a"], case=candidate,
                         responsible=college.user("mentor_a"))  # fmt: skip
    candidate.refresh_from_db()
    assert (candidate.status, candidate.responsible) == ("candidate", college.user("mentor_a"))
    assert AuditLog.objects.get(object_type="identification.case").detail == {
        "responsible": college.user("mentor_a").pk}  # fmt: skip

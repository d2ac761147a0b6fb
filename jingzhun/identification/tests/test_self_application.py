"""自主申请帮扶: a student applies for themself; the application waits in the review queue."""

from __future__ import annotations

import inspect
from typing import cast

import pytest

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification import services
from jingzhun.identification.errors import IdentificationErrorCode as Code
from jingzhun.identification.models import Case, CaseEvent
from jingzhun.identification.selectors import case_list, self_application_types
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, Role
from jingzhun.org.tests.factories import RoleAssignmentFactory, UserFactory
from jingzhun.students.models import Student

pytestmark = pytest.mark.django_db
REASON = "家里今年收入减少，想申请求职补贴，也想找人帮我改简历。"


@pytest.fixture
def types(college):
    return services.difficulty_types_ensure()


def apply(college, types, *codes: str, note: str = REASON, persona: str = "student_a") -> Case:
    return services.case_self_apply(
        actor=college.personas[persona], types=[types[c] for c in codes], note=note
    )


def refused(college, types, *codes: str, note: str = REASON, persona: str = "student_a"):
    with pytest.raises(DomainError) as info:
        apply(college, types, *codes, note=note, persona=persona)
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not AuditLog.objects.filter(object_type="identification.case").exists()
    return info.value


def test_student_applies_for_themself(college, types):
    case = apply(college, types, "economic", "employability", note=f"  {REASON}\n")

    assert case.student == college.student_a
    assert (case.status, case.origin, case.level, case.responsible) == (
        "candidate",
        "self",
        None,
        None,
    )
    assert sorted(case.types.values_list("code", flat=True)) == ["economic", "employability"]
    event = CaseEvent.objects.get(case=case)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        college.user("student_a"),
        "",
        "candidate",
        REASON,
    )
    audit = AuditLog.objects.get(object_type="identification.case")
    assert (audit.action, audit.actor, audit.actor_role, audit.object_id) == (
        "create",
        college.user("student_a"),
        "student",
        str(case.pk),
    )
    assert audit.fields == ["note", "origin", "types"]
    assert audit.detail == {"origin": "self", "types": ["economic", "employability"]}


def test_the_application_reaches_the_reviewers_of_the_class(college, types):
    case = apply(college, types, "academic")

    for persona in ("counsellor_a", "school_officer_a", "employment_officer"):
        assert list(case_list(actor=college.personas[persona])) == [case]
    assert list(case_list(actor=college.personas["outsider"])) == []


def test_already_open_case_is_refused_with_its_status(college, types):
    first = apply(college, types, "academic")
    first.status = Case.Status.IN_ASSISTANCE
    first.save()

    with pytest.raises(DomainError) as info:
        apply(college, types, "economic")

    assert info.value.code == Code.ALREADY_OPEN
    assert str(services.STATUS_FOR_STUDENT["in_assistance"]) in info.value.message
    assert list(Case.objects.all()) == [first]
    assert CaseEvent.objects.count() == 1


def unreviewed(college, types, origin: str) -> Case:
    """A candidate a run or a counsellor opened, not yet reviewed: the student must not know."""
    case = Case.objects.create(student=college.student_a, origin=origin, level=1)
    case.types.set([types["psychological"], types["model_risk"]])
    opener = None if origin == Case.Origin.RUN else college.user("counsellor_a")
    CaseEvent.objects.create(
        case=case, actor=opener, to_status="candidate", note="心理筛查：重点关注"
    )
    return case


@pytest.mark.parametrize("origin", [Case.Origin.RUN, Case.Origin.MANUAL])
def test_an_application_joins_an_unreviewed_run_or_staff_candidate(college, types, origin):
    hidden = unreviewed(college, types, origin)

    assert services.case_self_apply_check(actor=college.personas["student_a"]) == college.student_a
    case = apply(college, types, "economic", "employability", note=f" {REASON} ")

    assert case.pk == hidden.pk
    assert list(Case.objects.all()) == [hidden]
    case.refresh_from_db()
    assert (case.status, case.origin, case.level) == ("candidate", origin, 1)
    assert sorted(case.types.values_list("code", flat=True)) == [
        "economic", "employability", "model_risk", "psychological"
    ]  # fmt: skip
    event = CaseEvent.objects.filter(case=case).last()
    assert event is not None
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        college.user("student_a"),
        "candidate",
        "candidate",
        REASON,
    )
    assert CaseEvent.objects.filter(case=case).count() == 2
    audit = AuditLog.objects.get(object_type="identification.case")
    assert (audit.action, audit.actor, audit.actor_role, audit.object_id) == (
        "update",
        college.user("student_a"),
        "student",
        str(case.pk),
    )
    assert audit.fields == ["note", "types"]
    assert audit.detail == {
        "self_application": "joined", "origin": origin, "types": ["economic", "employability"]
    }  # fmt: skip
    assert REASON not in str(audit.detail)


def test_a_joined_candidate_stays_one_case_in_the_review_queue(college, types):
    hidden = unreviewed(college, types, Case.Origin.RUN)
    apply(college, types, "economic")

    assert list(case_list(actor=college.personas["counsellor_a"])) == [hidden]


def test_a_second_application_into_the_same_candidate_is_refused(college, types):
    unreviewed(college, types, Case.Origin.RUN)
    apply(college, types, "economic")

    with pytest.raises(DomainError) as info:
        services.case_self_apply_check(actor=college.personas["student_a"])
    assert info.value.code == Code.ALREADY_OPEN
    with pytest.raises(DomainError) as info:
        apply(college, types, "academic")

    assert info.value.code == Code.ALREADY_OPEN
    assert str(services.STATUS_FOR_STUDENT["candidate"]) in info.value.message
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 2


def test_a_reviewed_run_case_still_refuses_with_its_status(college, types):
    case = unreviewed(college, types, Case.Origin.RUN)
    services.case_confirm(actor=college.personas["counsellor_a"], case=case,
                          types=[types["psychological"]], level=1)  # fmt: skip

    with pytest.raises(DomainError) as info:
        apply(college, types, "economic")

    assert info.value.code == Code.ALREADY_OPEN
    assert str(services.STATUS_FOR_STUDENT["confirmed"]) in info.value.message
    assert Case.objects.count() == 1


def test_a_closed_case_does_not_block_a_new_application(college, types):
    Case.objects.create(student=college.student_a, status=Case.Status.DISMISSED)

    case = apply(college, types, "motivation")

    assert Case.objects.filter(student=college.student_a).count() == 2
    assert case.status == "candidate"


@pytest.mark.parametrize("status", ["suspended", "withdrawn", "graduated"])
def test_student_not_enrolled_is_refused(college, types, status):
    Student.objects.filter(pk=college.student_a.pk).update(status=status)

    error = refused(college, types, "economic")

    assert error.code == Code.NOT_ENROLLED
    assert str(Student.Status(status).label) in error.message


def test_no_type_is_refused(college, types):
    error = refused(college, types)

    assert (error.code, error.field) == (Code.TYPE_REQUIRED, "types")


@pytest.mark.parametrize("internal", ["model_risk", "long_term_unemployed"])
def test_types_a_student_may_not_pick_are_refused(college, types, internal):
    error = refused(college, types, "economic", internal)

    assert (error.code, error.field) == (Code.TYPE_NOT_ALLOWED, "types")
    assert types[internal].name in error.message


def test_the_pickable_types_leave_out_the_internal_ones(types):
    codes = set(self_application_types().values_list("code", flat=True))

    assert codes == set(types) - {"model_risk", "long_term_unemployed"}
    assert "economic" in codes and "psychological" in codes


@pytest.mark.parametrize("note", ["", "   \n\t "])
def test_empty_reason_is_refused(college, types, note):
    error = refused(college, types, "economic", note=note)

    assert (error.code, error.field) == (Code.REASON_REQUIRED, "note")


def test_overlong_reason_is_refused(college, types):
    limit = services.SELF_APPLICATION_NOTE_MAX

    error = refused(college, types, "economic", note="难" * (limit + 1))

    assert (error.code, error.field) == (Code.REASON_TOO_LONG, "note")
    assert apply(college, types, "economic", note="难" * limit).status == "candidate"


@pytest.mark.parametrize(
    "persona", ["counsellor_a", "employment_officer", "school_officer_a", "mentor_a", "outsider"]
)
def test_staff_cannot_apply(college, types, persona):
    error = refused(college, types, "economic", persona=persona)

    assert error.code == Code.NOT_A_STUDENT


def test_the_applicant_is_always_the_actors_own_student(college, types):
    """No parameter names a student, and a student role widened beyond self is refused."""
    assert "student" not in inspect.signature(services.case_self_apply).parameters
    widened = college.personas["student_a"]
    widened.data_scope = DataScope.INSTITUTION
    widened.save()

    error = refused(college, types, "economic")

    assert error.code == Code.NOT_A_STUDENT
    assert not Case.objects.filter(student=college.student_b).exists()


def test_student_role_without_a_student_record_is_refused(college, types):
    actor = cast(RoleAssignment, RoleAssignmentFactory(
        user=UserFactory(username="2024019999"), role=Role.STUDENT, institution=college.institution
    ))  # fmt: skip

    with pytest.raises(DomainError) as info:
        services.case_self_apply(actor=actor, types=[types["economic"]], note=REASON)

    assert info.value.code == Code.NOT_A_STUDENT
    assert not Case.objects.exists()


def test_the_check_names_the_applicant_before_the_form_is_shown(college, types):
    assert services.case_self_apply_check(actor=college.personas["student_a"]) == college.student_a
    apply(college, types, "economic")

    with pytest.raises(DomainError) as info:
        services.case_self_apply_check(actor=college.personas["student_a"])

    assert info.value.code == Code.ALREADY_OPEN


def test_a_double_submission_that_passed_the_check_is_refused(college, types, monkeypatch):
    """Two submissions racing past the check: the one-open-case constraint stops the second."""
    from jingzhun.identification.services import cases

    first = apply(college, types, "economic")
    monkeypatch.setattr(cases, "case_self_apply_check", lambda *, actor: college.student_a)

    with pytest.raises(DomainError) as info:
        apply(college, types, "economic")

    assert info.value.code == Code.ALREADY_OPEN
    assert list(Case.objects.all()) == [first]
    assert CaseEvent.objects.count() == 1


def test_the_review_queue_marks_the_application_and_defaults_its_level_to_general(
    college, types, client
):
    from django.urls import reverse

    apply(college, types, "economic", "employability")
    client.force_login(college.user("counsellor_a"))

    page = client.get(reverse("identification:review")).content.decode()

    assert 'data-testid="origin"' in page and "bi-person-raised-hand" in page
    assert types["economic"].name in page and types["employability"].name in page
    assert '<option value="3" selected>' in page
    assert '<option value="1" selected>' not in page


def test_reviewers_read_the_students_words_unless_they_touch_restricted_data(
    college, types, client
):
    from django.urls import reverse

    apply(college, types, "economic", "employability")
    client.force_login(college.user("counsellor_a"))
    page = client.get(reverse("identification:review")).content.decode()
    assert 'data-testid="applicant-words"' in page and REASON in page

    Case.objects.all().update(status=Case.Status.DISMISSED)
    apply(college, types, "psychological")
    client.force_login(college.user("school_officer_a"))  # may not open psychological data
    page = client.get(reverse("identification:review")).content.decode()
    assert REASON not in page and "bi-lock" in page.split('data-testid="applicant-words"')[1][:200]


def test_reviewers_read_the_words_of_an_application_that_joined_a_run_candidate(
    college, types, client
):
    from django.urls import reverse

    unreviewed(college, types, Case.Origin.RUN)
    apply(college, types, "economic")
    client.force_login(college.user("counsellor_a"))  # may open psychological data
    page = client.get(reverse("identification:review")).content.decode()
    # the student's own event, not the run's note written first
    words = page.split('data-testid="applicant-words"')[1][:300]
    assert REASON in words and "心理筛查：重点关注" not in words
    assert 'data-testid="applied-types"' in page

"""Dismissals stick: a re-run does not reopen a dismissed student on the same evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.identification import services
from jingzhun.identification.models import Case, CaseEvent, DifficultyType, RunSchedule
from jingzhun.identification.selectors import earlier_decisions
from jingzhun.identification.services.dismissals import dismissal_holds_until
from jingzhun.identification.tests.test_identification import AS_OF, ruled, run  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("dismissed_on", "days", "until"),
    [(dt.date(2026, 12, 5), None, dt.date(2027, 2, 1)), (dt.date(2027, 1, 31), None, dt.date(2027, 2, 1)),
     (dt.date(2027, 3, 1), None, dt.date(2027, 9, 1)), (dt.date(2026, 12, 5), 30, dt.date(2027, 1, 4)),
     (dt.date(2026, 12, 5), 0, dt.date(2026, 12, 5))],
)  # fmt: skip
def test_a_dismissal_holds_until_the_next_term_or_for_the_set_days(dismissed_on, days, until):
    assert dismissal_holds_until(dismissed_on, days) == until


def _dismissed(ruled) -> Case:  # noqa: F811
    run(ruled)
    case = Case.objects.get(student=ruled.student_a)
    services.case_dismiss(actor=ruled.personas["counsellor_a"], case=case, reason="家访后排除")
    return case


def test_a_rerun_on_the_same_evidence_keeps_the_dismissal(ruled):  # noqa: F811
    dismissed = _dismissed(ruled)
    again = run(ruled)
    assert (again.new_cases, again.dismissals_kept) == (0, 1)
    assert list(Case.objects.filter(student=ruled.student_a).values_list("pk", "status")) == [
        (dismissed.pk, "dismissed")
    ]


def test_a_new_signal_type_reopens_with_the_earlier_decision(ruled):  # noqa: F811
    dismissed = _dismissed(ruled)
    dismissed.types.set([DifficultyType.objects.get(code="academic")])  # psych was not there
    again = run(ruled)
    assert (again.new_cases, again.dismissals_kept) == (1, 0)
    reopened = Case.objects.get(student=ruled.student_a, status="candidate")
    assert reopened.opened_run == again
    decision = earlier_decisions(student_ids=[ruled.student_a.pk])[ruled.student_a.pk]
    assert (decision.status, decision.by, decision.note) == ("dismissed", "张辅导员", "家访后排除")


def test_a_higher_level_reopens(ruled):  # noqa: F811
    dismissed = _dismissed(ruled)
    Case.objects.filter(pk=dismissed.pk).update(level=2)  # the run now says level 1
    assert run(ruled).new_cases == 1


def test_the_dismissal_lapses_after_the_set_days(ruled):  # noqa: F811
    dismissed = _dismissed(ruled)
    RunSchedule.objects.create(institution=ruled.institution, dismissal_days=10,
                               owner=ruled.user("employment_officer"))  # fmt: skip
    CaseEvent.objects.filter(case=dismissed, to_status="dismissed").update(
        at=dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)
    )
    assert dt.date(2026, 11, 26) == AS_OF  # the run sees 16 days later: lapsed
    again = run(ruled)
    assert (again.new_cases, again.dismissals_kept) == (1, 0)


def test_an_exit_does_not_hold_back_a_new_flag(ruled):  # noqa: F811
    run(ruled)
    case = Case.objects.get(student=ruled.student_a)
    counsellor = ruled.personas["counsellor_a"]
    services.case_confirm(actor=counsellor, case=case, types=list(case.types.all()), level=1)
    services.case_exit(actor=counsellor, case=case, reason="employed")
    assert run(ruled).new_cases == 1

"""Batch operations act only on the actor's scope and record a result per student."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from jingzhun.assistance.models import AssistancePlan, Measure
from jingzhun.assistance.services import catalogue, plans
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.core.errors import DomainError
from jingzhun.core.models import Job
from jingzhun.identification.models import Case
from jingzhun.notifications.models import Notification
from jingzhun.students.models import MentorAssignment, Student
from jingzhun.tracking.batches.models import BatchItem, BatchOperation
from jingzhun.tracking.batches.selectors import BatchFilters, batch_students
from jingzhun.tracking.batches.services import BATCH_JOB, batch_execute, batch_start
from jingzhun.tracking.batches.stages import Stage, final_cohort, stage_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cohort", "today", "stage"),
    [
        (2027, dt.date(2026, 9, 1), Stage.FINAL),
        (2027, dt.date(2026, 8, 31), Stage.EARLY),
        (2026, dt.date(2026, 8, 31), Stage.FINAL),
        (2026, dt.date(2026, 9, 1), Stage.GRADUATED),
        (2029, dt.date(2027, 3, 1), Stage.EARLY),
    ],
)
def test_stage_turns_on_the_first_of_september(cohort, today, stage):
    assert stage_of(cohort, today) == stage
    assert final_cohort(dt.date(2026, 12, 5)) == 2027


def _results(operation: BatchOperation) -> dict[int, tuple[str, str]]:
    return {i.student_id: (i.outcome, i.student_name) for i in operation.items.all()}


def test_a_crafted_filter_or_id_outside_the_scope_is_never_touched(college):
    counsellor = college.personas["counsellor_a"]
    crafted = BatchFilters(school=college.school_b.pk)
    assert batch_students(actor=counsellor, filters=crafted).count() == 0
    with pytest.raises(DomainError):
        batch_start(actor=counsellor, kind="message", filters=crafted, params={"title": "通知"})

    ids = (college.student_a.pk, college.student_b.pk)
    operation = batch_start(actor=counsellor, kind="assign_mentor", filters=BatchFilters(ids=ids),
                            params={"mentor": college.user("mentor_a").pk})  # fmt: skip
    MentorAssignment.objects.all().delete()
    operation = batch_execute(operation_id=operation.pk)

    assert (operation.status, operation.total, operation.done, operation.skipped) == (
        "finished",
        2,
        1,
        1,
    )
    assert _results(operation) == {college.student_a.pk: ("done", "王小明"),
                                   college.student_b.pk: ("skipped", "")}  # fmt: skip
    assert list(MentorAssignment.objects.values_list("student_id", flat=True)) == [
        college.student_a.pk
    ]
    assert Job.objects.filter(kind=BATCH_JOB, subject_id=operation.pk).count() == 1


def test_assign_makes_the_mentor_responsible_for_an_open_case_and_skips_repeats(college):
    case = confirmed_case(college)
    actor = college.personas["school_officer_a"]
    params = {"mentor": college.user("mentor_a").pk}

    first = batch_execute(operation_id=batch_start(
        actor=actor, kind="assign_mentor", filters=BatchFilters(cohort=2027), params=params).pk)  # fmt: skip
    second = batch_execute(operation_id=batch_start(
        actor=actor, kind="assign_mentor", filters=BatchFilters(cohort=2027), params=params).pk)  # fmt: skip

    case.refresh_from_db()
    assert case.responsible == college.user("mentor_a")
    assert [i.outcome for i in first.items.all()] == ["done"]
    assert [i.outcome for i in second.items.all()] == ["skipped"]


def test_add_measure_goes_through_the_plan_services(college):
    catalogue.catalogue_ensure(institution_id=college.institution.pk)
    case = confirmed_case(college)
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=case)
    confirmed_case(college, student=college.student_b, responsible="employment_officer")
    measure = Measure.objects.get(institution=college.institution, code="tutoring")
    officer = college.personas["employment_officer"]

    operation = batch_execute(operation_id=batch_start(
        actor=officer, kind="add_measure", filters=BatchFilters(), params={"measure": measure.pk}).pk)  # fmt: skip
    again = batch_execute(operation_id=batch_start(
        actor=officer, kind="add_measure", filters=BatchFilters(), params={"measure": measure.pk}).pk)  # fmt: skip

    assert {k: v[0] for k, v in _results(operation).items()} == {
        college.student_a.pk: "done",
        college.student_b.pk: "skipped",
    }  # B has no plan
    plan.refresh_from_db()
    assert plan.status == AssistancePlan.Status.DRAFT
    version = plan.current_version
    assert version is not None
    assert measure.pk in version.items.values_list("measure_id", flat=True)
    assert _results(again)[college.student_a.pk][0] == "skipped"


def test_a_failing_student_does_not_stop_the_others(college, monkeypatch):
    from jingzhun.tracking.batches import services

    def explode(actor, student, params, operation):
        if student.pk == college.student_a.pk:
            raise DomainError("x.y", "不行")
        return "done", "ok"

    monkeypatch.setitem(services.HANDLERS, "export", explode)
    operation = batch_execute(operation_id=batch_start(
        actor=college.personas["employment_officer"], kind="export", filters=BatchFilters(),
        params={}).pk)  # fmt: skip

    assert (operation.done, operation.failed) == (1, 1)
    assert BatchItem.objects.get(operation=operation, outcome="failed").message == "不行"


def test_message_reaches_students_with_an_account_once(college):
    officer = college.personas["employment_officer"]
    operation = batch_start(actor=officer, kind="message", filters=BatchFilters(),
                            params={"title": "招聘会通知", "body": "周五下午"})  # fmt: skip

    batch_execute(operation_id=operation.pk)
    BatchOperation.objects.filter(pk=operation.pk).update(status="failed")
    operation = batch_execute(operation_id=operation.pk)  # a retry sends nothing twice

    assert Notification.objects.filter(recipient=college.student_a.user).count() == 1
    assert {k: v[0] for k, v in _results(operation).items()} == {
        college.student_a.pk: "skipped",
        college.student_b.pk: "skipped",
    }  # sent before; no account


def test_export_writes_the_ledger_without_formulas(college):
    Student.objects.filter(pk=college.student_a.pk).update(name='=HYPERLINK("x")')
    confirmed_case(college, level=1)
    counsellor = college.personas["counsellor_a"]

    operation = batch_execute(operation_id=batch_start(
        actor=counsellor, kind="export", filters=BatchFilters(), params={}).pk)  # fmt: skip

    book = CalamineWorkbook.from_filelike(io.BytesIO(operation.export.read()))
    rows = book.get_sheet_by_index(0).to_python()
    assert len(rows) == 2  # the header and student A only: B is outside the scope
    # Written as text: a formula cell would read back as its (empty) cached result.
    assert rows[1][1] == '=HYPERLINK("x")'
    assert Case.objects.count() == 1


def test_push_postings_reaches_each_student_in_scope_once(college):
    from jingzhun.jobs.models import Employer, JobPush
    from jingzhun.jobs.tests.helpers import posting

    counsellor = college.personas["counsellor_a"]
    first, second = posting(college, "岗位甲"), posting(college, "岗位乙")
    blacklisted = posting(college, "岗位丙", employer=Employer.objects.create(
        institution=college.institution, name="某黑名单公司", name_key="某黑名单",
        vetting=Employer.Vetting.BLACKLISTED))  # fmt: skip
    for refused in ([], [blacklisted.pk], [first.pk, 10**9]):
        with pytest.raises(DomainError):
            batch_start(actor=counsellor, kind="push_postings", filters=BatchFilters(),
                        params={"postings": refused})  # fmt: skip
    with pytest.raises(DomainError):  # a role that may not push
        batch_start(actor=college.personas["leader"], kind="push_postings",
                    filters=BatchFilters(), params={"postings": [first.pk]})  # fmt: skip

    ids = (college.student_a.pk, college.student_b.pk)  # B is outside her classes
    params = {"postings": [first.pk, second.pk]}
    operation = batch_start(actor=counsellor, kind="push_postings",
                            filters=BatchFilters(ids=ids), params=params)  # fmt: skip
    operation = batch_execute(operation_id=operation.pk)

    results = _results(operation)
    assert results[college.student_a.pk][0] == BatchItem.Outcome.DONE
    assert results[college.student_b.pk][0] == BatchItem.Outcome.SKIPPED
    assert set(JobPush.objects.values_list("student_id", "posting_id")) == {
        (college.student_a.pk, first.pk), (college.student_a.pk, second.pk)}  # fmt: skip

    again = batch_execute(operation_id=batch_start(
        actor=counsellor, kind="push_postings", filters=BatchFilters(ids=ids), params=params).pk)  # fmt: skip
    assert _results(again)[college.student_a.pk][0] == BatchItem.Outcome.SKIPPED
    assert JobPush.objects.count() == 2


def test_roles_without_batch_work_are_refused(college):
    for persona in ("mentor_a", "aid_staff", "leader", "student_a"):
        with pytest.raises(DomainError):
            batch_start(
                actor=college.personas[persona], kind="export", filters=BatchFilters(), params={}
            )


def test_the_task_runs_the_operation_as_a_long_job(college):
    from jingzhun.tracking.batches.tasks import batch_operation_task

    operation = batch_start(actor=college.personas["counsellor_a"], kind="export",
                            filters=BatchFilters(), params={})  # fmt: skip

    assert batch_operation_task.call(operation.pk) == "finished"
    job = Job.objects.get(kind=BATCH_JOB, subject_id=operation.pk)
    assert (job.status, job.done, job.total) == (Job.Status.SUCCEEDED, 1, 1)

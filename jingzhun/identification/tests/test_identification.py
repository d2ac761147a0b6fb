"""Runs, signals, cases and review: through the services, the worker and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification import services
from jingzhun.identification.models import (
    Case,
    CaseEvent,
    DifficultyType,
    IdentificationRun,
    Signal,
)
from jingzhun.identification.transitions import ALLOWED, can_move
from jingzhun.students.models import Internship, JobIntention
from jingzhun.students.tests.factories import AcademicResultFactory, PsychScreeningFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 26)


@pytest.fixture
def ruled(college):
    services.rules_seed_defaults(
        actor=college.personas["employment_officer"], effective_from=dt.date(2026, 9, 1)
    )
    AcademicResultFactory(student=college.student_a, term="2025-2026-1", failed_courses=2)
    AcademicResultFactory(student=college.student_a, term="2025-2026-2", failed_courses=3)
    PsychScreeningFactory(student=college.student_a, level="key")
    for student in (college.student_a, college.student_b):  # job-ready: only the rules above fire
        Internship.objects.create(
            student=student, employer_name="郑州宇通客车", start_date=dt.date(2026, 3, 1)
        )
        JobIntention.objects.create(
            student=student, recorded_on=dt.date(2026, 10, 1), plan="employment"
        )
    return college


def run(college) -> IdentificationRun:
    actor = college.personas["employment_officer"]
    started = IdentificationRun.objects.create(
        institution=college.institution, as_of=AS_OF, started_by=actor.user
    )
    return services.run_execute(run_id=started.pk)


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [("candidate", "confirmed", True), ("candidate", "dismissed", True), ("candidate", "exited", False),
     ("confirmed", "in_assistance", True), ("confirmed", "candidate", False), ("exit_proposed", "in_assistance", True),
     ("exited", "confirmed", False), ("dismissed", "candidate", False)],
)  # fmt: skip
def test_transition_table(current, target, ok):
    assert can_move(current, target) is ok
    assert set(ALLOWED) == {c.value for c in Case.Status}


def test_run_flags_with_readable_reasons_and_opens_candidates(ruled):
    result = run(ruled)
    assert (result.status, result.students, result.new_cases) == ("finished", 2, 1)
    explanations = sorted(
        Signal.objects.filter(student=ruled.student_a).values_list("rule__name", "explanation")
    )
    assert explanations == [
        ("心理筛查重点关注", "心理筛查结果：重点关注"),
        ("近两学期不及格课程较多", "近两学期不及格课程 5 门（阈值 ≥3）"),
    ]
    case = Case.objects.get(student=ruled.student_a)
    assert (case.status, case.level, case.origin) == ("candidate", 1, "run")
    assert sorted(case.types.values_list("code", flat=True)) == ["academic", "psychological"]
    assert Signal.objects.get(rule__name="心理筛查重点关注").sensitivity == "psychological"
    assert not Case.objects.filter(student=ruled.student_b).exists()


def test_rerunning_a_finished_run_changes_nothing(ruled):
    first = run(ruled)
    again = services.run_execute(run_id=first.pk)
    assert again.signal_count == 2
    assert Signal.objects.count() == 2


def test_a_second_run_keeps_the_open_case_and_proposes_exit_when_signals_vanish(ruled):
    run(ruled)
    case = Case.objects.get(student=ruled.student_a)
    services.case_confirm(
        actor=ruled.personas["counsellor_a"], case=case, types=list(case.types.all()), level=1
    )
    assert run(ruled).new_cases == 0  # still flagged: the same open case
    ruled.student_a.academic_results.update(failed_courses=0)
    ruled.student_a.psych_screenings.update(level="normal")
    third = run(ruled)
    case.refresh_from_db()
    assert (third.proposed_exits, case.status) == (1, "exit_proposed")
    assert list(case.events.values_list("from_status", "to_status")) == [
        ("", "candidate"), ("candidate", "confirmed"), ("confirmed", "exit_proposed"),
    ]  # fmt: skip


def test_dismiss_needs_a_reason_and_is_audited(ruled):
    run(ruled)
    case = Case.objects.get(student=ruled.student_a)
    counsellor = ruled.personas["counsellor_a"]
    with pytest.raises(DomainError) as exc:
        services.case_dismiss(actor=counsellor, case=case, reason="  ")
    assert exc.value.code == "case.reason_required"
    assert Case.objects.get(pk=case.pk).status == "candidate"
    services.case_dismiss(actor=counsellor, case=case, reason="已落实专升本")
    assert Case.objects.get(pk=case.pk).dismiss_reason == "已落实专升本"
    assert AuditLog.objects.get(object_type="identification.case").detail == {"to": "dismissed"}


def test_refused_transition_writes_no_event(ruled):
    run(ruled)
    case = Case.objects.get(student=ruled.student_a)
    with pytest.raises(DomainError) as exc:
        services.case_exit(actor=ruled.personas["counsellor_a"], case=case, reason="employed")
    assert exc.value.code == "case.bad_transition"
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_out_of_scope_reviewer_is_refused(ruled):
    run(ruled)
    case = Case.objects.get(student=ruled.student_a)
    outsider = ruled.personas["outsider"]
    with pytest.raises(DomainError) as exc:
        services.case_confirm(actor=outsider, case=case, types=[], level=1)
    assert exc.value.code == "case.out_of_scope"


def test_manual_addition_enters_as_candidate_once(ruled):
    counsellor = ruled.personas["counsellor_a"]
    economic = DifficultyType.objects.get(code="economic")
    case = services.case_add_manual(
        actor=counsellor, student=ruled.student_a, types=[economic], level=2, note="家访发现"
    )
    assert (case.status, case.origin) == ("candidate", "manual")
    with pytest.raises(DomainError) as exc:
        services.case_add_manual(
            actor=counsellor, student=ruled.student_a, types=[economic], level=2, note="again"
        )
    assert exc.value.code == "case.already_open"


def test_manual_addition_takes_no_origin_and_is_always_manual():
    import inspect

    assert "origin" not in inspect.signature(services.case_add_manual).parameters


@pytest.mark.parametrize(
    ("level", "note", "code", "field"),
    [
        (9, "家访发现", "case.bad_level", "level"),
        (0, "家访发现", "case.bad_level", "level"),
        (2, "难" * 1001, "case.reason_too_long", "note"),
    ],
)
def test_manual_addition_refuses_an_unknown_level_or_an_overlong_note(
    ruled, level, note, code, field
):
    economic = DifficultyType.objects.get(code="economic")

    with pytest.raises(DomainError) as exc:
        services.case_add_manual(actor=ruled.personas["counsellor_a"], student=ruled.student_a,
                                 types=[economic], level=level, note=note)  # fmt: skip

    assert (exc.value.code, exc.value.field) == (code, field)
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


def test_manual_addition_takes_a_note_of_the_longest_length(ruled):
    economic = DifficultyType.objects.get(code="economic")

    case = services.case_add_manual(actor=ruled.personas["counsellor_a"], student=ruled.student_a,
                                    types=[economic], level=1, note="难" * 1000)  # fmt: skip

    assert (case.level, case.origin) == (1, "manual")
    assert len(CaseEvent.objects.get(case=case).note) == 1000


def test_the_manual_add_page_does_not_save_level_9(ruled, client):
    client.force_login(ruled.user("counsellor_a"))
    economic = DifficultyType.objects.get(code="economic")

    response = client.post(
        reverse("identification:case-add"),
        {"student_number": ruled.student_a.student_number, "types": [economic.pk],
         "note": "家访发现", "level": "9"},
    )  # fmt: skip

    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_run_through_the_page_and_the_worker_then_review_and_confirm(ruled, client):
    client.force_login(ruled.user("employment_officer"))
    client.post(reverse("identification:run-list"), {"cohort": "", "school": ""})
    call_command("worker", "--batch", "--interval", "0")
    assert IdentificationRun.objects.get().status == "finished"

    client.force_login(ruled.user("school_officer_a"))  # may not see psychological details
    page = client.get(reverse("identification:review")).content.decode()
    assert "近两学期不及格课程 5 门（阈值 ≥3）" in page
    assert "心理筛查结果" not in page
    assert "bi-lock" in page

    client.force_login(ruled.user("counsellor_a"))
    assert "心理筛查结果：重点关注" in client.get(reverse("identification:review")).content.decode()
    case = Case.objects.get()
    client.post(
        reverse("identification:case-action", args=[case.pk, "confirm"]),
        {"level": "1", "types": list(case.types.values_list("pk", flat=True))},
    )
    case.refresh_from_db()
    assert (case.status, case.responsible) == ("confirmed", ruled.user("counsellor_a"))


@pytest.mark.django_db(transaction=True)
def test_a_run_reports_each_phase_committed_as_it_starts(ruled, monkeypatch):
    from django.db import connection

    from jingzhun.identification.services import runs

    seen = []

    def observe(name, real):
        def step(*args, **kwargs):
            row = IdentificationRun.objects.get()
            seen.append((name, row.status, row.phase, row.progress, connection.in_atomic_block))
            return real(*args, **kwargs)

        return step

    for name in ("feature_frame", "_rule_signals", "_model_signals", "_store_signals"):
        monkeypatch.setattr(runs, name, observe(name, getattr(runs, name)))
    result = run(ruled)
    assert seen == [
        ("feature_frame", "running", "snapshot", 5, False),
        ("_rule_signals", "running", "rules", 35, False),
        ("_model_signals", "running", "model", 40, False),
        ("_store_signals", "running", "writing", 65, True),  # only the writing is atomic
    ]
    assert (result.status, result.phase, result.progress) == ("finished", "", 100)
    assert result.started_at is not None
    result.refresh_from_db()
    assert (result.status, result.phase, result.signal_count) == ("finished", "", 2)


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_writing_marks_the_run_failed_and_writes_nothing(ruled, monkeypatch):
    from jingzhun.identification.services import runs

    def broken(*args, **kwargs):
        raise RuntimeError("disk full\nsecond line")

    monkeypatch.setattr(runs, "_merge_cases", broken)  # after the signals were inserted
    with pytest.raises(RuntimeError):
        run(ruled)
    failed = IdentificationRun.objects.get()
    assert (failed.status, failed.phase, failed.failure) == (
        "failed",
        "",
        "RuntimeError: disk full",
    )
    assert (Signal.objects.count(), Case.objects.count(), failed.progress) == (0, 0, 0)

    monkeypatch.undo()  # the cause is fixed: executing the same run again completes it
    again = services.run_execute(run_id=failed.pk)
    assert (again.status, again.failure, again.signal_count, Case.objects.count()) == (
        "finished", "", 2, 1,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_run_finished_by_another_worker_meanwhile_is_not_written_twice(ruled, monkeypatch):
    from jingzhun.identification.services import runs

    real = runs._rule_signals

    def finished_elsewhere(*args, **kwargs):  # a second worker completes the run meanwhile
        IdentificationRun.objects.update(status="finished", signal_count=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "_rule_signals", finished_elsewhere)
    result = run(ruled)
    assert (result.status, result.phase, result.signal_count) == ("finished", "rules", 2)
    assert Signal.objects.count() == 0  # this worker wrote nothing (the other one's are elsewhere)
    assert IdentificationRun.objects.get().status == "finished"  # not reopened as running


def test_runs_page_polls_while_a_run_is_active_and_shows_progress_and_failures(ruled, client):
    officer = ruled.user("employment_officer")
    client.force_login(officer)
    running = IdentificationRun.objects.create(
        institution=ruled.institution, as_of=AS_OF, started_by=officer,
        status="running", phase="model",
    )  # fmt: skip
    page = client.get(reverse("identification:run-list")).content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert "模型评分与原因生成" in page and 'value="40" max="100"' in page
    rows = client.get(reverse("identification:run-list"), {"rows": "1"}).content.decode()
    assert rows.startswith('<tbody id="run-rows"') and "<form" not in rows

    running.status, running.phase, running.failure = "failed", "", "RuntimeError: disk full"
    running.save()
    page = client.get(reverse("identification:run-list")).content.decode()
    assert "RuntimeError: disk full" in page
    assert 'hx-trigger="every 3s"' not in page  # nothing active: no polling

    # A run left "running" by a killed worker stops the polling after two hours, and says so.
    from django.utils import timezone

    running.status, running.phase = "running", "snapshot"
    running.started_at = timezone.now() - dt.timedelta(hours=2, minutes=1)
    running.save()
    page = client.get(reverse("identification:run-list")).content.decode()
    assert 'hx-trigger="every 3s"' not in page
    assert 'data-testid="run-interrupted"' in page and "后台任务程序已停止" in page
    assert reverse("identification:run-retry", args=[running.pk]) in page
    running.started_at = timezone.now() - dt.timedelta(minutes=5)
    running.save()
    assert (
        'hx-trigger="every 3s"' in client.get(reverse("identification:run-list")).content.decode()
    )


def test_bulk_confirm_a_class(ruled, client):
    run(ruled)
    client.force_login(ruled.user("counsellor_a"))
    client.post(reverse("identification:case-bulk"),
                {"class_group": ruled.class_a.pk, "scope": "all", "action": "confirm"})  # fmt: skip
    assert list(Case.objects.values_list("status", flat=True)) == ["confirmed"]


def test_counsellor_adds_a_student_by_hand(college, client):
    from jingzhun.identification.models import DifficultyType

    services.difficulty_types_ensure()
    economic = DifficultyType.objects.get(code="economic")
    client.force_login(college.user("counsellor_a"))
    url = reverse("identification:case-add")
    refused = client.post(
        url,
        {
            "student_number": college.student_b.student_number,
            "types": [economic.pk],
            "note": "家访",
        },
    )
    assert refused.status_code == 400 and not Case.objects.exists()  # class B is not hers
    missing = client.post(url, {"student_number": college.student_a.student_number})
    assert missing.status_code == 400 and not Case.objects.exists()
    response = client.post(url, {"student_number": college.student_a.student_number, "types": [economic.pk],
                                 "level": "2", "note": "家访得知父亲失业"})  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.student, case.origin, case.level, case.status) == (
        college.student_a,
        "manual",
        2,
        "candidate",
    )
    assert list(case.types.all()) == [economic]
    assert case.events.get().note == "家访得知父亲失业"
    again = client.post(
        url,
        {"student_number": college.student_a.student_number, "types": [economic.pk], "note": "x"},
    )
    assert again.status_code == 400 and Case.objects.count() == 1

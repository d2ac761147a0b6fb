"""The demo's pushes: nothing without postings (and it says so), then up to three postings per
active case with a mix of answers from students who can log in, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from conftest import College
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.jobs.models import JobPush
from jingzhun.jobs.push_demo import seed_push_demo
from jingzhun.jobs.tests.helpers import posting

pytestmark = pytest.mark.django_db


def test_without_postings_the_demo_pushes_nothing_and_says_why(college: College):
    confirmed_case(college)
    result = seed_push_demo(institution_code=college.institution.code)
    assert (result.pushes, result.message) == (0, "no active postings to push yet")
    assert not JobPush.objects.exists()


def test_the_demo_pushes_to_active_cases_with_answers_once(college: College):
    confirmed_case(college)
    confirmed_case(college, student=college.student_b, responsible="school_officer_a", signal=False)
    for n in range(4):
        posting(college, f"岗位{n}")

    result = seed_push_demo(institution_code=college.institution.code)

    assert (result.pushes, result.message) == (6, "")
    assert JobPush.objects.filter(student=college.student_a).count() == 3
    assert JobPush.objects.filter(student=college.student_b).count() == 3
    # Each student answers in turn: A (who logs in) applied, interview and only viewed; B (no
    # login, answers recorded as given outside the portal) interested, declined, not opened.
    mine = JobPush.objects.filter(student=college.student_a).order_by("pk")
    assert [p.response for p in mine] == ["applied", "interview", "viewed"]
    theirs = JobPush.objects.filter(student=college.student_b).order_by("pk")
    assert [(p.response, p.decline_reason) for p in theirs] == [
        ("interested", ""), ("declined", "place"), ("sent", "")]  # fmt: skip
    assert result.answered == 5
    again = seed_push_demo(institution_code=college.institution.code)
    assert (again.pushes, again.message) == (0, "pushes already present")


def test_the_command_reports_what_it_did(college: College, capsys, monkeypatch):
    monkeypatch.setattr("jingzhun.jobs.management.commands.seed_jobs_push_demo.INSTITUTION_CODE",
                        college.institution.code)  # fmt: skip
    call_command("seed_jobs_push_demo")
    assert "no active postings" in capsys.readouterr().out

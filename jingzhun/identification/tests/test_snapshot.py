"""The feature snapshot sees a student as known on a day: later records do not count."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from jingzhun.identification.snapshot import feature_frame, feature_frame_at
from jingzhun.students.models import FamilyEconomicStatus, Internship, JobIntention, Student
from jingzhun.students.tests.factories import AcademicResultFactory, PsychScreeningFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 26)


@pytest.fixture
def history(college):
    student = college.student_a  # cohort 2027: final year in the autumn of 2026
    for term, failed in (("2025-2026-1", 2), ("2025-2026-2", 3), ("2026-2027-1", 4)):
        AcademicResultFactory(student=student, term=term, failed_courses=failed)
    PsychScreeningFactory(student=student, screened_on=dt.date(2025, 10, 10), level="normal")
    PsychScreeningFactory(student=student, screened_on=dt.date(2026, 12, 1), level="key")
    Internship.objects.create(
        student=student, employer_name="郑州宇通客车", start_date=dt.date(2026, 12, 1)
    )
    JobIntention.objects.create(student=student, recorded_on=dt.date(2026, 10, 20), plan="not_yet")
    FamilyEconomicStatus.objects.create(
        student=student, academic_year="2026-2027", level="difficult"
    )
    return college


def test_a_run_sees_only_what_was_known_on_its_day(history):
    frame = feature_frame(Student.objects.filter(pk=history.student_a.pk), as_of=AS_OF)
    row = frame.loc[history.student_a.pk]
    # Term 2026-2027-1 is published in February; the December screening and internship later.
    assert (row["failed_courses_last2"], row["failed_courses_total"]) == (5, 5)
    assert (row["psych_level"], row["internships"], row["intention_plan"]) == (
        "normal",
        0,
        "not_yet",
    )
    # An assessment without a date counts from 1 October of its academic year.
    assert (row["economic_level"], row["years_to_graduation"]) == ("difficult", 0)


def test_one_student_at_several_points(history):
    pk = history.student_a.pk
    points = pd.DataFrame(
        {"student_id": [pk, pk], "as_of": [dt.date(2026, 3, 1), dt.date(2027, 3, 1)]},
        index=[10, 11],
    )
    frame = feature_frame_at(Student.objects.filter(pk=pk), points)
    assert frame.index.tolist() == [10, 11]
    assert frame["failed_courses_last2"].tolist() == [2, 7]
    assert frame["failed_courses_total"].tolist() == [2, 9]
    assert frame["psych_level"].tolist() == ["normal", "key"]
    assert frame["internships"].tolist() == [0, 1]
    assert frame["intention_plan"].tolist() == ["", "not_yet"]
    assert frame["economic_level"].isna().tolist() == [True, False]
    assert frame["years_to_graduation"].tolist() == [1, 0]


def test_a_student_without_records_has_zero_counts_and_no_values(college):
    frame = feature_frame(Student.objects.filter(pk=college.student_b.pk), as_of=AS_OF)
    row = frame.loc[college.student_b.pk]
    assert (row["failed_courses_last2"], row["internships"], row["has_disability"]) == (0, 0, False)
    assert pd.isna(row["gpa_latest"]) and pd.isna(row["psych_level"])
    assert row["intention_plan"] == ""


def test_text_and_date_columns_for_rules(history):
    pk = history.student_a.pk
    student = history.student_a
    Student.objects.filter(pk=pk).update(hukou_region_code="411522")
    JobIntention.objects.create(student=student, recorded_on=dt.date(2027, 1, 5), plan="employment")
    points = pd.DataFrame(
        {"student_id": [pk, pk], "as_of": [dt.date(2026, 3, 1), dt.date(2026, 11, 26)]},
        index=[10, 11],
    )
    frame = feature_frame_at(Student.objects.filter(pk=pk), points)
    assert frame["major_name"].tolist() == [student.major.name] * 2
    assert frame["hukou_region_code"].tolist() == ["411522", "411522"]
    # the latest registration known at each point: none yet, then 20 October (not January)
    assert pd.isna(frame.loc[10, "intention_recorded_on"])
    assert frame.loc[11, "intention_recorded_on"] == pd.Timestamp("2026-10-20")
    assert frame["as_of"].tolist() == [pd.Timestamp("2026-03-01"), pd.Timestamp("2026-11-26")]


def test_behaviour_features_are_read_for_the_population_only(college):
    """The snapshot's rows are filtered in SQL by the population (a subquery), with the same
    values as when read for everyone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jingzhun.students.models import BehaviourFeatures, BehaviourSnapshot

    snapshot = BehaviourSnapshot.objects.create(
        institution=college.institution, version=1, as_of=dt.date(2026, 7, 1), columns=[]
    )
    for student, value in ((college.student_a, 6.5), (college.student_b, 3.0)):
        BehaviourFeatures.objects.create(snapshot=snapshot, student=student, term="2026-2027-1",
                                         values={"meal_cost_mean": value})  # fmt: skip
    everyone = feature_frame(Student.objects.all(), as_of=AS_OF)
    with CaptureQueriesContext(connection) as queries:
        one = feature_frame(Student.objects.filter(pk=college.student_a.pk), as_of=AS_OF)
    assert one.loc[college.student_a.pk, "meal_cost_mean"] == 6.5
    assert everyone.loc[college.student_b.pk, "meal_cost_mean"] == 3.0
    pd.testing.assert_series_equal(
        one.loc[college.student_a.pk], everyone.loc[college.student_a.pk]
    )
    table = BehaviourFeatures._meta.db_table
    (sql,) = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert 'IN (SELECT U0."id" FROM' in sql  # a subquery, not a list of ids

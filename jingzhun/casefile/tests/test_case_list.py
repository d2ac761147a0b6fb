"""帮扶对象台账: the confirmed students a counsellor could not find before, within scope,
filtered, sorted, counted, paged and exported."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from jingzhun.casefile.tests.helpers import case_of, new_student, run_of
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import Case, Level

pytestmark = pytest.mark.django_db


def numbers(client, **params) -> list[str]:
    response = client.get(reverse("casefile:case-list"), params)
    assert response.status_code == 200
    return [c.student.student_number for c, _days in response.context["rows"]]


@pytest.fixture
def cases(college):
    """Class A: three confirmed cases (one a self-application) and a dismissed one; class B:
    one confirmed case of the other school."""
    counsellor = college.user("counsellor_a")
    a1 = new_student(class_group=college.class_a, student_number="2024010011", name="赵一")
    a2 = new_student(class_group=college.class_a, student_number="2024010012", name="钱二")
    a3 = new_student(class_group=college.class_a, student_number="2024010013", name="孙三")
    run = run_of(college)
    return {
        "a1": case_of(a1, level=1, codes=("economic",), responsible=counsellor, run=run, days_ago=3),
        "a2": case_of(a2, level=3, responsible=college.user("school_officer_a"), run=run, days_ago=10),
        "a3": case_of(a3, level=2, codes=("academic",), responsible=counsellor,
                      origin=Case.Origin.SELF_APPLICATION, by=a3.user, days_ago=0),
        "closed": case_of(college.student_a, status=Case.Status.DISMISSED, level=None),
        "b": case_of(college.student_b, level=1, responsible=college.user("employment_officer")),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("counsellor_a", ["2024010011", "2024010012", "2024010013"]),
        ("school_officer_a", ["2024010011", "2024010012", "2024010013"]),
        ("employment_officer", ["2024010011", "2024010012", "2024010013", "2024020001"]),
        ("mentor_a", []),  # the mentor's one student has only a dismissed case
        ("outsider", []),
    ],
)
def test_the_list_shows_the_open_cases_of_the_scope(college, cases, client, persona, expected):
    client.force_login(college.user(persona))
    assert sorted(numbers(client)) == expected


def test_filters(college, cases, client):
    client.force_login(college.user("employment_officer"))
    types = {t.code: t.pk for t in cases["a1"].types.model.objects.all()}
    assert numbers(client, status="dismissed") == ["2024010001"]
    assert sorted(numbers(client, status="all")) == [
        "2024010001", "2024010011", "2024010012", "2024010013", "2024020001"]  # fmt: skip
    assert numbers(client, difficulty_type=types["economic"]) == ["2024010011"]
    assert sorted(numbers(client, level=1)) == ["2024010011", "2024020001"]
    assert numbers(client, school=college.school_b.pk) == ["2024020001"]
    assert sorted(numbers(client, class_group=college.class_a.pk)) == [
        "2024010011", "2024010012", "2024010013"]  # fmt: skip
    assert numbers(client, origin="self") == ["2024010013"]
    assert numbers(client, responsible="me") == ["2024020001"]
    assert numbers(client, q="钱") == ["2024010012"]
    assert numbers(client, q="2024010011") == ["2024010011"]


def test_responsible_me_is_the_counsellor_herself(college, cases, client):
    client.force_login(college.user("counsellor_a"))
    assert numbers(client, responsible="me", sort="student") == ["2024010011", "2024010013"]


def test_a_school_outside_the_scope_cannot_widen_it(college, cases, client):
    client.force_login(college.user("counsellor_a"))
    assert sorted(numbers(client, school=college.school_b.pk)) == sorted(numbers(client))


def test_sorting(college, cases, client):
    client.force_login(college.user("counsellor_a"))
    assert numbers(client, sort="level") == ["2024010011", "2024010013", "2024010012"]
    assert numbers(client, sort="-level") == ["2024010012", "2024010013", "2024010011"]
    assert numbers(client, sort="last_event") == ["2024010012", "2024010011", "2024010013"]
    assert numbers(client, sort="-student") == ["2024010013", "2024010012", "2024010011"]
    assert numbers(client, sort="nonsense") == numbers(client)  # the default order


def test_columns_total_and_days_since_the_last_event(college, cases, client):
    client.force_login(college.user("counsellor_a"))
    response = client.get(reverse("casefile:case-list"), {"sort": "student"})
    rows = response.context["rows"]
    assert [days for _case, days in rows] == [3, 10, 0]
    first = rows[0][0]
    assert (first.status, first.level, first.responsible.display_name, first.origin) == (
        "confirmed", 1, "张辅导员", "run")  # fmt: skip
    body = response.content.decode()
    with translation.override("zh-hans"):
        assert f'data-testid="case-status">{Case.Status.CONFIRMED.label}<' in body
        assert f"<td>{Level.KEY.label}</td>" in body
    with translation.override("zh-hans"):
        total = translation.ngettext(
            "%(counter)s assisted student in total", "%(counter)s assisted students in total", 3
        ) % {"counter": 3}
    assert f'data-testid="total">{total}<' in body
    assert "---------" not in body
    # The sort links keep the filters and toggle the direction of the current column.
    assert response.context["sort_links"]["student"] == "sort=-student"
    assert response.context["sort_links"]["level"] == "sort=level"


def test_filters_stay_in_the_url_of_the_sort_links(college, cases, client):
    client.force_login(college.user("counsellor_a"))
    response = client.get(
        reverse("casefile:case-list"), {"level": "1", "sort": "level", "page": "1"}
    )
    assert response.context["sort_links"]["level"] == "level=1&sort=-level"
    assert response.context["querystring"] == "level=1&sort=level"


def test_query_count_does_not_grow_with_rows(college, cases, client, django_assert_num_queries):
    client.force_login(college.user("employment_officer"))
    # session, user, role assignments, form choices (types, schools, classes and cohorts), count, rows,
    # their types; the later stages' figures (jobs: the threshold and the push counts, 2); the
    # session saved again (idle timeout: update and its savepoint, 3)
    with django_assert_num_queries(14):
        client.get(reverse("casefile:case-list"))
    for n in range(30):
        student = new_student(class_group=college.class_a, student_number=f"20240109{n:02d}")
        case_of(student, codes=("economic", "academic"))
    with django_assert_num_queries(14):
        response = client.get(reverse("casefile:case-list"))
    assert response.context["page"].paginator.count == 34


def test_a_student_and_the_supervisor_are_refused(college, client):
    for persona in ("student_a", "supervisor"):
        client.force_login(college.user(persona))
        assert client.get(reverse("casefile:case-list")).status_code == 403
        assert client.get(reverse("casefile:case-export")).status_code == 403


def sheet_rows(data: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_export_is_scoped_filtered_masked_formula_safe_and_audited(college, cases, client):
    hostile = new_student(class_group=college.class_a, student_number="2024010099",
                             name='=HYPERLINK("http://x")')  # fmt: skip
    case_of(hostile, level=1)
    client.force_login(college.user("counsellor_a"))
    response = client.get(reverse("casefile:case-export"), {"level": "1", "sort": "student"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.content)
    with translation.override("zh-hans"):
        assert rows[0][:3] == [
            translation.gettext(w) for w in ("Student number", "Name", "ID number")
        ]
    assert [r[0] for r in rows[1:]] == ["2024010011", "2024010099"]  # level 1, class A only
    first = cases["a1"].student
    with translation.override("zh-hans"):
        labels = [str(Case.Status.CONFIRMED.label), "经济困难", str(Level.KEY.label)]
    assert rows[1][1:10] == [
        "赵一", first.id_number[0] + "*" * 16 + first.id_number[-1], "信息工程学院", "计应2401",
        *labels, "张辅导员", 3.0]  # fmt: skip
    assert rows[2][1] == '=HYPERLINK("http://x")'
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert first.id_number not in sheet
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert (entry.actor, entry.actor_role) == (college.user("counsellor_a"), "counsellor")
    assert entry.detail == {"what": "cases", "rows": 2,
                            "filters": {"level": 1, "sort": "student"}}  # fmt: skip


@pytest.mark.parametrize(("persona", "linked"), [("counsellor_a", True), ("leader", False)])
def test_a_candidate_links_reviewers_to_the_review_queue(college, client, persona, linked):
    case_of(college.student_a, status=Case.Status.CANDIDATE)
    client.force_login(college.user(persona))
    response = client.get(reverse("casefile:case-list"), {"status": "candidate"})
    assert [c.student_id for c, _days in response.context["rows"]] == [college.student_a.pk]
    review = f"{reverse('identification:review')}?class_group={college.class_a.pk}"
    assert (review in response.content.decode()) is linked


def test_a_type_naming_data_the_viewer_may_not_open_is_not_named(college, client):
    case_of(college.student_a, codes=("psychological", "employability"), level=1)
    client.force_login(college.user("academic_staff"))  # opens no psychological data
    response = client.get(reverse("casefile:case-list"))
    [(case, _days)] = response.context["rows"]
    with translation.override("zh-hans"):
        restricted = translation.gettext("Restricted type")
    assert case.type_names == ["就业能力不足", restricted]
    assert "心理困扰" not in response.content.decode()
    choices = [label for _pk, label in response.context["form"].fields["difficulty_type"].choices]
    assert "心理困扰" not in choices and "就业能力不足" in choices
    export = client.get(reverse("casefile:case-export"))
    assert sheet_rows(export.content)[1][6] == f"就业能力不足、{restricted}"

    client.force_login(college.user("counsellor_a"))  # may open it
    response = client.get(reverse("casefile:case-list"))
    assert response.context["rows"][0][0].type_names == ["就业能力不足", "心理困扰"]


def test_the_quiet_filter_finds_cases_without_news(college, cases, client):
    client.force_login(college.user("counsellor_a"))
    assert numbers(client, quiet_days="7") == ["2024010012"]  # last event ten days ago
    assert numbers(client, quiet_days="14") == []
    assert len(numbers(client, quiet_days="5")) == 3  # not a choice: no filter


def test_the_cohort_filter_is_the_overview_s_drill_down(college, cases, client):
    from jingzhun.org.tests.factories import ClassGroupFactory

    older = ClassGroupFactory(major=college.class_a.major, name="计应2301", cohort=2026)
    senior = new_student(class_group=older, student_number="2023010001", name="李四")
    case_of(senior, level=2, run=run_of(college))
    client.force_login(college.user("employment_officer"))
    assert numbers(client, cohort=2026) == ["2023010001"]
    assert sorted(numbers(client, cohort=2027)) == [
        "2024010011", "2024010012", "2024010013", "2024020001"]  # fmt: skip
    assert len(numbers(client, cohort=1999)) == 5  # not a cohort of the scope: no filter

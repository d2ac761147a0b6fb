"""The provincial overview: every institution, no person, small groups suppressed."""

from __future__ import annotations

import json
import re

import pytest

from conftest import College
from jingzhun.analytics.overview import equations_of, values_of
from jingzhun.analytics.selectors import overview_counts
from jingzhun.analytics.suppression import Hidden, exposed, suppress
from jingzhun.analytics.tests.data import case, populate, students
from jingzhun.org.models import Institution
from jingzhun.org.tests.factories import ClassGroupFactory, MajorFactory, SchoolFactory
from jingzhun.students.models import Student

pytestmark = pytest.mark.django_db
URL = "/analytics/provincial/"


def _second_college_with_three_cases() -> None:
    other = Institution.objects.get(code="4141010002")
    school = SchoolFactory(institution=other, code="S01", name="机电学院")
    group = ClassGroupFactory(major=MajorFactory(school=school), name="机电2401", cohort=2027)
    for s in students(group, 6)[:3]:
        case(s, "confirmed", ["economic"], 1)


def _page(client, college: College, query: str = "") -> tuple[str, dict]:
    client.force_login(college.user("supervisor"))
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200
    html = response.content.decode()
    block = re.search(r'id="overview-data" type="application/json">(.*?)</script>', html)
    assert block is not None
    return html, json.loads(block.group(1))


@pytest.mark.parametrize("status", ["", "confirmed", "candidate", "exited"])
def test_no_student_number_or_name_reaches_the_supervisor(college: College, client, status):
    populate(college)
    _second_college_with_three_cases()
    html, _data = _page(client, college, f"?status={status}")
    people = list(Student.objects.values_list("student_number", "name"))
    assert len(people) == 19
    leaked = [v for number, name in people for v in (number, name) if v in html]
    assert leaked == []
    assert 'href="/cases/' not in html and "/students/" not in html  # no drill-down


def test_the_supervisor_cannot_choose_what_to_count(college: College, client):
    """Pages counting different statuses would add sums that one page's suppression does
    not account for: the provincial page always counts every open case."""
    populate(college)
    html, _data = _page(client, college, "?status=confirmed")
    overview = client.get(f"{URL}?status=confirmed").context["overview"]
    assert overview.counted.text == "12"
    assert 'name="status"' not in html


def test_small_groups_show_as_under_five_and_cannot_be_subtracted(college: College, client):
    populate(college)
    _second_college_with_three_cases()
    _html, data = _page(client, college)
    overview = client.get(URL).context["overview"]

    rows = {r.label: r for r in overview.rows}
    assert rows["另一所职业学院"].total.text == "<5"  # 3 students
    assert rows["另一所职业学院"].total.value is None
    # The other institution's 12 would give 15 - 12 = 3: it is hidden as well.
    assert rows["中原职业技术学院"].total.text == "—"
    assert overview.counted.text == "15"
    levels = {s.key: s.figure.text for s in overview.levels}
    # 9, then 3, 2 and 1 (the candidate): three hidden counts share the 6 left, none pinned.
    assert levels == {"1": "9", "2": "<5", "3": "<5", "": "<5"}
    assert [p["value"] for p in data["levels"]] == [9, None, None, None]
    assert "3" not in [p["text"] for p in data["levels"]]
    # No hidden count of fewer than five can be pinned from the sums the page shows.
    counts = overview_counts(actor=college.personas["supervisor"])
    values, equations = values_of(counts), equations_of(counts)
    hidden = suppress(values, equations)
    bounds = exposed(values, hidden, equations)
    assert [
        k for k, h in hidden.items() if h is Hidden.PRIMARY and bounds[k][0] >= bounds[k][1]
    ] == []
    assert {k for k, v in values.items() if v < 5} <= set(hidden)


def test_no_number_under_five_is_printed(college: College, client):
    populate(college)
    _second_college_with_three_cases()
    _html, data = _page(client, college)

    def numbers(node: object) -> list[int]:
        if isinstance(node, dict):
            found = [node["value"]] if isinstance(node.get("value"), int) else []
            return found + [n for v in node.values() for n in numbers(v)]
        if isinstance(node, list):
            return [n for v in node for n in numbers(v)]
        return []

    shown = numbers(data)
    assert shown and min(shown) >= 5


def test_queries_do_not_grow_with_institutions(college: College, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jingzhun.org.tests.factories import InstitutionFactory

    populate(college)
    client.force_login(college.user("supervisor"))
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for i in range(3):
        school = SchoolFactory(institution=InstitutionFactory(code=f"41410100{i + 5}"), code="S1")
        for s in students(ClassGroupFactory(major=MajorFactory(school=school)), 6):
            case(s, "confirmed", ["academic"], 2)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(URL)
    assert len(response.context["overview"].rows) == 5

"""The overview page: what each role counts, where the numbers link, how many queries."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import College
from jingzhun.analytics.tests.data import case, populate, students
from jingzhun.identification.models import DifficultyType
from jingzhun.org.tests.factories import ClassGroupFactory, MajorFactory, SchoolFactory

pytestmark = pytest.mark.django_db
URL = "/analytics/overview/"


def _overview(client, college: College, persona: str, query: str = ""):
    client.force_login(college.user(persona))
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200
    return response.context["overview"], response


def _row(overview, label: str):
    return next(r for r in overview.rows if r.label == label)


def test_leadership_sees_the_institution_by_school_type_and_level(college: College, client):
    populate(college)
    overview, response = _overview(client, college, "leader")

    assert overview.counted.value == 12  # open cases: 11 in difficulty and one candidate
    funnel = {s.key: s.figure.value for s in overview.funnel}
    assert funnel == {"flagged": 10, "candidate": 1, "confirmed": 8, "in_assistance": 2,
                      "exit_proposed": 1, "exited": 1, "dismissed": 0}  # fmt: skip
    economic, academic = (
        str(DifficultyType.objects.get(code=c).pk) for c in ("economic", "academic")
    )
    columns = [code for code, _name in overview.columns]
    a, b = _row(overview, "信息工程学院"), _row(overview, "财经商贸学院")
    assert (a.total.value, b.total.value) == (10, 2)
    assert a.cells[columns.index(economic)].value == 7  # two types count under both
    assert a.cells[columns.index(academic)].value == 3
    assert columns[-1] == ""  # the candidate without a type
    assert [(s.key, s.figure.value) for s in overview.levels] == [
        ("1", 6),
        ("2", 3),
        ("3", 2),
        ("", 1),
    ]
    assert [(c.cohort, c.population.value, c.cases.value, c.share) for c in overview.cohorts] == [
        (2027, 13, 12, "92.3%")
    ]
    assert [(t.flagged.value, t.new_cases.value) for t in overview.trend] == [(4, 4), (10, 6)]
    assert 'id="overview-data"' in response.content.decode()


def test_every_number_links_to_the_case_list_with_its_filters(college: College, client):
    populate(college)
    overview, _response = _overview(client, college, "employment_officer", "?status=confirmed")
    economic = str(DifficultyType.objects.get(code="economic").pk)
    cell = _row(overview, "信息工程学院").cells[[c for c, _n in overview.columns].index(economic)]

    assert cell.value == 6
    url = urlsplit(cell.url)
    assert parse_qs(url.query) == {
        "status": ["confirmed"], "school": [str(college.school_a.pk)], "difficulty_type": [economic]
    }  # fmt: skip
    assert overview.counted.value == 8
    level = next(s for s in overview.levels if s.key == "1")
    assert parse_qs(urlsplit(level.figure.url).query) == {"status": ["confirmed"], "level": ["1"]}
    stage = next(s for s in overview.funnel if s.key == "exited")
    assert parse_qs(urlsplit(stage.figure.url).query) == {"status": ["exited"]}
    cohort = overview.cohorts[0].cases
    assert parse_qs(urlsplit(cohort.url).query) == {"status": ["confirmed"], "cohort": ["2027"]}


def test_a_type_the_viewer_may_not_open_is_counted_but_not_linked(college: College, client):
    """Leadership may not open family finances: the case list refuses the economic filter."""
    populate(college)
    overview, _response = _overview(client, college, "leader")
    codes = [c for c, _n in overview.columns]
    row = _row(overview, "信息工程学院")
    economic = row.cells[codes.index(str(DifficultyType.objects.get(code="economic").pk))]
    academic = row.cells[codes.index(str(DifficultyType.objects.get(code="academic").pk))]
    assert (economic.value, economic.url) == (7, "")
    assert academic.value == 3 and academic.url


@pytest.mark.parametrize("persona", ["leader", "employment_officer", "school_officer_a"])
@pytest.mark.parametrize("status", ["", "confirmed", "exited"])
def test_each_link_opens_a_list_of_as_many_cases(college: College, client, persona, status):
    populate(college)
    overview, _response = _overview(client, college, persona, f"?status={status}")
    figures = [overview.counted, *(s.figure for s in overview.funnel),
               *(s.figure for s in overview.levels), *overview.column_totals,
               *(f for r in overview.rows for f in (r.total, *r.cells))]  # fmt: skip
    linked = [f for f in figures if f.url]
    assert len(linked) > 10
    for figure in linked:
        listed = client.get(figure.url).context["page"].paginator.count
        assert (figure.url, listed) == (figure.url, figure.value)


def test_school_officer_sees_her_school_only(college: College, client):
    populate(college)
    overview, _response = _overview(client, college, "school_officer_a")
    assert [r.label for r in overview.rows] == ["信息工程学院"]
    assert overview.counted.value == 10
    assert {s.key: s.figure.value for s in overview.funnel}["flagged"] == 8


def test_queries_do_not_grow_with_schools(college: College, client, django_assert_num_queries):
    populate(college)
    client.force_login(college.user("leader"))
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for i in range(4):
        school = SchoolFactory(institution=college.institution, code=f"S1{i}", name=f"学院{i}")
        group = ClassGroupFactory(major=MajorFactory(school=school), cohort=2026 + i)
        for s in students(group, 2):
            case(s, "confirmed", ["academic", "motivation"], 2)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(URL)
    assert len(response.context["overview"].rows) == 6


def test_charts_read_their_numbers_from_a_json_block(college: College, client):
    populate(college)
    _unused, response = _overview(client, college, "leader")
    html = response.content.decode()
    data = json.loads(
        html.split('id="overview-data" type="application/json">')[1].split("</script>")[0]
    )
    assert [p["value"] for p in data["funnel"]] == [10, 1, 8, 2, 1]
    assert data["suppressed"] is False
    assert "<script>" not in html  # no inline script: the policy would block it

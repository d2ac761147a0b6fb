"""The run detail page: what a run found, in counts, and the words on the runs pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jingzhun.identification import services
from jingzhun.identification.models import Case, IdentificationRun, Level
from jingzhun.identification.tests.test_identification import ruled, run  # noqa: F401

pytestmark = pytest.mark.django_db


def test_run_detail_counts(ruled, client, django_assert_num_queries):  # noqa: F811
    first = run(ruled)
    case = Case.objects.get(student=ruled.student_a)
    services.case_dismiss(actor=ruled.personas["counsellor_a"], case=case, reason="已核实")
    second = run(ruled)
    client.force_login(ruled.user("employment_officer"))
    url = reverse("identification:run-detail", args=[second.pk])
    client.get(url)
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    counts = response.context["counts"]
    assert [n for _label, n in counts] == [2, 1, 0, 0, 1, 0]
    detail = response.context["d"]
    assert sorted(detail.by_type) == [("学业困难", 1), ("心理困扰", 1)]
    assert [(str(label), n) for label, n in detail.by_level] == [(str(Level.KEY.label), 1)]
    assert detail.by_school == [("信息工程学院", 1)]
    assert sorted(r for r, _k, _n in detail.by_rule) == [
        "心理筛查重点关注",
        "近两学期不及格课程较多",
    ]
    html = response.content.decode()
    assert "全校" in html or "Whole college" in html
    first_page = client.get(reverse("identification:run-detail", args=[first.pk]))
    assert [n for _label, n in first_page.context["counts"]] == [2, 1, 1, 0, 0, 0]


def test_the_run_list_links_each_run_and_names_the_whole_college(ruled, client):  # noqa: F811
    done = run(ruled)
    client.force_login(ruled.user("employment_officer"))
    html = client.get(reverse("identification:run-list")).content.decode()
    assert f'href="{reverse("identification:run-detail", args=[done.pk])}"' in html
    row = html.split('data-testid="run-row"')[1].split("</tr>")[0]
    assert row.count("<td>") >= 3 and ("全校" in row or "Whole college" in row)


def test_another_institutions_run_is_hidden(ruled, client):  # noqa: F811
    done = run(ruled)
    client.force_login(ruled.user("outsider"))
    assert client.get(reverse("identification:run-detail", args=[done.pk])).status_code == 404
    assert IdentificationRun.objects.count() == 1

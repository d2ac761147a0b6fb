"""The employment office's pages: edit an article and its steps, list with filters and
counts, the satisfaction page and handling feedback — through HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import College
from jingzhun.tracking.publications.models import PolicyArticle
from jingzhun.tracking.satisfaction import services as satisfaction
from jingzhun.tracking.satisfaction.models import StudentFeedback
from jingzhun.tracking.tests.publication_helpers import article, completed_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, college: College):
    client.force_login(college.user("employment_officer"))
    return client


def _form(**fields: str) -> dict[str, str]:
    data = {"kind": "procedure", "title": "网签流程", "summary": "", "body": "", "contact": "",
            "documents": "", "deadline": "", "tags": "", "cohorts": "",
            "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0"}  # fmt: skip
    return data | fields


def test_editing_replaces_the_steps_in_their_new_order(office, college: College):
    shown = article(college)
    url = reverse("tracking:article-edit", kwargs={"pk": shown.pk})
    assert [f["title"] for f in office.get(url).context["steps"].initial] == [
        "网上申请",
        "材料审核",
    ]

    response = office.post(url, _form(**{
        "steps-0-title": "网上申请", "steps-0-DELETE": "on",
        "steps-1-title": "材料审核", "steps-2-title": "领取补贴", "steps-2-deadline": "12月底",
        "cohorts": "2027", "schools": str(college.school_a.pk), "tags": "补贴，求职",
    }))  # fmt: skip

    assert response.status_code == 302
    shown.refresh_from_db()
    assert [(s.order, s.title, s.deadline) for s in shown.steps.all()] == [
        (1, "材料审核", ""),
        (2, "领取补贴", "12月底"),
    ]
    assert shown.status == "published" and shown.tags == "补贴,求职"
    assert [c.cohort for c in shown.audience_cohorts.all()] == [2027]
    assert list(shown.schools.all()) == [college.school_a]


def test_a_school_of_another_college_or_a_bad_cohort_is_refused(office, college: College):
    response = office.post(reverse("tracking:article-new"), _form(cohorts="明年", schools="999"))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"cohorts", "schools"}
    assert not PolicyArticle.objects.exists()


def test_the_list_filters_counts_and_pages(office, college: College, django_assert_max_num_queries):
    for n in range(22):
        article(college, f"政策{n}", publish=n % 2 == 0)

    with django_assert_max_num_queries(14):
        response = office.get(reverse("tracking:article-list"), {"status": "draft"})

    assert response.context["counts"] == {"draft": 11, "published": 11, "unpublished": 0, "all": 22}
    assert response.context["page"].paginator.count == 11
    assert b'data-testid="count-published">11<' in response.content


def test_the_satisfaction_page_and_handling_feedback(office, college: College):
    action = completed_action(college)
    satisfaction.action_rate(actor=college.personas["student_a"], action_id=action.pk, score=4)
    feedback = satisfaction.feedback_submit(
        actor=college.personas["student_a"], topic="jobs", text="岗位推荐太少了"
    )

    page = office.get(reverse("tracking:satisfaction"))
    handled = office.post(
        reverse("tracking:feedback-handle", kwargs={"pk": feedback.pk}), {"reply": "已加推三个岗位"}
    )
    listed = office.get(reverse("tracking:feedback-list"), {"status": "handled"})

    (row,) = page.context["by_department"]
    assert (row.label, row.ratings, row.average) == ("学生资助中心", 1, 4.0)
    assert [r.score for r in page.context["page"].object_list] == [4]
    assert handled.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.reply) == (StudentFeedback.Status.HANDLED, "已加推三个岗位")
    assert [f.pk for f in listed.context["page"].object_list] == [feedback.pk]

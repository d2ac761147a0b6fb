"""The portal's home, policy pages, rating and feedback through HTTP: what a student is
shown, what their requests write, and the queries each list costs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import College
from jingzhun.core import portal_tiles
from jingzhun.core.models import AuditLog
from jingzhun.tracking.publications.models import PolicyRead, PolicyVisit
from jingzhun.tracking.satisfaction.models import ActionRating, StudentFeedback
from jingzhun.tracking.tests.publication_helpers import article, completed_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(client, college: College):
    client.force_login(college.user("student_a"))
    return client


def test_home_shows_the_tiles_that_exist_with_their_counts(student, college: College):
    article(college, "甲")
    article(college, "乙", schools=[college.school_b])  # not for student A

    response = student.get(reverse("portal:home"))

    keys = [tile.key for tile in response.context["tiles"]]
    assert keys == ["plan", "apply", "policies", "pushes", "subsidies", "destination", "followup",
                    "notifications", "feedback", "file"]  # fmt: skip
    assert response.context["new_policies"] == 1
    assert [a.title for a in response.context["latest"]] == ["甲"]


def test_a_tile_registered_later_replaces_a_placeholder_and_a_missing_page_is_left_out(
    student, college: College
):
    portal_tiles.register(portal_tiles.PortalTile("destination", "去向", "bi-geo", "portal:feedback",
                                                  order=1, badge=lambda actor: 3))  # fmt: skip
    portal_tiles.register(
        portal_tiles.PortalTile("destination", "x", "bi-x", "portal:nope", placeholder=True)
    )
    portal_tiles.register(portal_tiles.PortalTile("ghost", "幽灵", "bi-x", "portal:not-built"))
    try:
        tiles = student.get(reverse("portal:home")).context["tiles"]
    finally:
        portal_tiles.unregister("ghost")
        portal_tiles.unregister("destination")
        from jingzhun.portal.tiles import register_portal_tiles

        register_portal_tiles()
    assert (tiles[0].key, tiles[0].label, tiles[0].badge) == ("destination", "去向", 3)
    assert "ghost" not in [t.key for t in tiles]


def test_the_list_searches_counts_new_and_records_the_visit(student, college: College):
    for n in range(12):
        article(college, f"通知{n}", kind="notice", steps=[], summary="", body="")
    article(college, "求职创业补贴申请流程")

    first = student.get(reverse("portal:policy-list"))
    found = student.get(reverse("portal:policy-list"), {"q": "申请 补贴", "kind": "procedure"})
    second_page = student.get(reverse("portal:policy-list"), {"page": "2"})

    assert first.context["page"].paginator.count == 13
    assert first.context["new_count"] == 13
    assert len(first.context["page"].object_list) == 10
    assert [a.title for a in found.context["page"].object_list] == ["求职创业补贴申请流程"]
    assert len(second_page.context["page"].object_list) == 3
    assert PolicyVisit.objects.filter(student=college.student_a).count() == 1


def test_the_list_costs_the_same_queries_for_many_articles(
    student, college: College, django_assert_max_num_queries
):
    for n in range(10):
        article(college, f"政策{n}")
    with django_assert_max_num_queries(14):
        student.get(reverse("portal:policy-list"))


def test_opening_an_article_marks_it_read_and_shows_its_steps(student, college: College):
    shown = article(college, body="正文<script>x()</script>")

    response = student.get(reverse("portal:policy-detail", kwargs={"pk": shown.pk}))

    body = response.content.decode()
    assert "<script>x()" not in body and "&lt;script&gt;x()" in body
    assert [s.title for s in response.context["article"].steps.all()] == ["网上申请", "材料审核"]
    assert PolicyRead.objects.filter(student=college.student_a, article=shown).exists()


def test_a_draft_is_missing_for_students(student, college: College):
    draft = article(college, publish=False)
    assert student.get(reverse("portal:policy-detail", kwargs={"pk": draft.pk})).status_code == 404


def test_rating_from_the_plan_page(student, college: College):
    action = completed_action(college)

    page = student.get(reverse("portal:plan"))
    response = student.post(
        reverse("portal:action-rate", kwargs={"pk": action.pk}), {"score": "5", "comment": "好"}
    )
    bad = student.post(reverse("portal:action-rate", kwargs={"pk": action.pk}), {"score": "9"})

    assert b'data-testid="rating-form"' in page.content
    assert response.status_code == 302 and response["Location"].endswith(f"#action-{action.pk}")
    assert bad.status_code == 302
    rating = ActionRating.objects.get(action=action)
    assert (rating.score, rating.comment) == (5, "好")  # the refused 9 changed nothing


def test_feedback_is_sent_and_listed_with_the_reply(student, college: College):
    response = student.post(
        reverse("portal:feedback"), {"topic": "portal", "text": "希望能在手机上上传材料"}
    )
    short = student.post(reverse("portal:feedback"), {"topic": "portal", "text": "短"})

    assert response.status_code == 302
    assert short.status_code == 200 and "text" in short.context["form"].errors
    feedback = StudentFeedback.objects.get()
    assert (feedback.student, feedback.topic, feedback.status) == (
        college.student_a,
        "portal",
        "new",
    )
    assert (
        AuditLog.objects.filter(object_type="tracking.studentfeedback", action="create").count()
        == 1
    )
    page = student.get(reverse("portal:feedback"))
    assert [f.text for f in page.context["earlier"]] == ["希望能在手机上上传材料"]

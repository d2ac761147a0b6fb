"""The publications demo on a small generated college: ten articles, some new since the demo
student's last visit, ratings of completed actions; a second seeding does nothing."""

from __future__ import annotations

import pytest

from jingzhun.assistance.demo import seed_assistance_demo
from jingzhun.identification.demo import seed_identification_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import DEMO_TODAY
from jingzhun.students.demo.generator import seed_demo_college
from jingzhun.students.models import Student
from jingzhun.tracking.publication_demo import ARTICLES, LAST_VISIT_DAYS, seed_publications_demo
from jingzhun.tracking.publications.markdown import render_markdown
from jingzhun.tracking.publications.models import PolicyArticle
from jingzhun.tracking.publications.selectors import policy_new_count, published_for
from jingzhun.tracking.satisfaction.models import ActionRating

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_articles_some_new_and_rates_actions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_college(students=300, seed=1)
    seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY)
    seed_assistance_demo(institution_code=INSTITUTION_CODE)

    result = seed_publications_demo(institution_code=INSTITUTION_CODE)

    assert result is not None
    articles, rated = result
    assert (
        articles == len(ARTICLES) == PolicyArticle.objects.filter(status="published").count() == 10
    )
    assert rated == ActionRating.objects.count() > 0
    demo_student = Student.objects.get(user__isnull=False)
    new = sum(1 for a in ARTICLES if a.age_days < LAST_VISIT_DAYS)
    assert new == 4
    assert policy_new_count(student=demo_student) == new
    assert published_for(demo_student).count() == 10
    assert PolicyArticle.objects.filter(kind="procedure", steps__isnull=True).count() == 0
    assert all("<script" not in render_markdown(a.body) for a in ARTICLES)
    assert seed_publications_demo(institution_code=INSTITUTION_CODE) is None

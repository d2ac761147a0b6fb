"""Publications: the office writes and publishes; each student reads what is for them, finds
it by search, and sees what is new since their last visit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import College
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.tracking.publications import selectors, services
from jingzhun.tracking.publications.models import PolicyArticle, PolicyVisit
from jingzhun.tracking.publications.services import ArticleInput
from jingzhun.tracking.tests.publication_helpers import article

pytestmark = pytest.mark.django_db


def titles(articles) -> list[str]:
    return [a.title for a in articles]


def new_flags(articles) -> dict[str, bool]:
    return {a.title: a.is_new for a in articles}


def test_publishing_writes_the_date_and_an_audit_row(college: College):
    draft = article(college, publish=False)
    assert (draft.status, draft.published_at) == ("draft", None)
    officer = college.personas["employment_officer"]

    services.article_publish(actor=officer, article=draft)

    draft.refresh_from_db()
    assert draft.status == PolicyArticle.Status.PUBLISHED
    assert draft.published_at is not None
    audit = AuditLog.objects.filter(object_id=str(draft.pk), detail__to="published").get()
    assert (audit.actor, audit.action) == (officer.user, AuditLog.Action.UPDATE)
    assert draft.steps.count() == 2


def test_only_the_employment_office_of_the_college_publishes(college: College):
    draft = article(college, publish=False)
    for persona in ("counsellor_a", "student_a", "leader"):
        with pytest.raises(DomainError) as refused:
            services.article_publish(actor=college.personas[persona], article=draft)
        assert refused.value.code == "publication.not_allowed"
    with pytest.raises(DomainError):
        services.article_publish(actor=college.personas["outsider"], article=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_procedure_without_steps_is_not_published(college: College):
    draft = article(college, publish=False, steps=[])

    with pytest.raises(DomainError) as refused:
        services.article_publish(actor=college.personas["employment_officer"], article=draft)

    assert refused.value.code == "publication.invalid"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_withdrawn_articles_are_not_shown_and_can_come_back(college: College):
    shown = article(college)
    officer = college.personas["employment_officer"]
    services.article_unpublish(actor=officer, article=shown)
    assert titles(selectors.published_for(college.student_a)) == []

    services.article_publish(actor=officer, article=shown)

    assert titles(selectors.published_for(college.student_a)) == [shown.title]


def test_an_office_of_another_college_is_refused(college: College):
    other_department = college.departments["employment"]
    outsider = college.personas["outsider"]
    with pytest.raises(DomainError) as refused:
        services.article_save(
            actor=outsider, article=None,
            data=ArticleInput(kind="policy", title="x", department=other_department),
        )  # fmt: skip
    assert refused.value.field == "department"


def test_audience_by_school_and_cohort(college: College):
    article(college, "全体学生")
    article(college, "信息学院", schools=[college.school_a])
    article(college, "财经学院", schools=[college.school_b])
    article(college, "2027届", cohorts=[2027])
    article(college, "2026届", cohorts=[2026])
    article(college, "信息学院2026届", schools=[college.school_a], cohorts=[2026])
    assert college.student_a.cohort == 2027

    seen_by_a = set(titles(selectors.published_for(college.student_a)))
    seen_by_b = set(titles(selectors.published_for(college.student_b)))

    assert seen_by_a == {"全体学生", "信息学院", "2027届"}
    assert seen_by_b == {"全体学生", "财经学院", "2027届"}


def test_search_finds_chinese_words_in_any_order(college: College):
    article(college, "求职创业补贴申请流程")
    article(college, "就业协议签订与网签流程", summary="三方协议", body="登录网签平台")
    article(
        college,
        "三支一扶计划介绍",
        kind="policy",
        steps=[],
        tags="基层项目 西部",
        summary="到基层从事支农支教支医",
        body="服务期两年",
    )

    def found(query: str, kind: str = "") -> list[str]:
        rows = selectors.policy_list(student=college.student_a, since=None, query=query, kind=kind)
        return sorted(titles(rows))

    assert found("申请补贴") == ["求职创业补贴申请流程"]
    assert found("网签") == ["就业协议签订与网签流程"]
    assert found("基层") == ["三支一扶计划介绍"]  # a tag
    assert found("流程", kind="procedure") == ["就业协议签订与网签流程", "求职创业补贴申请流程"]
    assert found("流程", kind="policy") == []
    assert found("宏志助航") == []


def test_new_since_the_last_visit(college: College):
    student = college.student_a
    first, second = article(college, "旧文一"), article(college, "旧文二")
    assert selectors.policy_new_count(student=student) == 2  # never visited: all unread

    start = timezone.now()
    visit = services.policy_visit_record(student=student, now=start)
    listed = selectors.policy_list(student=student, since=visit.previous_at)
    assert new_flags(listed) == {"旧文一": True, "旧文二": True}
    assert selectors.policy_new_count(student=student) == 0

    services.policy_read_mark(student=student, article=first)
    listed = selectors.policy_list(student=student, since=visit.previous_at)
    assert new_flags(listed) == {"旧文一": False, "旧文二": True}

    later = article(college, "新文")
    PolicyArticle.objects.filter(pk__in=[first.pk, second.pk]).update(
        published_at=start - dt.timedelta(days=3)
    )
    PolicyArticle.objects.filter(pk=later.pk).update(published_at=start + dt.timedelta(hours=1))
    assert selectors.policy_new_count(student=student) == 1

    visit = services.policy_visit_record(student=student, now=start + dt.timedelta(hours=2))
    listed = selectors.policy_list(student=student, since=visit.previous_at)
    assert new_flags(listed) == {"新文": True, "旧文一": False, "旧文二": False}
    assert selectors.policy_new_count(student=student) == 0
    # A reload a minute later is the same visit: the badge stays.
    visit = services.policy_visit_record(
        student=student, now=start + dt.timedelta(hours=2, minutes=1)
    )
    flags = new_flags(selectors.policy_list(student=student, since=visit.previous_at))
    assert [title for title, new in flags.items() if new] == ["新文"]
    assert PolicyVisit.objects.get(student=student).previous_at == start


def test_the_office_list_counts_per_status(college: College):
    article(college, "甲")
    article(college, "乙", publish=False)
    article(college, "丙", kind="notice", steps=[])
    officer = college.personas["employment_officer"]

    counts = selectors.article_counts(actor=officer, filters=selectors.ArticleFilters())
    drafts = selectors.article_list(actor=officer, filters=selectors.ArticleFilters(status="draft"))
    notices = selectors.article_counts(
        actor=officer, filters=selectors.ArticleFilters(kind="notice")
    )

    assert counts == {"draft": 1, "published": 2, "unpublished": 0, "all": 3}
    assert titles(drafts) == ["乙"]
    assert notices == {"draft": 0, "published": 1, "unpublished": 0, "all": 1}
    assert (
        selectors.article_list(
            actor=college.personas["outsider"], filters=selectors.ArticleFilters()
        ).count()
        == 0
    )

"""The review queue: paging with the total, filters in the URL, decisions that say what they
did, and bulk decisions that are all or nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification import services
from jingzhun.identification.models import Case, CaseEvent, IdentificationRun
from jingzhun.org.tests.factories import ClassGroupFactory
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
REVIEW = reverse("identification:review")
BULK = reverse("identification:case-bulk")


@pytest.fixture(autouse=True)
def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _candidate(student, *, level: int = 2, code: str = "academic", **kwargs) -> Case:
    types = services.difficulty_types_ensure()
    case = Case.objects.create(student=student, level=level, **kwargs)
    case.types.set([types[code]])
    CaseEvent.objects.create(case=case, to_status="candidate", note="run")
    return case


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def queue(college) -> list[Case]:
    """60 candidates in class A (student A first), one in class B."""
    cases = [_candidate(college.student_a, level=1)]
    cases += [_candidate(StudentFactory(class_group=college.class_a)) for _ in range(59)]
    cases.append(_candidate(college.student_b, level=3, code="economic"))
    return cases


def test_the_queue_pages_and_shows_the_total(queue, college, client, django_assert_num_queries):
    client.force_login(college.user("employment_officer"))
    client.get(REVIEW)  # session, role and translation caches warm
    with django_assert_num_queries(19):
        response = client.get(REVIEW)
    assert response.context["page"].paginator.count == 61
    assert len(response.context["rows"]) == 50
    html = response.content.decode()
    assert 'data-testid="candidate-total">61<' in html
    assert "Page 1 of 2" in html and "page=2" in html
    second = client.get(REVIEW, {"page": "2"})
    assert len(second.context["rows"]) == 11


def test_the_query_count_does_not_grow_with_the_page(
    queue, college, client, django_assert_num_queries
):
    client.force_login(college.user("employment_officer"))
    client.get(REVIEW)
    with django_assert_num_queries(19):
        client.get(REVIEW, {"page": "2"})


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"level": "1"}, 1), ({"level": "3"}, 1), ({"origin": "self"}, 0), ({"origin": "run"}, 61),
     ({"new": "1"}, 61), ({"level": "abc"}, 61), ({"origin": "<script>"}, 61)],
)  # fmt: skip
def test_filters(queue, college, client, params, expected):
    client.force_login(college.user("employment_officer"))
    assert client.get(REVIEW, params).context["page"].paginator.count == expected


def test_filter_by_school_type_and_run(queue, college, client):
    client.force_login(college.user("employment_officer"))
    economic = queue[-1].types.get()
    run = IdentificationRun.objects.create(institution=college.institution, as_of="2026-11-01",
                                           started_by=college.user("employment_officer"))  # fmt: skip
    Case.objects.filter(pk=queue[0].pk).update(opened_run=run)
    count = lambda **p: client.get(REVIEW, p).context["page"].paginator.count  # noqa: E731
    assert count(school=str(college.school_b.pk)) == 1
    assert count(type=str(economic.pk)) == 1
    assert count(run=str(run.pk)) == 1


def test_classes_of_the_chosen_school_only_and_names_told_apart(queue, college, client):
    twin: Any = ClassGroupFactory(
        major=college.class_b.major, name=college.class_a.name, cohort=2027
    )
    client.force_login(college.user("employment_officer"))
    response = client.get(REVIEW, {"school": str(college.school_b.pk)})
    assert [c.pk for c in response.context["classes"]] == sorted([college.class_b.pk, twin.pk])
    # a class of another school is dropped, not applied as an empty filter
    response = client.get(REVIEW, {"school": str(college.school_b.pk),
                                   "class_group": str(college.class_a.pk)})  # fmt: skip
    assert (response.context["filters"].class_group, response.context["page"].paginator.count) == (
        None, 1)  # fmt: skip
    html = client.get(REVIEW).content.decode()
    assert f"{college.class_a.name}（信息工程学院）" in html
    assert f"{college.class_a.name}（财经商贸学院）" in html


def test_no_select_starts_with_dashes(queue, college, client):
    client.force_login(college.user("employment_officer"))
    html = client.get(REVIEW).content.decode()
    assert "---------" not in html
    filters = html.split('data-testid="review-filters"')[1].split("</form>")[0]
    firsts = re.findall(r"<select[^>]*>\s*<option value=\"\">([^<]+)</option>", filters)
    assert firsts == ["All"] * 6


def test_filters_stay_in_the_pager_links(queue, college, client):
    client.force_login(college.user("employment_officer"))
    html = client.get(REVIEW, {"class_group": str(college.class_a.pk)}).content.decode()
    assert f"?class_group={college.class_a.pk}&page=2" in html


def test_confirming_says_what_was_set_and_shows_the_decision(college, client):
    case = _candidate(college.student_a)
    client.force_login(college.user("school_officer_a"))
    back = f"{REVIEW}?class_group={college.class_a.pk}"
    response = client.post(reverse("identification:case-action", args=[case.pk, "confirm"]),
                           {"level": "1", "next": back})  # fmt: skip
    assert response["Location"] == f"{back}&decided={case.pk}"
    assert _messages(response) == [
        "王小明 confirmed: 学业困难, Level 1 (key); responsible: 张辅导员."
    ]
    page = client.get(response["Location"]).content.decode()
    decided = page.split('data-testid="decided"')[1].split("</div>")[0]
    assert "王小明" in decided and "张辅导员" in decided and "Level 1 (key)" in decided
    case.refresh_from_db()
    assert (case.status, case.level, case.responsible) == (
        "confirmed",
        1,
        college.user("counsellor_a"),
    )


def test_bulk_confirm_of_the_filtered_queue(queue, college, client):
    client.force_login(college.user("counsellor_a"))
    response = client.post(BULK, {"scope": "all", "action": "confirm", "level": "1"})
    assert _messages(response) == ["1 case confirmed."]
    assert response["Location"] == f"{REVIEW}?level=1"
    confirmed = Case.objects.filter(status="confirmed")
    assert confirmed.count() == 1  # the filter (level 1) chose student A only
    assert confirmed.get().responsible == college.user("counsellor_a")


def test_bulk_confirm_is_all_or_nothing(queue, college, client):
    services.case_dismiss(actor=college.personas["counsellor_a"], case=queue[5], reason="已签约")
    client.force_login(college.user("counsellor_a"))
    before = (AuditLog.objects.count(), CaseEvent.objects.count())
    checked = [queue[0].pk, queue[5].pk, queue[6].pk, queue[-1].pk]  # [-1]: class B, not hers
    response = client.post(BULK, {"scope": "checked", "action": "confirm",
                                  "case": [str(pk) for pk in checked]})  # fmt: skip
    messages = _messages(response)
    assert messages[0].startswith("Nothing was changed: 2 of the selected cases were refused.")
    assert len(messages) == 3
    assert messages[1].startswith(f"{queue[5].student.name}（{queue[5].student.student_number}）：")
    assert messages[2] == "李小红（2024020001）：This student is outside your data scope."
    assert (AuditLog.objects.count(), CaseEvent.objects.count()) == before
    assert not Case.objects.filter(status="confirmed").exists()


def test_bulk_dismiss_needs_a_reason_and_writes_nothing_without(queue, college, client):
    client.force_login(college.user("counsellor_a"))
    ids = [str(queue[0].pk), str(queue[1].pk)]
    response = client.post(BULK, {"scope": "checked", "action": "dismiss", "case": ids})
    assert _messages(response)[0].startswith("Nothing was changed: 2 of")
    assert not Case.objects.filter(status="dismissed").exists()
    response = client.post(BULK, {"scope": "checked", "action": "dismiss", "case": ids,
                                  "reason": "已落实去向"})  # fmt: skip
    assert _messages(response)[-1] == "2 cases dismissed."
    assert sorted(Case.objects.filter(status="dismissed").values_list("dismiss_reason", flat=True)) == [
        "已落实去向", "已落实去向"]  # fmt: skip


def test_bulk_assign(queue, college, client):
    client.force_login(college.user("school_officer_a"))
    mentor = college.user("mentor_a")
    response = client.post(BULK, {"scope": "checked", "action": "assign",
                                  "case": [str(queue[0].pk)], "responsible": str(mentor.pk)})  # fmt: skip
    assert _messages(response) == ["1 case assigned."]
    assert Case.objects.get(pk=queue[0].pk).responsible == mentor
    # the mentor looks after student A only: nobody else is assigned to them
    response = client.post(BULK, {"scope": "checked", "action": "assign",
                                  "case": [str(queue[0].pk), str(queue[1].pk)],
                                  "responsible": str(college.user("employment_officer").pk)})  # fmt: skip
    assert _messages(response)[-1] == "2 cases assigned."


def test_bulk_refuses_an_unknown_action_and_a_non_reviewer(queue, college, client):
    client.force_login(college.user("counsellor_a"))
    response = client.post(BULK, {"scope": "all", "action": "delete"})
    assert _messages(response) == ["Choose what to do."]
    with pytest.raises(DomainError) as exc:
        services.case_bulk_decide(actor=college.personas["mentor_a"], case_ids=[queue[0].pk],
                                  action="confirm")  # fmt: skip
    assert exc.value.code == "identification.not_allowed"
    assert not Case.objects.exclude(status="candidate").exists()


def test_a_reopened_candidate_shows_the_earlier_decision(college, client):
    first = _candidate(college.student_a)
    services.case_dismiss(actor=college.personas["counsellor_a"], case=first, reason="家庭状况好转")
    _candidate(college.student_a, level=1)
    client.force_login(college.user("counsellor_a"))
    html = client.get(REVIEW).content.decode()
    earlier = html.split('data-testid="earlier-decision"')[1].split("</div>")[0]
    assert "Earlier decision: Dismissed by 张辅导员 on" in earlier
    assert "家庭状况好转" in earlier

"""The review pages take whatever a browser sends: off-site `next` targets, numbers beyond
the database's range, Unicode digits, text where a number belongs — refused or ignored,
never followed and never a server error."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.http import urlencode

from jingzhun.identification import services
from jingzhun.identification.models import Case, CaseEvent, DifficultyType, RunSchedule

pytestmark = pytest.mark.django_db

REVIEW = "/identification/review/"
NOT_A_NUMBER = ["99999999999999999999", "²", "٣", "-1", "abc", "1.5"]


@pytest.fixture(autouse=True)
def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def candidate(college) -> Case:
    services.difficulty_types_ensure()
    case = Case.objects.create(student=college.student_a)
    case.types.set([DifficultyType.objects.get(code="economic")])
    return case


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "evil.example"]
)
def test_dismissal_never_redirects_off_site(target, candidate, college, client):
    client.force_login(college.user("counsellor_a"))

    response = client.post(
        reverse("identification:case-action", args=[candidate.pk, "dismiss"]),
        {"reason": "已签约", "next": target},
    )

    assert (response.status_code, response["Location"]) == (302, f"{REVIEW}?decided={candidate.pk}")
    candidate.refresh_from_db()
    assert candidate.status == "dismissed"


def test_dismissal_returns_to_the_filtered_review_page(candidate, college, client):
    client.force_login(college.user("counsellor_a"))
    back = f"{REVIEW}?class_group={college.class_a.pk}"

    response = client.post(
        reverse("identification:case-action", args=[candidate.pk, "dismiss"]),
        {"reason": "已签约", "next": back},
    )

    assert (response.status_code, response["Location"]) == (302, f"{back}&decided={candidate.pk}")


def test_an_http_next_is_refused_on_an_https_request(candidate, college, client):
    client.force_login(college.user("counsellor_a"))

    response = client.post(
        reverse("identification:case-action", args=[candidate.pk, "dismiss"]),
        {"reason": "已签约", "next": "http://testserver/identification/review/"},
        secure=True,
    )

    assert (response.status_code, response["Location"]) == (302, f"{REVIEW}?decided={candidate.pk}")


@pytest.mark.parametrize("value", NOT_A_NUMBER)
def test_review_ignores_a_class_filter_that_is_no_id(value, candidate, college, client):
    client.force_login(college.user("counsellor_a"))

    response = client.get(REVIEW, {"class_group": value})

    assert response.status_code == 200
    assert response.context["filters"].class_group is None
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize("value", NOT_A_NUMBER)
def test_bulk_decision_ignores_cases_that_are_no_id(value, candidate, college, client):
    client.force_login(college.user("counsellor_a"))

    response = client.post(
        reverse("identification:case-bulk"),
        {"case": [value], "action": "confirm", "class_group": value, "set_level": value},
    )

    back = f"{REVIEW}?{urlencode({'class_group': value})}"  # the filters are kept as sent
    assert (response.status_code, response["Location"]) == (302, back)
    assert _messages(response) == ["No case was selected."]
    candidate.refresh_from_db()
    assert candidate.status == "candidate"


@pytest.mark.parametrize("level", ["abc", "²", "99999999999999999999", "9", "0"])
def test_confirming_with_an_unknown_level_changes_nothing(level, candidate, college, client):
    client.force_login(college.user("counsellor_a"))

    response = client.post(
        reverse("identification:case-action", args=[candidate.pk, "confirm"]), {"level": level}
    )

    assert (response.status_code, response["Location"]) == (302, REVIEW)
    assert _messages(response) == [
        "王小明：Choose one of the levels: Level 1 (key)、Level 2、Level 3 (general)."
    ]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.level) == ("candidate", None)
    assert not CaseEvent.objects.exists()


def test_confirming_ignores_types_that_are_no_id(candidate, college, client):
    client.force_login(college.user("counsellor_a"))

    response = client.post(
        reverse("identification:case-action", args=[candidate.pk, "confirm"]),
        {"level": "2", "types": ["abc", "99999999999999999999", "²"]},
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.level) == ("confirmed", 2)
    assert list(candidate.types.values_list("code", flat=True)) == ["economic"]


@pytest.mark.parametrize("level", ["²", "abc"])
def test_manual_addition_refuses_a_level_that_is_no_number(level, college, client):
    services.difficulty_types_ensure()
    economic = DifficultyType.objects.get(code="economic")
    client.force_login(college.user("counsellor_a"))

    response = client.post(
        reverse("identification:case-add"),
        {"student_number": college.student_a.student_number, "types": [economic.pk, "²"],
         "note": "家访", "level": level},
    )  # fmt: skip

    assert response.status_code == 400
    assert "level" in response.context["errors"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("days", ["²", "99999999999999999999", "-3", "abc"])
def test_schedule_refuses_days_that_are_no_number(days, college, client):
    client.force_login(college.user("employment_officer"))

    response = client.post(reverse("identification:run-schedule"), {"days": days})

    assert response.status_code == 302
    assert _messages(response) == ["The number of days is a whole number from 0 to 120."]
    assert not RunSchedule.objects.exists()


@pytest.mark.parametrize("cohort", ["²", "99999999999999999999", "-2027"])
def test_a_run_refuses_a_cohort_that_is_no_year(cohort, college, client):
    from jingzhun.identification.models import IdentificationRun

    client.force_login(college.user("employment_officer"))

    response = client.post(reverse("identification:run-list"), {"cohort": cohort})

    assert response.status_code == 302
    assert _messages(response) == ["The cohort is a year of graduation, such as 2027."]
    assert not IdentificationRun.objects.exists()


@pytest.mark.parametrize(
    ("field", "op", "text", "message"),
    [("intention_recorded_on", "within_days", "²", "“最近登记毕业打算”的天数必须是 1–3650 的整数"),
     ("intention_recorded_on", "before", "²⁰²⁶-1-1", "“最近登记毕业打算”需要日期，例如 2026-09-01"),
     ("certificates", ">=", "1e999", "“证书”的阈值必须是数字"),
     ("certificates", "between", "nan-3", "“证书”的阈值必须是数字")],
)  # fmt: skip
def test_rule_values_refuse_unicode_digits_and_non_finite_numbers(field, op, text, message):
    from jingzhun.identification import rules as rule_engine
    from jingzhun.identification.catalogue import FEATURES_BY_NAME

    with pytest.raises(rule_engine.RuleError) as exc:
        rule_engine.parse_value(FEATURES_BY_NAME[field], op, text)
    assert str(exc.value) == message


# The review queue's own parameters, each with every hostile value of the site-wide crawl.
REVIEW_PARAMETERS = ("school", "class_group", "type", "level", "origin", "run", "new", "page",
                     "decided", "scope", "set_level", "responsible", "case", "action", "reason")  # fmt: skip


@pytest.mark.parametrize("method", ["get", "post"])
def test_review_and_bulk_parameters_never_cause_a_server_error(method, candidate, college):
    from django.test import Client

    from tests.test_hostile_input import HOSTILE

    client = Client(raise_request_exception=False)
    client.force_login(college.user("counsellor_a"))
    url = REVIEW if method == "get" else reverse("identification:case-bulk")
    statuses = {}
    for label, value in HOSTILE.items():
        body = "&".join(f"{name}={value}" for name in REVIEW_PARAMETERS)
        if method == "get":
            statuses[label] = client.get(f"{url}?{body}").status_code
        else:
            statuses[label] = client.post(
                url, body, content_type="application/x-www-form-urlencoded"
            ).status_code
    assert set(statuses.values()) == ({200} if method == "get" else {302}), statuses
    candidate.refresh_from_db()
    assert candidate.status == "candidate"

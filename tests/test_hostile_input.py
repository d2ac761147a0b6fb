"""Every page × every persona × hostile parameter values: never a server error.

The pages come from the permission matrix (so a new page is crawled as soon as it is in the
matrix), the methods from each view class. Every parameter name a web view reads is sent with
a value a parser may choke on: a number beyond any database integer, digits `str.isdigit`
accepts but `int` refuses, a negative number, text, an undecodable byte sequence (a lone
surrogate in UTF-8), a NUL (refused by PostgreSQL) and a float overflow.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import resolve

from conftest import PERSONAS, College
from tests.test_permission_matrix import CASES, Case, _url

SERVER_ERROR = 500
DENIED = {403, 404, 405}

# Already URL-encoded: the lone surrogate and the NUL cannot be sent as text.
HOSTILE = {
    "huge": "99999999999999999999",
    "superscript-digit": quote("²"),
    "arabic-indic-digit": quote("٣"),
    "negative": "-1",
    "text": "abc",
    "lone-surrogate": "%ED%A0%80",
    "nul": "%00",
    "float-overflow": "1e999",
}

# The parameters the web views read (GET and POST), the rule editor's first rows included.
PARAMETERS = (
    "page", "q", "school", "major", "class_group", "cohort", "status", "priority_group", "rows",
    "student", "student_number", "level", "types", "reason", "note", "next", "days",
    "capacity", "enabled", "assignment", "action", "name", "difficulty_type", "match",
    "effective_from", "effective_to", "tab", "language",
    # assistance: plan items, action closing and reassigning, the queue's filters, measures
    "measure", "deadline_days", "department_kind", "item_note", "outcome", "assignee", "actions",
    "due", "department", "back", "code", "default_days", "unit_cost", "survey_category",
    "description", "is_active", "user",
    # assistance records: the record form and the closing form's record
    "kind", "occurred_on", "duration_minutes", "content", "record_kind", "record_minutes",
    # jobs pushes: the checked postings, the batch's previewed count, the push list's filters,
    # the threshold, the student's answer
    "posting", "expected", "response", "date_from", "date_to", "threshold", "from",
    # publications and satisfaction: the article editor, ratings, feedback
    "title", "summary", "body", "contact", "documents", "deadline", "tags", "schools", "cohorts",
    "then", "steps-TOTAL_FORMS", "steps-INITIAL_FORMS", "steps-0-title", "score", "comment",
    "topic", "text", "reply",
    # destinations: the queue, the checks and rate pages, the registration form
    "registrations", "rule", "by", "as_of", "employer_name", "credit_code", "city",
    "monthly_wage", "start_date", "evidence_kind", "evidence_valid_until",
    # subsidies: the policy form, the queue's filters, bulk approve and the payment step
    "policy", "year", "amount", "budget", "eligible_groups", "documents_required", "opens_on",
    "closes_on", "graduating_only", "paid_on", "reference", "step", "applications",
)  # fmt: skip
RULE_ROWS = (
    ("certificates", ">="),
    ("certificates", "between"),
    ("intention_recorded_on", "within_days"),
    ("intention_recorded_on", "before"),
    ("hukou_region_code", "starts_with"),
)


def hostile_bodies(value: str, *, difficulty_type: int) -> list[str]:
    """Every parameter hostile; then a valid rule header (so the editor's preview runs)
    with the hostile value in each condition row."""
    rows = [("c-TOTAL_FORMS", str(len(RULE_ROWS))), ("c-INITIAL_FORMS", "0")]
    for i, (field, op) in enumerate(RULE_ROWS):
        rows += [(f"c-{i}-field", field), (f"c-{i}-op", op), (f"c-{i}-value", value)]
    header = {"name": "r", "difficulty_type": str(difficulty_type), "level": "3",
              "match": "any", "effective_from": "2026-09-01", "action": "preview"}  # fmt: skip
    hostile = [(name, value) for name in PARAMETERS]
    shaped = [(name, header.get(name, value)) for name in PARAMETERS]
    return ["&".join(f"{k}={v}" for k, v in pairs) for pairs in (hostile + rows, shaped + rows)]


def _pages() -> list[Case]:
    """One case per page and target; the review decision is crawled for both actions."""
    seen: dict[tuple[str, str, str], Case] = {}
    for case in CASES:
        seen.setdefault((case.name, str(sorted(case.kwargs.items())), case.target), case)
    confirm = Case("identification:case-action", {}, {"action": "confirm"}, "post", "case")
    return [*seen.values(), confirm]


def _methods(url: str) -> list[str]:
    view = resolve(url).func.view_class  # type: ignore[attr-defined]
    allowed = getattr(view, "http_method_names", ["get", "post"])
    return [m for m in ("get", "post") if m in allowed and hasattr(view, m)]


def _send(client: Client, method: str, url: str, body: str) -> int:
    if method == "get":
        return client.get(f"{url}?{body}").status_code
    return client.post(url, body, content_type="application/x-www-form-urlencoded").status_code


@pytest.mark.parametrize("case", _pages(), ids=lambda c: f"{c.name}-{c.target}-{c.kwargs}")
def test_hostile_parameters_never_cause_a_server_error(case: Case, college: College):
    from jingzhun.identification.services import difficulty_types_ensure

    kind = difficulty_types_ensure()["employability"].pk
    client = Client(raise_request_exception=False)
    url = _url(case, college)
    errors = []
    for persona in PERSONAS:
        client.force_login(college.user(persona))
        for method in _methods(url):
            for label, value in HOSTILE.items():
                statuses = [
                    _send(client, method, url, body)
                    for body in hostile_bodies(value, difficulty_type=kind)
                ]
                errors += [
                    (persona, method, label, i) for i, s in enumerate(statuses) if s == SERVER_ERROR
                ]
                if set(statuses) <= DENIED:
                    break  # the persona is refused before any parameter is read
        client.logout()
    assert errors == []

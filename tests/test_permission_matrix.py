"""Every page × every persona: allowed, denied or hidden, generated from the URL conf.

A page added to the URL conf without a row here fails `test_every_page_is_in_the_matrix`,
so nothing can escape the matrix. Responses that are shown are also checked for unmasked
identifiers: full ID numbers, phones, e-mail addresses and household-registration codes appear
only through the audited reveal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, College

OK, DENIED, HIDDEN = 200, 403, 404
REDIRECT = 302

# URL names outside the matrix: the framework's own pages and public entry points.
PUBLIC = {"login", "logout", "set_language"}
# The REST API authenticates by token, not by persona: its token-scope matrix is
# jingzhun/api/tests/test_scope_matrix.py.
EXCLUDED_NAMESPACES = {"admin", "api"}

ALL_STAFF_OK = dict.fromkeys(PERSONAS, OK) | {"supervisor": DENIED, "outsider": HIDDEN}


def expect(default: int, **overrides: int) -> dict[str, int]:
    return {p: overrides.get(p, default) for p in PERSONAS}


def profile(ok: set[str]) -> dict[str, int]:
    """A page of student A: in scope for everyone of the college except the supervisor."""
    return {p: (OK if p in ok else DENIED) for p in PERSONAS} | {"outsider": HIDDEN}


REGISTRY_READERS = set(PERSONAS) - {"supervisor", "outsider"}
REVIEWERS = {"employment_officer", "school_officer_a", "counsellor_a"}
IMPORTERS = {
    "employment_officer",
    "school_officer_a",
    "counsellor_a",
    "aid_staff",
    "psych_staff",
    "academic_staff",
}


def own_batch(ok: int) -> dict[str, int]:
    """A batch uploaded by the employment officer: other importers do not see it."""
    return {p: (HIDDEN if p in IMPORTERS | {"outsider"} else DENIED) for p in PERSONAS} | {
        "employment_officer": ok
    }


@dataclass(frozen=True)
class Case:
    name: str
    expected: dict[str, int]
    kwargs: dict[str, Any] = field(default_factory=dict)
    method: str = "get"
    target: str = "student_a"  # which student fills <pk>


PLANNERS = {"employment_officer", "school_officer_a", "counsellor_a", "mentor_a", "outsider"}
PLAN_READERS = (PLANNERS - {"outsider"}) | {"leader"}
DEPARTMENT_STAFF = {"aid_staff", "psych_staff", "academic_staff"}
# The employment office's own people work the measures it owns (its department in conftest).
WORKERS = DEPARTMENT_STAFF | {"employment_officer"}
QUEUE_READERS = DEPARTMENT_STAFF | {"leader", "employment_officer", "outsider"}
PUSHERS = {"employment_officer", "school_officer_a", "counsellor_a", "mentor_a"}
POSTING_READERS = {"employment_officer", "school_officer_a", "counsellor_a", "mentor_a", "leader",
                   "outsider"}  # fmt: skip
FAMILY_READERS = {"employment_officer", "aid_staff", "school_officer_a", "counsellor_a", "mentor_a",
                  "student_a"}  # fmt: skip
FOLLOWUP_WRITERS = {
    "employment_officer",
    "school_officer_a",
    "counsellor_a",
    "mentor_a",
    "outsider",
}
FOLLOWUP_READERS = FOLLOWUP_WRITERS | {"leader"}
DESTINATION_REGISTRARS = {"employment_officer", "school_officer_a", "counsellor_a", "outsider"}
DESTINATION_READERS = DESTINATION_REGISTRARS | {"leader"}
SUBSIDY_DECIDERS = {"school_officer_a", "employment_officer", "aid_staff", "outsider"}
SUBSIDY_READERS = SUBSIDY_DECIDERS | PLANNERS | {"leader"}
ALERT_HANDLERS = {"employment_officer", "school_officer_a", "counsellor_a", "mentor_a", "outsider"}
ALERT_READERS = ALERT_HANDLERS | {"leader"}
BATCHERS = {"employment_officer", "school_officer_a", "counsellor_a", "outsider"}


def own_operation(ok: int) -> dict[str, int]:
    """A batch operation run by the employment officer: other batch users do not see it."""
    return {p: (HIDDEN if p in BATCHERS else DENIED) for p in PERSONAS} | {"employment_officer": ok}


CASES: list[Case] = [
    Case("home", expect(OK)),
    Case("role-switch", expect(REDIRECT), method="post"),
    Case("students:list", expect(OK, student_a=DENIED, supervisor=DENIED)),
    Case("students:me", expect(DENIED, student_a=REDIRECT)),
    Case("students:detail", profile(REGISTRY_READERS)),
    Case(
        "students:detail",
        expect(
            OK,
            school_officer_a=HIDDEN,
            counsellor_a=HIDDEN,
            mentor_a=HIDDEN,
            student_a=HIDDEN,
            supervisor=DENIED,
            outsider=HIDDEN,
        ),
        target="student_b",
    ),
    *[
        Case("students:detail-tab", profile(REGISTRY_READERS), kwargs={"tab": tab})
        for tab in ("basic", "academic", "intention", "timeline")
    ],
    *[
        # Family finances, and the campus spending that reveals them.
        Case("students:detail-tab", profile(FAMILY_READERS), kwargs={"tab": tab})
        for tab in ("family", "behaviour")
    ],
    Case(
        "students:detail-tab",
        profile({"employment_officer", "aid_staff", "psych_staff", "counsellor_a", "student_a"}),
        kwargs={"tab": "health"},
    ),
    Case(
        "students:detail-tab",
        profile({"psych_staff", "counsellor_a"}),
        kwargs={"tab": "psychological"},
    ),
    Case("students:export", expect(OK, student_a=DENIED, supervisor=DENIED)),
    # The case list (帮扶对象台账) and its export: every staff role, rows from its data scope.
    Case("casefile:case-list", expect(OK, student_a=DENIED, supervisor=DENIED)),
    Case("casefile:case-export", expect(OK, student_a=DENIED, supervisor=DENIED)),
    Case(
        "students:import-list",
        {p: (OK if p in IMPORTERS | {"outsider"} else DENIED) for p in PERSONAS},
    ),
    Case("students:import-detail", own_batch(OK), target="batch"),
    Case("students:import-configure", own_batch(REDIRECT), target="batch", method="post"),
    Case("students:import-apply", own_batch(REDIRECT), target="batch", method="post"),
    Case("students:import-retry", own_batch(REDIRECT), target="batch", method="post"),
    Case("students:import-errors", own_batch(OK), target="batch"),
    Case("students:import-file", own_batch(OK), target="batch"),
    # The one-time passwords of a staff import: only to its applier (this batch is a roster).
    Case("students:import-passwords", own_batch(REDIRECT), target="batch"),
    Case("students:import-propose-units", own_batch(REDIRECT), target="batch", method="post"),
    # Setting the college up: the employment office of each institution.
    Case(
        "students:setup",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK},
    ),
    Case(
        "students:setup-template",
        {p: (HIDDEN if p in IMPORTERS else DENIED) for p in PERSONAS}
        | {"employment_officer": OK, "school_officer_a": OK, "outsider": OK},
        kwargs={"kind": "students"},
    ),
    Case("password-change", expect(OK)),
    Case(
        "identification:run-list",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK},
    ),
    Case(
        "identification:run-detail",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": HIDDEN},
        target="run",
    ),
    Case(
        "identification:run-retry",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="run",
        method="post",
    ),
    Case(
        "identification:run-schedule",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": REDIRECT},
        method="post",
    ),
    Case(
        "identification:review",
        {p: (OK if p in REVIEWERS | {"outsider"} else DENIED) for p in PERSONAS},
    ),
    Case(
        "identification:case-add",
        {p: (OK if p in REVIEWERS | {"outsider"} else DENIED) for p in PERSONAS},
    ),
    Case(
        "identification:case-bulk",
        {p: (REDIRECT if p in REVIEWERS | {"outsider"} else DENIED) for p in PERSONAS},
        method="post",
    ),
    Case(
        "identification:case-action",
        {p: (REDIRECT if p in REVIEWERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        kwargs={"action": "dismiss"},
        target="case",
        method="post",
    ),
    Case(
        "behaviour:snapshot-list",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK},
    ),
    Case(
        "identification:model-training-retry",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="training",
        method="post",
    ),
    Case(
        "behaviour:build-retry",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="build",
        method="post",
    ),
    Case(
        "identification:model-list",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK},
    ),
    Case(
        "identification:model-approve",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="model",
        method="post",
    ),
    *[
        Case(name, dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK})
        for name in ("identification:rule-list", "identification:rule-new")
    ],
    Case(
        "identification:rule-edit",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": HIDDEN},
        target="rule",
    ),
    Case(
        "identification:rule-deactivate",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="rule",
        method="post",
    ),
    # The student's own application: no one applies on another's behalf, and a POST without
    # the form's fields comes back as the form with its errors.
    # Dashboards: the institution or the school with drill-down; the provincial supervisor
    # sees suppressed aggregates of every institution (an outsider's overview is her own).
    Case(
        "analytics:overview",
        expect(DENIED, leader=OK, employment_officer=OK, school_officer_a=OK, outsider=OK),
    ),
    Case("analytics:provincial", expect(DENIED, supervisor=OK)),
    Case("portal:apply", expect(DENIED, student_a=OK)),
    Case("portal:apply", expect(DENIED, student_a=OK), method="post"),
    # Notifications: every persona has their own list and bell; another's notification is
    # hidden exactly like a missing one (this one is student A's).
    Case("notifications:list", expect(OK)),
    Case("notifications:bell", expect(OK)),
    Case("notifications:read-all", expect(REDIRECT), method="post"),
    Case(
        "notifications:read",
        expect(HIDDEN, student_a=REDIRECT),
        target="notification",
        method="post",
    ),
    Case(
        "students:reveal",
        profile(
            {"employment_officer", "school_officer_a", "counsellor_a", "mentor_a", "student_a"}
        ),
        method="post",
    ),
    # Assistance (精准帮扶): plans by their owners, approval by the school, actions by the
    # department they are routed to, the catalogue by the employment office.
    Case("assistance:plan-list", {p: (OK if p in PLANNERS else DENIED) for p in PERSONAS}),
    Case(
        "assistance:plan-draft",
        {p: (REDIRECT if p in PLANNERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="confirmed_case",
        method="post",
    ),
    Case(
        "assistance:plan-draft-all",
        {p: (REDIRECT if p in PLANNERS else DENIED) for p in PERSONAS},
        target="confirmed_case_list",
        method="post",
    ),
    Case(
        "assistance:plan-detail",
        {p: (OK if p in PLAN_READERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="plan",
    ),
    Case(
        "assistance:plan-edit",
        {p: (REDIRECT if p in PLANNERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="plan",
        method="post",
    ),
    Case(
        "assistance:plan-step",
        {p: (REDIRECT if p in PLAN_READERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        kwargs={"step": "submit"},
        target="plan",
        method="post",
    ),
    Case("assistance:approval-queue", expect(DENIED, school_officer_a=OK)),
    Case("assistance:approval-bulk", expect(DENIED, school_officer_a=REDIRECT), method="post"),
    Case("assistance:action-queue", {p: (OK if p in QUEUE_READERS else DENIED) for p in PERSONAS}),
    Case(
        "assistance:action-bulk-reassign",
        {p: (REDIRECT if p in WORKERS else DENIED) for p in PERSONAS},
        method="post",
    ),
    Case(
        "assistance:action-detail",
        {p: (OK if p in PLAN_READERS | {"aid_staff"} else DENIED) for p in PERSONAS}
        | {"psych_staff": HIDDEN, "academic_staff": HIDDEN, "outsider": HIDDEN},
        target="action",
    ),
    Case(
        "assistance:action-step",
        {p: (HIDDEN if p in DEPARTMENT_STAFF else DENIED) for p in PERSONAS}
        | {"aid_staff": REDIRECT, "employment_officer": REDIRECT},
        kwargs={"step": "start"},
        target="action",
        method="post",
    ),
    # Records: the mixin lets action workers and case owners in; the action's scope hides it
    # from other departments and outside; the service then refuses all but the assignee and
    # the case owner (a redirect with the reason either way).
    Case(
        "assistance:record-add",
        {p: (REDIRECT if p in PLANNERS | WORKERS else DENIED) for p in PERSONAS}
        | {"psych_staff": HIDDEN, "academic_staff": HIDDEN, "outsider": HIDDEN},
        target="action",
        method="post",
    ),
    Case(
        "assistance:record-attachment",
        {p: (OK if p in PLAN_READERS | {"aid_staff"} else DENIED) for p in PERSONAS}
        | {"psych_staff": HIDDEN, "academic_staff": HIDDEN, "outsider": HIDDEN},
        target="record",
    ),
    Case(
        "assistance:measure-list",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK},
    ),
    Case(
        "assistance:measure-new",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": REDIRECT},
        method="post",
    ),
    Case(
        "assistance:measure-edit",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="measure",
        method="post",
    ),
    Case(
        "assistance:department-heads",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK},
    ),
    Case(
        "assistance:department-head-set",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="department",
        method="post",
    ),
    Case(
        "assistance:playbook-edit",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK},
        kwargs={"level": 2},
        target="difficulty_type",
    ),
    # Jobs: the employment office keeps employers and postings; school officers, counsellors,
    # mentors and leadership read postings; leadership also reads employers.
    Case("jobs:posting-list", {p: (OK if p in POSTING_READERS else DENIED) for p in PERSONAS}),
    Case(
        "jobs:posting-detail",
        {p: (OK if p in POSTING_READERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="posting",
    ),
    # Recommendations for student A: posting readers whose data scope holds the student.
    Case(
        "jobs:student-recommendations",
        {p: (OK if p in POSTING_READERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
    ),
    Case(
        "jobs:recommendation-run",
        expect(DENIED, employment_officer=REDIRECT, outsider=REDIRECT),
        method="post",
    ),
    Case("jobs:employer-list", expect(DENIED, employment_officer=OK, leader=OK, outsider=OK)),
    Case(
        "jobs:employer-vet",
        expect(DENIED, employment_officer=REDIRECT, outsider=HIDDEN),
        target="employer",
        method="post",
    ),
    # Targeted pushes: pushers (the office, school officer, counsellor, mentor) push to the
    # students in their scope; the push list is theirs and leadership's; the threshold the
    # office's. The posting here has a blacklisted employer: its push page opens, refusing.
    Case(
        "jobs:posting-push",
        {p: (OK if p in PUSHERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="posting",
    ),
    Case(
        "jobs:student-push",
        {p: (REDIRECT if p in PUSHERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        method="post",
    ),
    Case(
        "jobs:push-list",
        {p: (OK if p in PUSHERS | {"leader", "outsider"} else DENIED) for p in PERSONAS},
    ),
    Case(
        "jobs:push-threshold",
        expect(DENIED, employment_officer=REDIRECT, outsider=REDIRECT),
        method="post",
    ),
    # The student's own pushes (this one is student A's): no one else's, whatever the role.
    Case("portal:push-list", expect(DENIED, student_a=OK)),
    Case("portal:push-detail", expect(DENIED, student_a=OK), target="push"),
    Case("portal:push-respond", expect(DENIED, student_a=REDIRECT), target="push", method="post"),
    # Tracking after graduation: follow-ups by counsellors, school officers, mentors and the
    # employment office (leadership reads the list); handover by the employment office
    # (leadership reads it). The export alone holds full identifiers (audited, compressed).
    Case(
        "tracking:followup-list", {p: (OK if p in FOLLOWUP_READERS else DENIED) for p in PERSONAS}
    ),
    Case(
        "tracking:followup-record",
        {p: (OK if p in FOLLOWUP_WRITERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="followup",
    ),
    Case(
        "tracking:followup-record",
        {p: (OK if p in FOLLOWUP_WRITERS else DENIED) for p in PERSONAS}
        | {
            "counsellor_a": HIDDEN,
            "school_officer_a": HIDDEN,
            "mentor_a": HIDDEN,
            "outsider": HIDDEN,
        },
        target="followup_b",
    ),
    Case("tracking:handover-list", expect(DENIED, employment_officer=OK, leader=OK, outsider=OK)),
    Case(
        "tracking:handover-create",
        expect(DENIED, employment_officer=REDIRECT, outsider=REDIRECT),
        method="post",
    ),
    Case(
        "tracking:handover-detail",
        expect(DENIED, employment_officer=OK, leader=OK, outsider=HIDDEN),
        target="handover_batch",
    ),
    Case(
        "tracking:handover-export",
        expect(DENIED, employment_officer=OK, outsider=HIDDEN),
        target="handover_batch",
    ),
    Case(
        "tracking:handover-step",
        expect(DENIED, employment_officer=REDIRECT, outsider=HIDDEN),
        kwargs={"step": "send"},
        target="handover_batch",
        method="post",
    ),
    Case(
        "tracking:handover-replies",
        expect(DENIED, employment_officer=REDIRECT, outsider=HIDDEN),
        target="handover_batch",
        method="post",
    ),
    Case(
        "tracking:handover-reply",
        expect(DENIED, employment_officer=REDIRECT, outsider=HIDDEN),
        target="handover_entry",
        method="post",
    ),
    # The graduate's own answer to a follow-up; a POST without an outcome shows the form again.
    Case("portal:followup", expect(DENIED, student_a=OK)),
    Case("portal:followup", expect(DENIED, student_a=OK), method="post"),
    # Destinations: counsellors, school officers, the employment office and leadership read
    # (their scope); the school officer and the office verify; the student uses the portal.
    Case(
        "tracking:destination-list",
        {p: (OK if p in DESTINATION_READERS else DENIED) for p in PERSONAS},
    ),
    Case(
        "tracking:destination-bulk-verify",
        expect(DENIED, employment_officer=REDIRECT, school_officer_a=REDIRECT, outsider=REDIRECT),
        method="post",
    ),
    Case(
        "tracking:destination-new",
        {p: (OK if p in DESTINATION_REGISTRARS else DENIED) for p in PERSONAS}
        | {"outsider": HIDDEN},
        kwargs={"student_pk": 0},
    ),
    Case(
        "tracking:destination-detail",
        {p: (OK if p in DESTINATION_READERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="destination",
    ),
    Case(
        "tracking:destination-step",
        expect(DENIED, employment_officer=REDIRECT, school_officer_a=REDIRECT, outsider=HIDDEN),
        kwargs={"step": "verify"},
        target="destination",
        method="post",
    ),
    Case(
        "tracking:destination-evidence",
        {p: (OK if p in DESTINATION_READERS | {"student_a"} else DENIED) for p in PERSONAS}
        | {"outsider": HIDDEN},
        target="evidence",
    ),
    Case(
        "tracking:destination-missing",
        {p: (OK if p in DESTINATION_REGISTRARS else DENIED) for p in PERSONAS},
    ),
    Case(
        "tracking:destination-checks",
        {p: (OK if p in DESTINATION_READERS else DENIED) for p in PERSONAS},
    ),
    Case(
        "tracking:placement-rate",
        {p: (OK if p in DESTINATION_READERS else DENIED) for p in PERSONAS},
    ),
    Case(
        "tracking:placement-rate-export",
        {p: (OK if p in DESTINATION_READERS else DENIED) for p in PERSONAS},
    ),
    Case("portal:destination", expect(DENIED, student_a=OK)),
    # Subsidies: readers are the approvers of each step (school, employment office, the aid
    # centre as finance), the staff who apply for their students and leadership; an
    # application of student A waiting for finance (office approved) is the target.
    *[
        Case(name, {p: (OK if p in SUBSIDY_READERS else DENIED) for p in PERSONAS})
        for name in ("assistance:subsidy-queue", "assistance:subsidy-policy-list")
    ],
    Case("assistance:subsidy-policy-new", expect(DENIED, employment_officer=OK, outsider=OK)),
    Case(
        "assistance:subsidy-policy-edit",
        expect(DENIED, employment_officer=OK, outsider=HIDDEN),
        target="subsidy_policy",
    ),
    Case(
        "assistance:subsidy-export",
        expect(DENIED, employment_officer=OK, aid_staff=OK, outsider=OK),
    ),
    Case(
        "assistance:subsidy-bulk",
        {p: (REDIRECT if p in SUBSIDY_DECIDERS else DENIED) for p in PERSONAS},
        method="post",
    ),
    Case(
        "assistance:subsidy-detail",
        {p: (OK if p in SUBSIDY_READERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="subsidy",
    ),
    Case(
        "assistance:subsidy-document",
        {p: (OK if p in SUBSIDY_READERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="subsidy_document",
    ),
    Case(
        "assistance:subsidy-step",
        {p: (REDIRECT if p in SUBSIDY_READERS else DENIED) for p in PERSONAS}
        | {"outsider": HIDDEN},
        kwargs={"step": "finance-approve"},
        target="subsidy",
        method="post",
    ),
    Case(
        "assistance:subsidy-apply-for",
        {p: (OK if p in PLANNERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        target="student_a",
    ),
    Case("portal:subsidies", expect(DENIED, student_a=OK)),
    Case(
        "portal:subsidy-apply",
        expect(DENIED, student_a=REDIRECT),
        target="subsidy_policy",
        method="post",
    ),
    Case("portal:subsidy-detail", expect(DENIED, student_a=OK), target="subsidy"),
    Case(
        "portal:subsidy-resubmit",
        expect(DENIED, student_a=REDIRECT),
        target="subsidy",
        method="post",
    ),
    Case("portal:plan", expect(DENIED, student_a=OK)),
    # The rest of the portal: the student's own pages only (student A on student B's objects:
    # tests/test_student_isolation.py).
    *[
        Case(name, expect(DENIED, student_a=OK))
        for name in ("portal:home", "portal:policy-list", "portal:feedback")
    ],
    Case("portal:feedback", expect(DENIED, student_a=OK), method="post"),
    Case("portal:policy-detail", expect(DENIED, student_a=OK), target="article"),
    Case(
        "portal:action-rate",
        expect(DENIED, student_a=REDIRECT),
        target="completed_action",
        method="post",
    ),
    # Policies and procedures: the employment office of each college writes and publishes.
    *[
        Case(name, dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": OK})
        for name in ("tracking:article-list", "tracking:article-new")
    ],
    *[
        Case(
            name,
            dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": OK, "outsider": HIDDEN},
            target="article",
        )
        for name in ("tracking:article-edit", "tracking:article-preview")
    ],
    Case(
        "tracking:article-step",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        kwargs={"step": "unpublish"},
        target="article",
        method="post",
    ),
    # Satisfaction and feedback: read by the offices and leadership, handled by the employment office.
    *[
        Case(name, expect(DENIED, leader=OK, employment_officer=OK, assessor=OK, outsider=OK))
        for name in ("tracking:satisfaction", "tracking:feedback-list")
    ],
    Case(
        "tracking:feedback-handle",
        dict.fromkeys(PERSONAS, DENIED) | {"employment_officer": REDIRECT, "outsider": HIDDEN},
        target="feedback",
        method="post",
    ),
    # Tracking: alerts of the students in scope (leadership reads, does not handle them);
    # batch work for the employment office, school officers and counsellors, each batch
    # visible to the one who ran it.
    Case("tracking:alert-list", {p: (OK if p in ALERT_READERS else DENIED) for p in PERSONAS}),
    Case(
        "tracking:alert-step",
        {p: (REDIRECT if p in ALERT_HANDLERS else DENIED) for p in PERSONAS} | {"outsider": HIDDEN},
        kwargs={"step": "acknowledge"},
        target="alert",
        method="post",
    ),
    Case(
        "tracking:alert-bulk-acknowledge",
        {p: (REDIRECT if p in ALERT_HANDLERS else DENIED) for p in PERSONAS},
        method="post",
    ),
    Case(
        "tracking:alert-check-start",
        expect(DENIED, employment_officer=REDIRECT, outsider=REDIRECT),
        method="post",
    ),
    Case("tracking:batch-new", {p: (OK if p in BATCHERS else DENIED) for p in PERSONAS}),
    Case("tracking:batch-detail", own_operation(OK), target="batch_operation"),
    Case("tracking:batch-export", own_operation(OK), target="batch_operation"),
    Case("tracking:batch-retry", own_operation(REDIRECT), target="batch_operation", method="post"),
    Case(
        "portal:plan-acknowledge",
        expect(DENIED, student_a=REDIRECT),
        target="approved_plan",
        method="post",
    ),
]


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_is_in_the_matrix():
    pages = _url_names(get_resolver().url_patterns) - PUBLIC
    assert pages == {case.name for case in CASES}


def _batch(college: College) -> Any:
    from jingzhun.students.intake.services import import_batch_create
    from jingzhun.students.tests.spreadsheets import xlsx_bytes

    data = xlsx_bytes(["学号", "姓名", "性别", "班级"], [["2024010009", "新生", "男", "计应2401"]])
    actor = college.personas["employment_officer"]
    return import_batch_create(actor=actor, kind="students", filename="a.xlsx", data=data)


def _risk_model(college: College) -> Any:
    """A trained model row of the college (approval reads no artifact file)."""
    import datetime as dt

    from jingzhun.identification.models import RiskModel
    from jingzhun.identification.risk import model_schema

    return RiskModel.objects.create(
        institution=college.institution,
        version="risk-20260901T000000Z-matrix",
        schema_hash=model_schema().hash(),
        as_of=dt.date(2026, 9, 1),
        artifact="risk_models/matrix.zip",
    )


def _rule(college: College) -> Any:
    import datetime as dt

    from jingzhun.identification import services

    return services.rule_save(
        actor=college.personas["employment_officer"],
        name="无证书",
        difficulty_type=services.difficulty_types_ensure()["employability"],
        level=3,
        condition={"field": "certificates", "op": "==", "value": 0},
        effective_from=dt.date(2026, 9, 1),
    )


def _assistance_target(target: str, college: College) -> int:
    """A confirmed case of student A (counsellor A responsible), its plan as a draft, as an
    approved plan, its 资助 action, a measure of the college's catalogue or a difficulty type."""
    from jingzhun.assistance.models import Measure
    from jingzhun.assistance.services import catalogue, plans
    from jingzhun.assistance.tests.helpers import confirmed_case
    from jingzhun.identification.services import difficulty_types_ensure

    if target == "difficulty_type":
        return difficulty_types_ensure()["economic"].pk
    if target == "measure":
        catalogue.catalogue_ensure(institution_id=college.institution.pk)
        return Measure.objects.get(institution=college.institution, code="aid").pk
    case = confirmed_case(college)
    if target == "confirmed_case":
        return case.pk
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=case)
    if target == "plan":
        return plan.pk
    plans.plan_submit(actor=owner, plan=plan)
    plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    if target == "approved_plan":
        return plan.pk
    action = plan.actions.get(measure__code="aid")
    if target == "record":
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from jingzhun.assistance.services.records import record_add

        return record_add(
            actor=college.personas["aid_staff"], action=action, kind="payment",
            occurred_on=timezone.localdate(), duration_minutes=None, content="发放困难补助",
            attachment=SimpleUploadedFile("回执.pdf", b"%PDF-1.4\n"),
        ).pk  # fmt: skip
    return action.pk


def _jobs_target(target: str, college: College) -> int:
    """A posting of the college (its employer blacklisted: staff still read it), or the employer."""
    from jingzhun.jobs.models import Employer, JobPosting

    employer = Employer.objects.create(institution=college.institution, name="甲公司", name_key="甲",
                                       vetting=Employer.Vetting.BLACKLISTED)  # fmt: skip
    if target == "employer":
        return employer.pk
    return JobPosting.objects.create(institution=college.institution, employer=employer, title="文员",
                                     title_key="文员", place_key="410100", city_code="410100").pk  # fmt: skip


def _push(college: College) -> int:
    """A posting pushed to student A by the employment office."""
    from jingzhun.jobs.push_services import push_send
    from jingzhun.jobs.tests.helpers import posting

    office = college.personas["employment_officer"]
    return push_send(actor=office, posting=posting(college), student=college.student_a).pk


def _followup_target(target: str, college: College) -> int:
    """A due follow-up of student A (or B), or a handover batch of student A and its entry:
    both graduated in 2026 without a destination."""
    import datetime as dt

    from jingzhun.students.models import Student
    from jingzhun.tracking.models import FollowUp, HandoverBatch, HandoverEntry

    student = college.student_b if target == "followup_b" else college.student_a
    Student.objects.filter(pk=student.pk).update(cohort=2026, status="graduated")
    if target.startswith("followup"):
        return FollowUp.objects.create(student=student, kind="unplaced", anchor_on=dt.date(2026, 6, 30),
                                       due_on=dt.date(2026, 7, 30)).pk  # fmt: skip
    batch = HandoverBatch.objects.create(institution=college.institution, cohort=2026, place_code="4101",
                                         place_name="河南省郑州市")  # fmt: skip
    entry = HandoverEntry.objects.create(batch=batch, student=student)
    return entry.pk if target == "handover_entry" else batch.pk


FOLLOWUP_TARGETS = {"followup", "followup_b", "handover_batch", "handover_entry"}


def _subsidy_target(target: str, college: College) -> int:
    """The college's policy, an application of student A approved by the employment office
    (waiting for finance), or one of its documents."""
    from jingzhun.assistance.tests.helpers import subsidy_application, subsidy_policy

    if target == "subsidy_policy":
        return subsidy_policy(college).pk
    application = subsidy_application(college, status="office_approved")
    if target == "subsidy_document":
        return application.documents.order_by("pk").first().pk  # type: ignore[union-attr]
    return application.pk


SUBSIDY_TARGETS = {"subsidy_policy", "subsidy", "subsidy_document"}


def _alert_target(target: str, college: College) -> int:
    """An open alert of student A (a key-level case without a plan), or a finished ledger
    export of the whole college run by the employment officer."""
    import datetime as dt

    from jingzhun.assistance.tests.helpers import confirmed_case
    from jingzhun.tracking.tests.alert_helpers import reconcile, unclosed

    if target == "alert":
        confirmed_case(college, level=1)
        reconcile("high_risk_no_plan", dt.date(2026, 12, 5))
        return unclosed("high_risk_no_plan")[0].pk
    from jingzhun.tracking.batches.selectors import BatchFilters
    from jingzhun.tracking.batches.services import batch_execute, batch_start

    operation = batch_start(actor=college.personas["employment_officer"], kind="export",
                            filters=BatchFilters(), params={})  # fmt: skip
    return batch_execute(operation_id=operation.pk).pk


ASSISTANCE_TARGETS = {"confirmed_case", "plan", "approved_plan", "action", "measure", "record"}


def _tracking_target(target: str, college: College) -> int:
    """A published article for every student, student A's completed action, or feedback."""
    from jingzhun.tracking.satisfaction.services import feedback_submit
    from jingzhun.tracking.tests.publication_helpers import article, completed_action

    if target == "article":
        return article(college).pk
    if target == "completed_action":
        return completed_action(college).pk
    return feedback_submit(
        actor=college.personas["student_a"], topic="policy", text="流程写得很清楚"
    ).pk


TRACKING_TARGETS = {"article", "completed_action", "feedback"}


def _destination_target(target: str, college: College) -> int:
    """Student A's destination, submitted with a photo of the agreement (a cohort graduating
    next year, so the default deadline is ahead whatever today is)."""
    from django.utils import timezone

    from jingzhun.tracking.tests.destination_helpers import register

    college.student_a.cohort = timezone.localdate().year + 1
    college.student_a.save(update_fields=["cohort"])
    registration = register(college)
    if target == "evidence":
        return registration.evidence.get().pk
    return registration.pk


def _url(case: Case, college: College) -> str:
    kwargs = dict(case.kwargs)
    if case.name == "tracking:destination-new":
        kwargs["student_pk"] = college.student_a.pk
    if case.target == "confirmed_case_list":
        _assistance_target("confirmed_case", college)
    elif case.target in ASSISTANCE_TARGETS:
        kwargs["pk"] = _assistance_target(case.target, college)
        if case.target == "confirmed_case":
            kwargs["case_pk"] = kwargs.pop("pk")
    elif case.target == "subsidy_document":
        from jingzhun.assistance.subsidy_models import SubsidyDocument

        document = SubsidyDocument.objects.get(pk=_subsidy_target(case.target, college))
        kwargs |= {"pk": document.application_id, "doc": document.pk}
    elif case.target in SUBSIDY_TARGETS:
        key = "policy_pk" if case.name == "portal:subsidy-apply" else "pk"
        kwargs[key] = _subsidy_target(case.target, college)
    elif case.name == "assistance:subsidy-apply-for":
        kwargs["student_pk"] = college.student_a.pk
    elif case.target == "difficulty_type":
        kwargs["type_pk"] = _assistance_target(case.target, college)
    elif case.target in TRACKING_TARGETS:
        kwargs["pk"] = _tracking_target(case.target, college)
    elif case.target in FOLLOWUP_TARGETS:
        kwargs["pk"] = _followup_target(case.target, college)
    elif case.target in {"destination", "evidence"}:
        kwargs["pk"] = _destination_target(case.target, college)
    elif case.target == "department":
        kwargs["pk"] = college.departments["aid"].pk
    elif case.target in {"posting", "employer"}:
        kwargs["pk"] = _jobs_target(case.target, college)
    elif case.target == "push":
        kwargs["pk"] = _push(college)
    elif case.name in {"jobs:student-recommendations", "jobs:student-push"}:
        kwargs["pk"] = getattr(college, case.target).pk
    elif case.target in {"alert", "batch_operation"}:
        kwargs["pk"] = _alert_target(case.target, college)
    elif case.target == "batch":
        kwargs["pk"] = _batch(college).pk
    elif case.target == "case":
        from jingzhun.identification.models import Case as AssistanceCase

        kwargs["pk"] = AssistanceCase.objects.create(student=college.student_a).pk
    elif case.target == "model":
        kwargs["pk"] = _risk_model(college).pk
    elif case.target == "rule":
        kwargs["pk"] = _rule(college).pk
    elif case.target == "training":
        from jingzhun.identification.models import ModelTraining

        kwargs["pk"] = ModelTraining.objects.create(
            institution=college.institution, as_of="2026-11-01", status="failed"
        ).pk
    elif case.target == "build":
        from jingzhun.behaviour.models import BehaviourBuild

        kwargs["pk"] = BehaviourBuild.objects.create(
            institution=college.institution, as_of="2026-11-01", status="failed"
        ).pk
    elif case.target == "notification":
        from jingzhun.notifications import kinds
        from jingzhun.notifications.services import notify

        (mine,) = notify(recipients=[college.user("student_a")], kind=kinds.TEST, title="t")
        kwargs["pk"] = mine.pk
    elif case.target == "run":
        from jingzhun.identification.models import IdentificationRun

        kwargs["pk"] = IdentificationRun.objects.create(
            institution=college.institution,
            as_of="2026-11-01",
            started_by=college.user("employment_officer"),
        ).pk
    elif case.name.startswith("students:") and case.name not in {
        "students:list",
        "students:me",
        "students:export",
        "students:import-list",
        "students:setup",
        "students:setup-template",
    }:
        kwargs["pk"] = getattr(college, case.target).pk
    return reverse(case.name, kwargs=kwargs)


def _data(case: Case, college: College, persona: str) -> dict[str, Any]:
    if case.name == "role-switch":
        return {"assignment": college.personas[persona].pk}
    return {}


def _case_id(case: Case) -> str:
    return "-".join([case.name, *map(str, case.kwargs.values()), case.target, case.method])


# The household-registration place as a masked page shows it: names, never the county code.
SHOWN_PLACE = re.compile(r'data-testid="hukou-region">([^<]*)<')


def _full_identifiers(college: College) -> list[str]:
    """Every student's full identifiers, each e-mail a 163 mailbox on the mobile number."""
    from jingzhun.students.models import Student

    values = []
    for student in (college.student_a, college.student_b):
        Student.objects.filter(pk=student.pk).update(email=f"{student.phone}@163.com")
        values += [student.id_number, student.phone, f"{student.phone}@163.com"]
    return values


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_matrix(case: Case, college: College, client):
    full_values = _full_identifiers(college)
    url = _url(case, college)
    outcomes = {}
    for persona in PERSONAS:
        client.force_login(college.user(persona))
        response = getattr(client, case.method)(url, _data(case, college, persona))
        outcomes[persona] = response.status_code
        if response.status_code == OK and case.name != "students:reveal":
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="ignore")
            leaked = [v for v in full_values if v in body]
            leaked += [p for p in SHOWN_PLACE.findall(body) if any(c.isdigit() for c in p)]
            assert not leaked, f"{persona} saw unmasked {leaked} at {url}"
        client.logout()
    assert outcomes == case.expected


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_anonymous_is_sent_to_login(case: Case, college: College, client):
    response = getattr(client, case.method)(_url(case, college))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_back_office_admin_is_closed_to_every_persona(persona: str, college: College, client):
    client.force_login(college.user(persona))
    response = client.get(reverse("admin:index"))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("admin:login"))

"""The student's file (一人一档): the case status on top, the timeline tab from the stages'
entries, sensitivity as in the review queue, and what a student reads of their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from jingzhun.casefile.profile import timeline_for
from jingzhun.casefile.tests.helpers import case_of, run_of, signal_of
from jingzhun.core.models import AuditLog
from jingzhun.identification.case_selectors import case_of_student, student_status
from jingzhun.identification.models import Case, Level
from jingzhun.identification.timeline import entries_for

pytestmark = pytest.mark.django_db

PSYCH_WHY = "心理筛查结果为重点关注（SCL-90）"
ECON_WHY = "家庭经济困难等级：特别困难"


@pytest.fixture
def confirmed(college):
    """Student A flagged by a run (economic and psychological signals), confirmed by the
    counsellor as level 1, responsible herself, two days ago."""
    run = run_of(college, as_of=dt.date(2026, 9, 15))
    signal_of(college.student_a, run, "economic", level=1, explanation=ECON_WHY,
              sensitivity="family_finance")  # fmt: skip
    signal_of(college.student_a, run, "psychological", level=1, explanation=PSYCH_WHY,
              sensitivity="psychological")  # fmt: skip
    return case_of(college.student_a, codes=("economic",), level=1, run=run, days_ago=2,
                   responsible=college.user("counsellor_a"))  # fmt: skip


def t(msgid: str, **params: object) -> str:
    """`msgid` in the active language, so the test holds once the catalogue translates it."""
    text = translation.gettext(msgid)
    return text % params if params else text


def zh(text: object) -> str:
    with translation.override("zh-hans"):
        return str(text)


def test_the_file_shows_the_case_status_to_staff(college, confirmed, client):
    client.force_login(college.user("counsellor_a"))
    response = client.get(reverse("students:detail", args=[college.student_a.pk]))
    summary = response.context["case"]
    assert summary.case == confirmed
    assert (summary.type_names, summary.run) == (["经济困难"], confirmed.opened_run)
    assert summary.opened_by == zh(
        t(
            "Identification run #%(run)s (as of %(as_of)s)",
            run=confirmed.opened_run.pk,
            as_of="2026-09-15",
        )
    )
    body = response.content.decode()
    assert f'data-testid="case-status-label">{zh(Case.Status.CONFIRMED.label)}<' in body
    assert 'data-testid="case-responsible">张辅导员<' in body
    assert 'data-testid="own-status"' not in body


def test_a_student_without_a_case_says_so(college, client):
    client.force_login(college.user("employment_officer"))
    response = client.get(reverse("students:detail", args=[college.student_b.pk]))
    assert response.context["case"] is None
    assert (
        zh(t("No case: this student is not in the assistance programme."))
        in response.content.decode()
    )


def test_case_of_student_prefers_the_open_case_and_respects_the_scope(college, confirmed):
    closed = case_of(college.student_a, status=Case.Status.DISMISSED, level=None)
    Case.objects.filter(pk=closed.pk).update(created_at=confirmed.created_at + dt.timedelta(days=1))
    summary = case_of_student(actor=college.personas["counsellor_a"], student=college.student_a)
    assert summary is not None and summary.case == confirmed
    assert case_of_student(actor=college.personas["outsider"], student=college.student_a) is None


def test_the_timeline_shows_signals_with_runs_and_case_events(college, confirmed):
    entries = timeline_for(actor=college.personas["counsellor_a"], student=college.student_a)
    run = confirmed.opened_run.pk
    key = str(Level.KEY.label)
    assert [(e.kind, e.title, e.restricted) for e in entries] == [
        (
            "signal",
            t("Flagged: %(type)s, %(level)s", type="心理困扰", level=key),
            False,
        ),  # written by the run just now
        ("signal", t("Flagged: %(type)s, %(level)s", type="经济困难", level=key), False),
        (
            "case_event",
            t("Case status: %(status)s", status=Case.Status.CONFIRMED.label),
            False,
        ),  # two days ago
        ("case_event", t("Candidate from identification run #%(run)s", run=run), False),
    ]
    assert (
        entries[1].detail
        == t("Identification run #%(run)s (as of %(as_of)s)", run=run, as_of="2026-09-15")
        + f"：{ECON_WHY}"
    )
    assert (entries[2].actor_name, entries[2].detail) == ("张辅导员", "经济困难")
    assert entries[3].actor_name == ""


def test_a_signal_the_viewer_may_not_open_keeps_its_level_but_not_its_type_or_explanation(
    college, confirmed
):
    entries = timeline_for(actor=college.personas["employment_officer"], student=college.student_a)
    psych = next(e for e in entries if e.sensitivity == "psychological")
    assert psych.title == t("Flagged: %(type)s, %(level)s", type=t("Restricted type"),
                            level=str(Level.KEY.label))  # fmt: skip
    assert all("心理困扰" not in e.title + e.detail for e in entries)
    econ = next(e for e in entries if "经济困难" in e.title)
    assert (psych.restricted, PSYCH_WHY in psych.detail, psych.sensitivity) == (
        True,
        False,
        "psychological",
    )
    assert (econ.restricted, ECON_WHY in econ.detail) == (False, True)
    assert all(PSYCH_WHY not in e.detail for e in entries)


def test_a_note_on_a_case_of_a_sensitive_type_is_left_out(college):
    case = case_of(college.student_a, status=Case.Status.CANDIDATE, codes=("psychological",),
                   origin=Case.Origin.SELF_APPLICATION, by=college.student_a.user,
                   note="最近睡不好，很焦虑")  # fmt: skip
    officer = entries_for(actor=college.personas["employment_officer"], student=college.student_a)
    assert [(e.title, e.detail, e.restricted) for e in officer] == [
        (translation.gettext("The student applied for assistance"), "", True)]  # fmt: skip
    counsellor = entries_for(actor=college.personas["counsellor_a"], student=college.student_a)
    assert [(e.detail, e.restricted) for e in counsellor] == [("最近睡不好，很焦虑", False)]
    assert case.pk


def test_the_timeline_is_empty_out_of_scope(college, confirmed):
    assert entries_for(actor=college.personas["outsider"], student=college.student_a) == []
    assert entries_for(actor=None, student=college.student_a) == []


def test_the_timeline_tab_renders_and_audits_sensitive_explanations(college, confirmed, client):
    client.force_login(college.user("counsellor_a"))
    url = reverse("students:detail-tab", args=[college.student_a.pk, "timeline"])
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.count('data-testid="timeline-entry"') == 4
    assert PSYCH_WHY in body and ECON_WHY in body
    entry = AuditLog.objects.get(action=AuditLog.Action.VIEW_SENSITIVE)
    assert (entry.actor, entry.object_id, entry.fields) == (
        college.user("counsellor_a"), str(college.student_a.pk), ["signals"])  # fmt: skip
    assert entry.detail == {"tab": "timeline", "sensitivity": ["family_finance", "psychological"]}


def test_a_timeline_without_sensitive_details_shown_is_not_audited(college, confirmed, client):
    client.force_login(college.user("leader"))  # opens no sensitive field group
    url = reverse("students:detail-tab", args=[college.student_a.pk, "timeline"])
    body = client.get(url).content.decode()
    assert body.count('data-testid="timeline-entry"') == 4
    assert PSYCH_WHY not in body and ECON_WHY not in body
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_SENSITIVE).exists()


# --- the student's own view ---------------------------------------------------------------


def test_a_student_sees_their_status_in_words_with_their_teacher_and_the_next_step(
    college, confirmed, client
):
    client.force_login(college.user("student_a"))
    response = client.get(reverse("students:detail", args=[college.student_a.pk]))
    status = response.context["own_status"]
    assert (status.status, str(status.words)) == (
        "confirmed", t("The college has arranged a teacher to keep in touch with you"))  # fmt: skip
    assert [(str(c.role), c.name) for c in status.contacts] == [
        (t("Your teacher in charge"), "张辅导员"), (t("Your mentor"), "刘老师")]  # fmt: skip
    body = response.content.decode()
    assert 'data-testid="own-status-words"' in body and 'data-testid="own-next-step"' in body
    assert "case" not in response.context
    for label in ("困难生", "帮扶对象", zh(Case.Status.CONFIRMED.label), "经济困难", ECON_WHY):
        assert label not in body


def test_a_student_timeline_has_no_signal_and_no_staff_note(college, confirmed, client):
    client.force_login(college.user("student_a"))
    url = reverse("students:detail-tab", args=[college.student_a.pk, "timeline"])
    body = client.get(url).content.decode()
    entries = timeline_for(actor=college.personas["student_a"], student=college.student_a)
    assert [(e.kind, e.title, e.detail) for e in entries] == [
        ("case_event", t("The college has arranged a teacher to keep in touch with you"), ""),
        ("case_event", t("A teacher opened a file for you"), ""),
    ]
    assert "经济困难" not in body and ECON_WHY not in body and "心理困扰" not in body


def test_an_unreviewed_run_candidate_stays_unseen_by_the_student(college, client):
    case_of(college.student_a, status=Case.Status.CANDIDATE, codes=("economic",))
    assert student_status(actor=college.personas["student_a"]) is None
    assert entries_for(actor=college.personas["student_a"], student=college.student_a) == []
    client.force_login(college.user("student_a"))
    body = client.get(reverse("students:detail", args=[college.student_a.pk])).content.decode()
    assert 'data-testid="own-status"' not in body


def test_a_students_own_application_shows_as_received(college):
    case_of(college.student_a, status=Case.Status.CANDIDATE, origin=Case.Origin.SELF_APPLICATION,
            by=college.student_a.user, note="家里困难，想找工作")  # fmt: skip
    status = student_status(actor=college.personas["student_a"])
    assert status is not None
    assert str(status.words) == t("Your application has been received")
    # Nobody is in charge before a review: the mentor is the one to talk to.
    assert [(str(c.role), c.name) for c in status.contacts] == [(t("Your mentor"), "刘老师")]
    entries = entries_for(actor=college.personas["student_a"], student=college.student_a)
    assert [(e.title, e.detail) for e in entries] == [
        (translation.gettext("You applied for assistance"), "家里困难，想找工作")
    ]


def test_staff_have_no_student_status(college, confirmed):
    assert student_status(actor=college.personas["counsellor_a"]) is None


def test_the_portal_shows_the_status_words_contacts_and_next_step(college, confirmed, client):
    client.force_login(college.user("student_a"))
    response = client.get(reverse("portal:apply"))
    body = response.content.decode()
    assert (
        'data-testid="own-status-words">'
        + zh(t("The college has arranged a teacher to keep in touch with you"))
        + "<"
        in body
    )
    assert "张辅导员" in body and "刘老师" in body
    assert 'data-testid="own-next-step"' in body
    assert "困难生" not in body and "帮扶对象" not in body


@pytest.mark.parametrize(
    ("persona", "linked"), [("employment_officer", True), ("counsellor_a", False)]
)
def test_a_signal_links_to_its_run_for_those_who_may_open_runs(college, confirmed, persona, linked):
    entries = timeline_for(actor=college.personas[persona], student=college.student_a)
    run_page = reverse("identification:run-detail", args=[confirmed.opened_run.pk])
    assert [e.link for e in entries if e.kind == "signal"] == [run_page if linked else ""] * 2


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("employment_officer", True), ("counsellor_a", True), ("mentor_a", True), ("leader", True),
     ("school_officer_a", True), ("aid_staff", False), ("psych_staff", False), ("assessor", False),
     ("student_a", False)],
)  # fmt: skip
def test_the_file_links_to_the_recommendations_for_roles_that_read_postings(
    college, client, persona, shown
):
    client.force_login(college.user(persona))
    response = client.get(reverse("students:detail", args=[college.student_a.pk]))
    assert response.status_code == 200
    link = reverse("jobs:student-recommendations", args=[college.student_a.pk])
    body = response.content.decode()
    assert ('data-testid="recommendations-link"' in body) is shown
    assert (f'href="{link}"' in body) is shown
    if shown:  # the link leads to a page the role may open
        assert client.get(link).status_code == 200

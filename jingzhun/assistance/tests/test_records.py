"""Records (帮扶记录): who writes them, and who reads a counselling session's content (the
roles that may open psychological fields), who only the fact, who nothing — with every read
of confidential content audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS
from jingzhun.assistance.models import Action, AssistanceRecord
from jingzhun.assistance.services import plans
from jingzhun.assistance.services.records import record_add
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.assistance.timeline import entries_for
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog

pytestmark = pytest.mark.django_db

SECRET = "来访者谈到考试焦虑与失眠，约定下周复诊"
TALK = "谈心谈话：了解求职意向，建议参加简历辅导"
CONTENT, FACT, NOTHING = "content", "fact", "nothing"

# Who reads a counselling record of student A: only the psychological centre reads its content
# (stricter than the field table, which lets the counsellor open screening results); everyone
# else who sees the case sees that it took place; other departments' staff (who see only their
# own actions), the student and people outside see nothing.
COUNSELLING_READERS = {
    "psych_staff": CONTENT,
    "counsellor_a": FACT,
    "employment_officer": FACT,
    "school_officer_a": FACT,
    "mentor_a": FACT,
    "leader": FACT,
    "assessor": FACT,
    "aid_staff": NOTHING,
    "academic_staff": NOTHING,
    "student_a": NOTHING,
    "supervisor": NOTHING,
    "outsider": NOTHING,
}


def _actions(college):
    owner = college.personas["counsellor_a"]
    case = confirmed_case(college, types=("economic", "psychological"))
    plan = plans.plan_draft(actor=owner, case=case)
    plans.plan_submit(actor=owner, plan=plan)
    plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    return plan.actions.get(measure__code="psych_counselling"), plan.actions.get(
        measure__code="aid"
    )


def _counselling(college, action):
    return record_add(
        actor=college.personas["psych_staff"], action=action, kind="counselling",
        occurred_on=timezone.localdate(), duration_minutes=50, content=SECRET,
    )  # fmt: skip


def test_the_table_covers_every_persona():
    assert set(COUNSELLING_READERS) == set(PERSONAS)


def test_the_psychological_centre_writes_a_confidential_counselling_record(college):
    psych, _aid = _actions(college)
    record = _counselling(college, psych)
    assert (record.student, record.action, record.kind, record.duration_minutes) == (
        college.student_a,
        psych,
        "counselling",
        50,
    )
    assert (record.sensitivity, record.department, record.author) == (
        "psychological",
        college.departments["psych"],
        college.user("psych_staff"),
    )
    row = AuditLog.objects.get(
        action=AuditLog.Action.CREATE, object_type="assistance.assistancerecord"
    )
    assert row.object_id == str(record.pk)
    assert row.detail == {
        "action": psych.pk,
        "kind": "counselling",
        "sensitivity": "psychological",
        "attachment": False,
    }
    assert SECRET not in str(row.detail) + row.object_repr


def test_the_case_owner_writes_a_talk_and_a_psychological_action_keeps_it_confidential(college):
    psych, aid = _actions(college)
    owner = college.personas["counsellor_a"]
    talk = record_add(actor=owner, action=aid, kind="talk", occurred_on=timezone.localdate(),
                      duration_minutes=None, content=TALK)  # fmt: skip
    on_psych = record_add(actor=owner, action=psych, kind="talk", occurred_on=timezone.localdate(),
                          duration_minutes=20, content="约谈")  # fmt: skip
    assert (talk.sensitivity, talk.department, talk.duration_minutes) == ("", None, 0)
    assert on_psych.sensitivity == "psychological"


@pytest.mark.parametrize(
    ("persona", "target", "kind", "message"),
    [
        ("counsellor_a", "psych", "counselling", "心理"),  # the owner, but not the centre
        ("aid_staff", "psych", "talk", ""),  # another department's action
        ("employment_officer", "aid", "talk", ""),  # neither assignee nor case owner
        ("school_officer_a", "aid", "talk", ""),
        ("mentor_a", "aid", "talk", ""),
        ("leader", "aid", "talk", ""),
        ("student_a", "aid", "talk", ""),
    ],
)
def test_others_may_not_write_records(college, persona, target, kind, message):
    psych, aid = _actions(college)
    with pytest.raises(DomainError) as exc:
        record_add(actor=college.personas[persona], action=psych if target == "psych" else aid,
                   kind=kind, occurred_on=timezone.localdate(), duration_minutes=30, content="x")  # fmt: skip
    assert exc.value.code == "assistance.not_allowed"
    assert message in exc.value.message
    assert not AssistanceRecord.objects.exists()


@pytest.mark.parametrize(
    ("kind", "day", "minutes", "content", "field"),
    [
        ("visit", 0, 30, "x", "kind"),
        ("talk", None, 30, "x", "occurred_on"),
        ("talk", 1, 30, "x", "occurred_on"),  # tomorrow
        ("talk", 0, 1441, "x", "duration_minutes"),
        ("talk", 0, 30, "   ", "content"),
        ("talk", 0, 30, "长" * 4001, "content"),
    ],
)
def test_invalid_records_are_refused(college, kind, day, minutes, content, field):
    _psych, aid = _actions(college)
    occurred = None if day is None else timezone.localdate() + dt.timedelta(days=day)
    with pytest.raises(DomainError) as exc:
        record_add(actor=college.personas["aid_staff"], action=aid, kind=kind, occurred_on=occurred,
                   duration_minutes=minutes, content=content)  # fmt: skip
    assert (exc.value.code, exc.value.field) == ("record.invalid", field)
    assert not AssistanceRecord.objects.exists()


def _record_entries(college, persona):
    return [e for e in entries_for(actor=college.personas[persona], student=college.student_a)
            if e.kind == "record"]  # fmt: skip


@pytest.mark.parametrize(("persona", "reads"), sorted(COUNSELLING_READERS.items()))
def test_the_timeline_shows_a_counselling_record_per_reader(college, persona, reads):
    psych, _aid = _actions(college)
    record = _counselling(college, psych)
    AuditLog.objects.all().delete()

    entries = _record_entries(college, persona)

    sensitive_reads = AuditLog.objects.filter(action=AuditLog.Action.VIEW_SENSITIVE)
    if reads == NOTHING:
        assert entries == []
        assert not sensitive_reads.exists()
        return
    (entry,) = entries
    assert entry.sensitivity == "psychological"
    if reads == CONTENT:
        assert (entry.title, entry.detail, entry.restricted) == (
            "心理咨询记录（心理健康教育中心）",
            SECRET,
            False,
        )
        assert entry.actor_name == "心理中心老师"
        (row,) = sensitive_reads
        assert (row.actor, row.object_id, row.fields) == (
            college.user(persona),
            str(college.student_a.pk),
            ["psychological"],
        )
        assert row.detail == {"records": [record.pk]}
    else:
        assert (entry.title, entry.detail, entry.restricted, entry.actor_name) == (
            "已进行一次心理咨询（心理健康教育中心）",
            "",
            True,
            "",
        )
        assert not sensitive_reads.exists()


def test_a_plain_record_is_read_by_everyone_who_sees_its_action(college):
    _psych, aid = _actions(college)
    record_add(actor=college.personas["aid_staff"], action=aid, kind="payment",
               occurred_on=timezone.localdate(), duration_minutes=None, content="发放困难补助2000元")  # fmt: skip
    assert [e.detail for e in _record_entries(college, "employment_officer")] == [
        "发放困难补助2000元"
    ]
    assert [e.detail for e in _record_entries(college, "aid_staff")] == ["发放困难补助2000元"]
    assert _record_entries(college, "psych_staff") == []
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_SENSITIVE).exists()


def test_the_action_page_shows_the_content_to_the_centre_and_audits_it(college, client):
    psych, _aid = _actions(college)
    record = _counselling(college, psych)
    client.force_login(college.user("psych_staff"))

    page = client.get(reverse("assistance:action-detail", args=[psych.pk])).content.decode()

    assert SECRET in page
    assert 'data-testid="record-form"' in page
    row = AuditLog.objects.get(action=AuditLog.Action.VIEW_SENSITIVE)
    assert (row.actor, row.detail) == (college.user("psych_staff"), {"records": [record.pk]})


def test_the_action_page_shows_others_only_that_a_session_took_place(college, client):
    psych, _aid = _actions(college)
    _counselling(college, psych)
    client.force_login(college.user("employment_officer"))

    page = client.get(reverse("assistance:action-detail", args=[psych.pk])).content.decode()

    assert SECRET not in page
    assert "已进行一次心理咨询" in page and "心理健康教育中心" in page
    assert 'data-testid="record-form"' not in page
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_SENSITIVE).exists()


def test_adding_a_record_from_the_action_page(college, client):
    _psych, aid = _actions(college)
    client.force_login(college.user("aid_staff"))
    url = reverse("assistance:record-add", args=[aid.pk])

    response = client.post(url, {"kind": "payment", "occurred_on": timezone.localdate().isoformat(),
                                 "duration_minutes": "15", "content": "发放困难补助"})  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == reverse("assistance:action-detail", args=[aid.pk])
    record = AssistanceRecord.objects.get()
    assert (record.kind, record.duration_minutes, record.content, record.action_id) == (
        "payment",
        15,
        "发放困难补助",
        aid.pk,
    )
    page = client.get(response["Location"]).content.decode()
    assert "发放困难补助" in page


def test_a_refused_record_from_the_page_writes_nothing(college, client):
    psych, _aid = _actions(college)
    client.force_login(college.user("counsellor_a"))
    response = client.post(reverse("assistance:record-add", args=[psych.pk]),
                           {"kind": "counselling", "occurred_on": "2026-01-01", "content": "x"})  # fmt: skip
    assert response.status_code == 302
    assert not AssistanceRecord.objects.exists()
    assert Action.objects.get(pk=psych.pk).records.count() == 0


def _close(client, action, **extra):
    data = {"status": "done", "outcome": "helped", "note": "已发放困难补助 2000 元"} | extra
    return client.post(reverse("assistance:action-step", args=[action.pk, "close"]), data)


def test_closing_an_action_can_keep_its_note_as_a_record(college, client):
    _psych, aid = _actions(college)
    client.force_login(college.user("aid_staff"))

    assert _close(client, aid, record_kind="payment", record_minutes="10").status_code == 302

    aid.refresh_from_db()
    record = AssistanceRecord.objects.get()
    assert (aid.status, aid.outcome) == ("done", "helped")
    assert (record.action_id, record.kind, record.content, record.duration_minutes) == (
        aid.pk,
        "payment",
        "已发放困难补助 2000 元",
        10,
    )
    assert record.occurred_on == timezone.localdate()


def test_closing_without_a_record_kind_writes_no_record(college, client):
    _psych, aid = _actions(college)
    client.force_login(college.user("aid_staff"))
    _close(client, aid)
    aid.refresh_from_db()
    assert aid.status == "done"
    assert not AssistanceRecord.objects.exists()


def test_a_refused_record_leaves_the_action_open(college, client):
    _psych, aid = _actions(college)
    client.force_login(college.user("aid_staff"))

    _close(client, aid, record_kind="counselling")  # the aid centre may not write counselling

    aid.refresh_from_db()
    assert (aid.status, aid.outcome, aid.closed_at) == ("todo", "", None)
    assert not AssistanceRecord.objects.exists()


PDF = b"%PDF-1.4\n% demo receipt\n"


def _upload(name="回执.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_record_keeps_an_attachment_under_a_generated_name(college, client):
    _psych, aid = _actions(college)
    record = record_add(actor=college.personas["aid_staff"], action=aid, kind="payment",
                        occurred_on=timezone.localdate(), duration_minutes=None, content="发放",
                        attachment=_upload())  # fmt: skip
    assert record.attachment_name == "回执.pdf"
    stored = record.attachment.name or ""
    assert stored.startswith("records/") and "回执" not in stored
    client.force_login(college.user("counsellor_a"))
    response = client.get(reverse("assistance:record-attachment", args=[record.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("run.exe", b"MZ\x90\x00"),  # not an allowed type
        ("fake.pdf", b"MZ\x90\x00"),  # content does not match
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),  # over 5 MB
    ],
)
def test_attachments_out_of_bounds_are_refused(college, name, data):
    _psych, aid = _actions(college)
    with pytest.raises(DomainError) as exc:
        record_add(actor=college.personas["aid_staff"], action=aid, kind="payment",
                   occurred_on=timezone.localdate(), duration_minutes=None, content="发放",
                   attachment=_upload(name, data))  # fmt: skip
    assert exc.value.field == "attachment"
    assert not AssistanceRecord.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("psych_staff", 200), ("counsellor_a", 404),
                                                 ("employment_officer", 404), ("aid_staff", 404)])  # fmt: skip
def test_a_counselling_attachment_goes_only_to_who_reads_the_content(
    college, client, persona, status
):
    psych, _aid = _actions(college)
    record = record_add(actor=college.personas["psych_staff"], action=psych, kind="counselling",
                        occurred_on=timezone.localdate(), duration_minutes=50, content=SECRET,
                        attachment=_upload("知情同意书.pdf"))  # fmt: skip
    AuditLog.objects.all().delete()
    client.force_login(college.user(persona))

    response = client.get(reverse("assistance:record-attachment", args=[record.pk]))

    assert response.status_code == status
    audited = AuditLog.objects.filter(
        action=AuditLog.Action.VIEW_SENSITIVE, detail__records=[record.pk]
    )
    assert audited.count() == (1 if status == 200 else 0)


def test_the_page_form_uploads_an_attachment(college, client):
    _psych, aid = _actions(college)
    client.force_login(college.user("aid_staff"))
    client.post(reverse("assistance:record-add", args=[aid.pk]),
                {"kind": "payment", "occurred_on": timezone.localdate().isoformat(), "content": "发放",
                 "attachment": _upload()})  # fmt: skip
    record = AssistanceRecord.objects.get()
    page = client.get(reverse("assistance:action-detail", args=[aid.pk])).content.decode()
    assert reverse("assistance:record-attachment", args=[record.pk]) in page
    assert "回执.pdf" in page

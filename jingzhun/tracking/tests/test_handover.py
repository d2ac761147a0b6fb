"""Handover: who is selected (unplaced graduates only, grouped by place), the sheet's columns
with full identifiers only in the audited export, and replies applied all or none."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.students.tests.spreadsheets import xlsx_bytes
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry
from jingzhun.tracking.handover.selectors import candidates_by_place
from jingzhun.tracking.handover.services import (
    Reply,
    handover_create,
    handover_replies_apply,
    handover_reply,
    handover_send,
)
from jingzhun.tracking.handover.sheets import HEADER, replies_from_rows
from jingzhun.tracking.tests.helpers import graduate

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def office(college):
    return college.personas["employment_officer"]


def _graduates(college):
    """Two unplaced from Nanyang (411328, 411302), one from Zhengzhou, one placed from Nanyang,
    one 待就业 from Beijing, one who told a follow-up they were placed, one without a place."""
    return {
        "nanyang_1": graduate(college, hukou_region_code="411328"),
        "nanyang_2": graduate(college, hukou_region_code="411302", code="70"),
        "zhengzhou": graduate(college, hukou_region_code="410102"),
        "placed": graduate(college, hukou_region_code="411328", code="11"),
        "beijing": graduate(college, hukou_region_code="110105", code="72"),
        "told_placed": graduate(college, hukou_region_code="411328"),
        "nowhere": graduate(college, hukou_region_code=""),
        "older": graduate(college, cohort=2025, hukou_region_code="411328"),
    }


def test_candidates_are_unplaced_graduates_grouped_by_prefecture(college, office):
    people = _graduates(college)
    FollowUp.objects.create(student=people["told_placed"], kind="unplaced", anchor_on=D(2026, 6, 30),
                            due_on=D(2026, 7, 30), status="done", done_on=D(2026, 8, 1),
                            outcome="placed", placed_where="甲公司")  # fmt: skip

    places = candidates_by_place(actor=office, cohort=2026)

    assert [(p.key, p.name, p.count) for p in places] == [
        ("4113", "河南省南阳市", 2), ("1101", "北京市", 1), ("4101", "河南省郑州市", 1), ("", "", 1),
    ]  # fmt: skip


def test_a_batch_takes_the_place_once_and_re_running_adds_no_one(college, office):
    people = _graduates(college)

    batch = handover_create(actor=office, cohort=2026, place="4113", receiver="南阳市人社局")

    assert set(batch.entries.values_list("student_id", flat=True)) == {
        people["nanyang_1"].pk,
        people["nanyang_2"].pk,
        people["told_placed"].pk,
    }  # no answer here
    assert (batch.place_name, batch.status) == ("河南省南阳市", "draft")
    with pytest.raises(DomainError):
        handover_create(actor=office, cohort=2026, place="4113")
    assert HandoverBatch.objects.count() == 1
    with pytest.raises(DomainError):
        handover_create(actor=college.personas["counsellor_a"], cohort=2026, place="4101")


def test_the_export_has_the_office_columns_in_full_and_is_audited(college, office, client):
    people = _graduates(college)
    batch = handover_create(actor=office, cohort=2026, place="4101")
    student = people["zhengzhou"]
    client.force_login(office.user)

    response = client.get(reverse("tracking:handover-export", args=[batch.pk]))

    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert [str(c) for c in sheet[1]] == HEADER
    row = dict(zip(HEADER, [str(c) for c in sheet[2]], strict=True))
    assert (row["姓名"], row["身份证号"], row["联系电话"], row["户籍地区划代码"]) == (
        student.name,
        student.id_number,
        student.phone,
        "410102",
    )
    assert (row["户籍所在地"], row["毕业时间"], row["毕业去向"], row["毕业院校"]) == (
        "河南省郑州市",
        "2026-06",
        "待就业",
        college.institution.name,
    )
    audit = AuditLog.objects.get(action="export", object_id=str(batch.pk))
    assert audit.fields == ["hukou_region_code", "id_number", "phone"]
    assert audit.detail["rows"] == 1


def test_the_batch_page_masks_identifiers(college, office, client):
    people = _graduates(college)
    batch = handover_create(actor=office, cohort=2026, place="4101")
    client.force_login(office.user)

    body = client.get(reverse("tracking:handover-detail", args=[batch.pk])).content.decode()

    assert people["zhengzhou"].id_number not in body and people["zhengzhou"].phone not in body
    assert people["zhengzhou"].phone[:3] + "****" + people["zhengzhou"].phone[-4:] in body


def _sent(college, office):
    people = _graduates(college)
    batch = handover_create(actor=office, cohort=2026, place="4113")
    return people, handover_send(actor=office, batch=batch)


def test_replies_from_the_returned_sheet_apply_all_or_none(college, office):
    people, batch = _sent(college, office)
    first, second = people["nanyang_1"], people["nanyang_2"]
    rows = [["移交名单"], [*HEADER[:5], "反馈状态", "就业单位或学校", "反馈说明"],
            ["1", first.name, "女", first.id_number, first.student_number, "已就业", "南阳某公司", ""],
            ["2", second.name, "女", second.id_number, second.student_number, "已就业", "", ""]]  # fmt: skip
    replies, problem = replies_from_rows(rows)
    assert problem == ""

    report = handover_replies_apply(actor=office, batch=batch, replies=replies)

    assert (report.applied, [row for row, _m in report.problems]) == (False, [4])  # no "where"
    assert set(HandoverEntry.objects.values_list("returned", flat=True)) == {"pending"}

    rows[3][5] = "联系不上"
    report = handover_replies_apply(actor=office, batch=batch, replies=replies_from_rows(rows)[0])

    assert (report.applied, report.changed, report.by_reply) == (
        True,
        2,
        {"placed": 1, "unreachable": 1},
    )
    assert HandoverEntry.objects.get(student=first).placed_where == "南阳某公司"
    again = handover_replies_apply(actor=office, batch=batch, replies=replies_from_rows(rows)[0])
    assert again.changed == 0


def test_an_unknown_graduate_in_the_sheet_is_reported(college, office):
    people, batch = _sent(college, office)
    stranger = people["zhengzhou"]
    rows = [["学号", "反馈状态"], [stranger.student_number, "已联系"]]

    report = handover_replies_apply(actor=office, batch=batch, replies=replies_from_rows(rows)[0])

    assert [row for row, _m in report.problems] == [2]
    assert not report.applied


def test_a_reply_by_hand_needs_a_sent_batch(college, office):
    people = _graduates(college)
    batch = handover_create(actor=office, cohort=2026, place="4101")
    entry = batch.entries.get()
    with pytest.raises(DomainError):
        handover_reply(actor=office, entry=entry, reply=Reply("contacted"))
    handover_send(actor=office, batch=batch)

    handover_reply(actor=office, entry=entry, reply=Reply("declined", note="本人已回老家务农"))

    entry.refresh_from_db()
    assert (entry.returned, entry.return_note, entry.recorded_by) == (
        "declined",
        "本人已回老家务农",
        office.user,
    )
    assert people["zhengzhou"].pk == entry.student_id


def test_the_upload_page_checks_then_applies(college, office, client):
    people, batch = _sent(college, office)
    first = people["nanyang_1"]
    data = xlsx_bytes(
        ["学号", "反馈状态", "就业单位或学校"], [[first.student_number, "已联系", ""]]
    )
    client.force_login(office.user)
    url = reverse("tracking:handover-replies", args=[batch.pk])

    client.post(url, {"file": _upload(data), "check_only": "1"})
    assert HandoverEntry.objects.get(student=first).returned == "pending"
    client.post(url, {"file": _upload(data)})

    assert HandoverEntry.objects.get(student=first).returned == "contacted"


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("回执.xlsx", data)


def test_the_list_pages_batches_with_counts_in_a_fixed_number_of_queries(
    college, office, client, django_assert_num_queries
):
    _graduates(college)
    handover_send(actor=office, batch=handover_create(actor=office, cohort=2026, place="4113"))
    client.force_login(office.user)
    url = reverse("tracking:handover-list")
    client.get(url, {"cohort": 2026})
    with CaptureQueriesContext(connection) as one:
        response = client.get(url, {"cohort": 2026})
    assert response.context["totals"] == {"sent": 1}
    (batch,) = response.context["page"].object_list
    assert (batch.total, batch.replied, batch.placed) == (3, 0, 0)
    assert [p.key for p in response.context["places"]] == ["1101", "4101", ""]

    handover_create(actor=office, cohort=2026, place="4101")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url, {"cohort": 2026})
    assert response.context["totals"] == {"sent": 1, "draft": 1}
    only_drafts = client.get(url, {"cohort": 2026, "status": "draft"})
    assert [b.place_code for b in only_drafts.context["page"].object_list] == ["4101"]

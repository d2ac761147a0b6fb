"""The handover sheet: what goes to the human-resources office, and reading what comes back.

Columns follow the real-name registration forms for graduates who left school without a job
(离校未就业高校毕业生实名登记) that provincial human-resources departments hand to colleges:
who (姓名, 性别, 身份证号), from where (毕业院校, 院系, 专业, 学历, 毕业时间), how to reach
them (联系电话), where they are registered (户籍所在地 and the six-digit code, which routes
the graduate to the county office), and what they want (毕业去向, 就业意向, the latest
follow-up). Difficulty types, family finances and health never go: the office registers the
graduate and offers its own services. The last three columns are left for the office to fill
in and send back (反馈状态, 就业单位或学校, 反馈说明); `replies_from_rows` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Subquery

from jingzhun.core.excel import xlsx_export
from jingzhun.core.masking import mask_id_number, mask_phone, mask_region_code
from jingzhun.students.models import GraduateDestination, JobIntention, Student
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry
from jingzhun.tracking.handover.places import place_key, place_name
from jingzhun.tracking.handover.services import Reply

HEADER = [
    "序号", "姓名", "性别", "身份证号", "学号", "毕业院校", "院系", "专业", "学历", "毕业时间",
    "联系电话", "户籍所在地", "户籍地区划代码", "户口性质", "毕业去向", "就业意向", "最近回访",
    "反馈状态", "就业单位或学校", "反馈说明",
]  # fmt: skip
REPLY_LABELS: dict[str, str] = {
    HandoverEntry.Return.CONTACTED: "已联系",
    HandoverEntry.Return.PLACED: "已就业",
    HandoverEntry.Return.DECLINED: "拒绝服务",
    HandoverEntry.Return.UNREACHABLE: "无法联系",
}
# What offices actually write in the reply column, beside our own labels.
REPLY_WORDS: dict[str, str] = {
    **{label: code for code, label in REPLY_LABELS.items()},
    "已落实": "placed", "已就业（创业）": "placed", "已升学": "placed", "已就业": "placed",
    "已联系": "contacted", "已服务": "contacted", "联系上": "contacted",
    "拒绝": "declined", "拒绝帮扶": "declined", "不需要服务": "declined",
    "联系不上": "unreachable", "失联": "unreachable", "无法联系": "unreachable",
    **{code: code for code in HandoverEntry.Return.values},
}  # fmt: skip


def _latest(model: Any, order: str, value: str, **filters: Any) -> Subquery:
    rows = model.objects.filter(student=OuterRef("student_id"), **filters).order_by(order)
    return Subquery(rows.values(value)[:1])


def _got(entry: HandoverEntry, name: str) -> str:
    """An annotated text value of the entry ("" when None)."""
    return str(getattr(entry, name, None) or "")


def _rows(
    entries: Iterable[HandoverEntry], *, full: bool, institution: str
) -> Iterable[list[object]]:
    plans = dict(JobIntention.Plan.choices)
    outcomes = dict(FollowUp.Outcome.choices)
    for n, entry in enumerate(entries, start=1):
        s: Student = entry.student
        code = s.hukou_region_code or ""
        wanted = (
            str(plans.get(_got(entry, "plan"), "")),
            _got(entry, "occupation"),
            _got(entry, "city"),
        )
        intention = "，".join(x for x in wanted if x)
        followed_on = getattr(entry, "followed_on", None)
        followed = (
            f"{followed_on:%Y-%m-%d} {outcomes.get(_got(entry, 'followed_outcome'), '')}"
            if followed_on
            else ""
        )
        yield [
            n, s.name, s.get_gender_display(),
            s.id_number if full else mask_id_number(s.id_number), s.student_number, institution,
            s.school.name, s.major.name, s.get_education_level_display(), f"{s.cohort}-06",
            s.phone if full else mask_phone(s.phone), place_name(place_key(code)),
            code if full else mask_region_code(code), s.get_hukou_type_display(),
            _got(entry, "destination_name") or "待就业",
            intention, followed,
            REPLY_LABELS.get(entry.returned, ""), entry.placed_where, entry.return_note,
        ]  # fmt: skip


def batch_xlsx(batch: HandoverBatch, entries: Any, *, full: bool) -> bytes:
    """The batch as the office's sheet; ID numbers, phones and codes in full only if `full`."""
    annotated = entries.annotate(
        plan=_latest(JobIntention, "-recorded_on", "plan"),
        occupation=_latest(JobIntention, "-recorded_on", "occupation"),
        city=_latest(JobIntention, "-recorded_on", "city"),
        followed_on=_latest(FollowUp, "-done_on", "done_on", status="done"),
        followed_outcome=_latest(FollowUp, "-done_on", "outcome", status="done"),
        destination_name=Subquery(
            GraduateDestination.objects.filter(student=OuterRef("student_id")).values("code__name")[:1]
        ),
    )  # fmt: skip
    title = (
        f"{batch.institution.name} {batch.cohort}届离校未就业毕业生移交名单（{batch.place_name}）"
    )
    return xlsx_export(HEADER, _rows(annotated, full=full, institution=batch.institution.name),
                       sheet=f"{batch.place_name}", title=title)  # fmt: skip


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """(row index, column by name) of the header among the first rows (a title may precede it)."""
    for top, header in enumerate(rows[:10]):
        names = [cell.strip() for cell in header]
        if "反馈状态" in names and ("学号" in names or "身份证号" in names):
            return top, {name: i for i, name in enumerate(names) if name}
    return None


def replies_from_rows(rows: list[list[str]]) -> tuple[list[tuple[int, str, Reply]], str]:
    """The replies in a returned sheet's rows (as text), and an error when its header is not
    found. Rows whose reply cell is empty are skipped (no reply yet)."""
    found = _header(rows)
    if found is None:
        return [], "找不到表头：需要“反馈状态”以及“学号”或“身份证号”列（请使用导出的移交名单）"
    top, col = found

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    replies = []
    for number, row in enumerate(rows[top + 1 :], start=top + 2):
        said = cell(row, "反馈状态")
        if not said:
            continue
        key = cell(row, "学号") or cell(row, "身份证号")
        replies.append((number, key, Reply(REPLY_WORDS.get(said, said), cell(row, "就业单位或学校"),
                                           cell(row, "反馈说明"))))  # fmt: skip
    return replies, ""

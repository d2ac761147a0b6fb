"""Follow-ups and handover in the demo college: the newest graduated cohort's months since
leaving replayed through the services staff use — follow-ups scheduled every interval and
most of them recorded (some placed, some not reachable, one or two declining), the rest due
or overdue now; one handover batch sent to the place with most graduates without a job, with
some replies back, and a draft for the next place."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.demo.cohorts import graduated_cohorts
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.schedule import followups_schedule
from jingzhun.tracking.followups.services import Answer, followup_record
from jingzhun.tracking.handover import services as handover
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry
from jingzhun.tracking.handover.selectors import candidates_by_place
from jingzhun.tracking.lifecycle import graduation_day, window_end, window_months

# (outcome, weight, where, note) of a recorded follow-up.
OUTCOMES = (
    ("still_seeking", 45, "", "仍在求职，已推荐近期校园招聘会"),
    ("unreachable", 18, "", "电话未接通，已发短信"),
    ("placed", 20, "郑州某电子商务有限公司", "已签劳动合同，提醒登记毕业去向"),
    ("further_study", 5, "某职业技术大学（专升本）", "已报名专升本"),
    ("declined", 4, "", "本人表示暂不需要学校帮助"),
    ("other", 8, "", "在家备考公务员"),
)
REPLIES = (
    ("contacted", "", "已电话联系并登记求职意向"),
    ("placed", "当地某物流公司", "经人社局推荐就业"),
    ("unreachable", "", "预留电话停机"),
    ("declined", "", "本人暂无就业意愿"),
)
RECORDED_SHARE = 0.8


@dataclass(frozen=True)
class DemoFollowUps:
    recorded: int
    due: int
    batches: int
    replies: int


def _recorders(institution: Institution) -> tuple[RoleAssignment, dict[int, RoleAssignment]]:
    """The employment office (the seeding checked there is one) and each school's officer."""
    active = RoleAssignment.objects.filter(institution=institution, is_active=True)
    office = active.filter(role=Role.EMPLOYMENT_OFFICE).select_related("user").first()
    assert office is not None
    officers = active.filter(role=Role.SCHOOL_OFFICER, school__isnull=False).select_related("user")
    return office, {ra.school_id: ra for ra in officers if ra.school_id is not None}


def _answer(rng: random.Random, day: dt.date, reached_channel: str) -> Answer:
    outcome, _weight, where, note = rng.choices(OUTCOMES, weights=[o[1] for o in OUTCOMES])[0]
    return Answer(done_on=day, channel=reached_channel, reached=outcome != "unreachable",
                  outcome=outcome, placed_where=where, note=note)  # fmt: skip


def _replay(institution: Institution, *, cohort: int, as_of: dt.date, rng: random.Random) -> int:
    """Run the daily scheduler every 10 days since graduation and record most of what fell
    due (the school officer of the student's school, else the office)."""
    office, officers = _recorders(institution)
    recorded = 0
    day = graduation_day(cohort) + dt.timedelta(days=10)
    while day < as_of - dt.timedelta(days=5):
        followups_schedule(today=day, institution_id=institution.pk)
        due = FollowUp.objects.filter(
            student__institution=institution, status="open", due_on__lte=day
        )
        for followup in due.select_related("student").order_by("pk"):
            if rng.random() > RECORDED_SHARE:
                continue  # not called in time: it stays due, later overdue
            actor = officers.get(followup.student.school_id, office)
            channel = rng.choice(("phone", "phone", "wechat", "sms"))
            followup_record(actor=actor, followup=followup, answer=_answer(rng, day, channel))
            recorded += 1
        day += dt.timedelta(days=10)
    followups_schedule(today=as_of, institution_id=institution.pk)
    return recorded


def _handover(institution: Institution, *, cohort: int, as_of: dt.date) -> tuple[int, int]:
    office, _officers = _recorders(institution)
    places = [p for p in candidates_by_place(actor=office, cohort=cohort) if p.key]
    if not places:
        return 0, 0
    sent = handover.handover_create(actor=office, cohort=cohort, place=places[0].key,
                                    receiver=f"{places[0].name}人力资源和社会保障局")  # fmt: skip
    sent = handover.handover_send(actor=office, batch=sent)
    HandoverBatch.objects.filter(pk=sent.pk).update(sent_on=as_of - dt.timedelta(days=20))
    replies = 0
    # Every other graduate has a reply, each kind in turn: the office has heard back on half.
    for n, entry in enumerate(HandoverEntry.objects.filter(batch=sent).order_by("pk")):
        if n % 2 == 0:
            returned, where, note = REPLIES[(n // 2) % len(REPLIES)]
            reply = handover.Reply(returned, where, note)
            handover.handover_reply(actor=office, entry=entry, reply=reply)
            replies += 1
    if len(places) > 1:
        handover.handover_create(actor=office, cohort=cohort, place=places[1].key)
    return (2 if len(places) > 1 else 1), replies


def seed_followups_demo(*, institution_code: str) -> DemoFollowUps | None:
    """Idempotent: does nothing when the institution already has a follow-up or a batch."""
    institution = Institution.objects.filter(code=institution_code).first()
    if institution is None or HandoverBatch.objects.filter(institution=institution).exists():
        return None
    if FollowUp.objects.filter(student__institution=institution).exists():
        return None
    if not RoleAssignment.objects.filter(
        institution=institution, role=Role.EMPLOYMENT_OFFICE, is_active=True
    ).exists():
        return None
    cohort = graduated_cohorts()[-1]
    # Run later than the window, the demo still shows the window's last day.
    as_of = min(timezone.localdate(), window_end(cohort, window_months()))
    rng = random.Random(cohort)  # noqa: S311 - a repeatable demo, not a secret
    with transaction.atomic():
        recorded = _replay(institution, cohort=cohort, as_of=as_of, rng=rng)
        batches, replies = _handover(institution, cohort=cohort, as_of=as_of)
    due = FollowUp.objects.filter(student__institution=institution, status="open").count()
    return DemoFollowUps(recorded=recorded, due=due, batches=batches, replies=replies)

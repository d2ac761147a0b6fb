"""The follow-up demo on a small generated college: follow-ups recorded and due, a batch sent
with replies and a draft; a second seeding does nothing."""

from __future__ import annotations

import pytest

from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.generator import seed_demo_college
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.followup_demo import seed_followups_demo
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_follow_ups_done_and_due_and_a_batch_with_replies():
    seed_demo_college(students=300, seed=1)

    result = seed_followups_demo(institution_code=INSTITUTION_CODE)

    assert result is not None
    assert result.recorded == FollowUp.objects.filter(status="done").count() > 0
    assert result.recorded == ContactAttempt.objects.count()
    assert result.due == FollowUp.objects.filter(status="open").count() > 0
    assert {"still_seeking", "placed"} <= set(FollowUp.objects.values_list("outcome", flat=True))
    assert set(HandoverBatch.objects.values_list("status", flat=True)) <= {"sent", "draft"}
    assert HandoverBatch.objects.filter(status="sent").count() == 1
    assert result.replies == HandoverEntry.objects.exclude(returned="pending").count() > 0
    assert seed_followups_demo(institution_code=INSTITUTION_CODE) is None

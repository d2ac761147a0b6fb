"""Destination services: registration with evidence, strict verification order, return,
the deadline, the unknown-outcome contact rule, bulk verification all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.assistance.tests.helpers import school_officer_b
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.notifications.models import Notification
from jingzhun.students.models import GraduateDestination
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.destinations import services
from jingzhun.tracking.destinations.errors import DestinationErrorCode as Code
from jingzhun.tracking.destinations.models import DestinationEvidence, DestinationRegistration
from jingzhun.tracking.destinations.reference import Evidence
from jingzhun.tracking.tests.destination_helpers import (
    EMPLOYED,
    agreement,
    open_window,
    photo,
    register,
    verified,
)  # fmt: skip

S = DestinationRegistration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def window(college, settings):
    open_window(settings, college.student_a, college.student_b)
    return college


def test_student_registers_with_a_photo_of_the_agreement(window):
    college = window
    r = register(college)
    assert (r.status, r.source, r.code_id, r.region_code, r.submitted_by) == (
        S.SUBMITTED,
        "student",
        "10",
        "4101",
        college.user("student_a"),
    )
    (item,) = DestinationEvidence.objects.filter(registration=r)
    assert (item.kind, item.original_name) == (Evidence.AGREEMENT, "就业协议书.png")
    stored = item.file.name or ""
    assert stored.endswith(".png") and "就业" not in stored
    assert list(r.events.values_list("from_status", "to_status")) == [("", S.SUBMITTED)]
    audit = AuditLog.objects.get(object_type="tracking.destinationregistration", action="create")
    assert audit.detail == {"code": "10", "source": "student", "evidence": 1}


@pytest.mark.parametrize(
    ("changes", "evidence", "code", "field"),
    [
        ({"code": "99"}, None, Code.INVALID, "code"),
        ({"employer_name": ""}, None, Code.INVALID, "employer_name"),
        ({"credit_code": "91410000170017593A"}, None, Code.INVALID, "credit_code"),
        ({"code": "12", "monthly_wage": None}, [agreement(Evidence.EMPLOYER_CERTIFICATE)], Code.INVALID, "monthly_wage"),
        ({}, [], Code.EVIDENCE_MISSING, "evidence"),
        ({}, [agreement(Evidence.LABOUR_CONTRACT)], Code.EVIDENCE_MISSING, "evidence"),
        ({}, [services.EvidenceUpload(Evidence.AGREEMENT, photo("协议.pdf"))], Code.INVALID, "evidence"),
        ({}, [services.EvidenceUpload("selfie", photo())], Code.INVALID, "evidence"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_written(window, changes, evidence, code, field):
    data = services.DestinationInput(**{**EMPLOYED.__dict__, **changes})
    with pytest.raises(DomainError) as err:
        register(window, data=data, evidence=evidence if evidence is not None else [agreement()])
    assert (err.value.code, err.value.field) == (code, field)
    assert not DestinationRegistration.objects.exists()
    assert not DestinationEvidence.objects.exists()


def test_credit_code_is_normalised(window):
    data = services.DestinationInput(
        **{**EMPLOYED.__dict__, "credit_code": "９１４１００００１７００１７５９３ｍ"}
    )
    assert register(window, data=data).credit_code == "91410000170017593M"


def test_a_student_registers_only_their_own(window):
    with pytest.raises(DomainError) as err:
        register(window, student=window.student_b)
    assert err.value.code == Code.NOT_ALLOWED


def test_staff_register_only_in_scope(window):
    register(window, persona="counsellor_a")  # class A
    with pytest.raises(DomainError) as err:
        register(window, persona="counsellor_a", student=window.student_b)
    assert err.value.code == Code.OUT_OF_SCOPE
    with pytest.raises(DomainError):
        register(window, persona="aid_staff")


def test_strict_order_school_then_office(window):
    college = window
    r = register(college)
    office = college.personas["employment_officer"]
    with pytest.raises(DomainError) as err:
        services.destination_verify(actor=office, registration=r)
    assert err.value.code == Code.NOT_ALLOWED
    with pytest.raises(DomainError):  # another school's officer
        services.destination_verify(actor=school_officer_b(college), registration=r)
    services.destination_verify(actor=college.personas["school_officer_a"], registration=r)
    r.refresh_from_db()
    assert r.status == S.SCHOOL_VERIFIED and r.school_verified_at is not None
    assert not GraduateDestination.objects.exists()
    with pytest.raises(DomainError):  # the school cannot take the office's step
        services.destination_verify(actor=college.personas["school_officer_a"], registration=r)
    services.destination_verify(actor=office, registration=r)
    r.refresh_from_db()
    assert r.status == S.OFFICE_VERIFIED and r.office_verified_at is not None
    row = GraduateDestination.objects.get(student=college.student_a)
    assert (row.code_id, row.employer_name, row.city, row.monthly_salary, row.verified) == (
        "10",
        "郑州宇通客车股份有限公司",
        "郑州市",
        4800,
        True,
    )
    assert Notification.objects.filter(recipient=college.user("student_a"),
                                       kind=services.KIND_VERIFIED).count() == 1  # fmt: skip
    with pytest.raises(DomainError) as err:
        services.destination_verify(actor=office, registration=r)
    assert err.value.code == Code.BAD_TRANSITION


def test_return_needs_a_reason_and_tells_the_student(window):
    college = window
    r = register(college)
    officer = college.personas["school_officer_a"]
    with pytest.raises(DomainError) as err:
        services.destination_return(actor=officer, registration=r, reason="  ")
    assert err.value.code == Code.REASON_REQUIRED
    services.destination_return(actor=officer, registration=r, reason="协议书未盖单位公章")
    r.refresh_from_db()
    assert (r.status, r.return_reason) == (S.RETURNED, "协议书未盖单位公章")
    note = Notification.objects.get(
        recipient=college.user("student_a"), kind=services.KIND_RETURNED
    )
    assert note.body == "协议书未盖单位公章" and note.url == "/portal/destination/"


def test_a_change_withdraws_the_open_one_and_supersedes_the_verified_one(window):
    college = window
    first = verified(college, register(college))
    pending = register(college)
    change = register(
        college,
        data=services.DestinationInput(**{**EMPLOYED.__dict__, "employer_name": "河南中原银行"}),
    )
    pending.refresh_from_db()
    assert pending.status == S.WITHDRAWN
    verified(college, change)
    first.refresh_from_db()
    assert first.status == S.SUPERSEDED
    assert (
        GraduateDestination.objects.get(student=college.student_a).employer_name == "河南中原银行"
    )
    assert DestinationRegistration.objects.filter(student=college.student_a).count() == 3


def test_changes_are_refused_after_the_deadline(window, settings):
    college = window
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    settings.DESTINATION_DEADLINE = (yesterday.month, yesterday.day)
    if yesterday.year != today.year:  # 1 January: yesterday was last year's deadline
        college.student_a.cohort = yesterday.year
        college.student_a.save(update_fields=["cohort"])
    with pytest.raises(DomainError) as err:
        register(college)
    assert err.value.code == Code.DEADLINE_PASSED
    assert not DestinationRegistration.objects.exists()


NOT_PLACED = services.DestinationInput(code="70")


def _contact(college, on: dt.date, reached: bool = False) -> None:
    ContactAttempt.objects.create(student=college.student_a, attempted_on=on, channel="phone",
                                  reached=reached, author=college.user("counsellor_a"))  # fmt: skip


def test_unknown_outcome_needs_two_contacts_before_and_two_after(window):
    college = window
    year = college.student_a.cohort
    _contact(college, dt.date(year - 1, 12, 1))
    _contact(college, dt.date(year, 1, 5))
    with pytest.raises(DomainError) as err:
        register(college, persona="counsellor_a", data=NOT_PLACED, evidence=[])
    assert err.value.code == Code.CONTACTS_MISSING
    assert not DestinationRegistration.objects.exists()
    _contact(college, dt.date(year - 1, 11, 1))
    _contact(college, dt.date(year, 1, 9), reached=True)
    r = register(college, persona="counsellor_a", data=NOT_PLACED, evidence=[])
    assert (r.code_id, r.source) == ("70", "staff")


def test_the_student_may_say_not_placed_themselves(window):
    assert register(window, data=NOT_PLACED, evidence=[]).code_id == "70"


def test_contact_rule_is_a_setting(window, settings):
    settings.UNKNOWN_OUTCOME_CONTACTS = (0, 1)
    _contact(window, dt.date(window.student_a.cohort, 2, 1))
    assert register(window, persona="counsellor_a", data=NOT_PLACED, evidence=[]).code_id == "70"


def test_bulk_verify_is_all_or_nothing(window):
    college = window
    a = verified(college, register(college), office=False)  # waiting for the office
    b = register(
        college, persona="employment_officer", student=college.student_b
    )  # the school's step
    office = college.personas["employment_officer"]
    with pytest.raises(DomainError) as err:
        services.destinations_bulk_verify(actor=office, registration_ids=[a.pk, b.pk])
    assert err.value.code == Code.NOT_ALLOWED and "李小红" in err.value.message
    a.refresh_from_db()
    assert a.status == S.SCHOOL_VERIFIED
    assert not a.events.filter(to_status=S.OFFICE_VERIFIED).exists()
    assert not GraduateDestination.objects.exists()
    with pytest.raises(DomainError) as err:  # school B's student is outside school A's scope
        services.destinations_bulk_verify(
            actor=college.personas["school_officer_a"], registration_ids=[b.pk]
        )
    assert err.value.code == Code.OUT_OF_SCOPE
    assert services.destinations_bulk_verify(actor=office, registration_ids=[a.pk]) == 1
    a.refresh_from_db()
    assert a.status == S.OFFICE_VERIFIED


def test_bulk_verify_names_no_one_outside_scope(window):
    college = window
    a = register(college)
    with pytest.raises(DomainError) as err:
        services.destinations_bulk_verify(
            actor=college.personas["outsider"], registration_ids=[a.pk]
        )
    assert err.value.code == Code.OUT_OF_SCOPE and "王小明" not in err.value.message
    a.refresh_from_db()
    assert a.status == S.SUBMITTED

"""Subsidy applications through the services: who applies, eligibility against the registry,
the approval chain in strict order and by the right role, the budget, payment, no double
payment (the service's clear error and the constraint under a racing submit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jingzhun.assistance.errors import AssistanceErrorCode as E
from jingzhun.assistance.services import subsidies, subsidy_policies
from jingzhun.assistance.subsidy_models import SubsidyApplication, SubsidyEvent
from jingzhun.assistance.tests.helpers import (
    DOCUMENTS,
    dibao,
    documents,
    subsidy_application,
    subsidy_policy,
)
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.notifications.models import Notification
from jingzhun.org.models import DepartmentRoute

pytestmark = pytest.mark.django_db


def _submit(college, persona="student_a", student=None, **kw):
    policy = kw.pop("policy", None) or subsidy_policy(college)
    return subsidies.application_submit(
        actor=college.personas[persona], policy=policy, student=student or college.student_a,
        documents=kw.pop("docs", documents()), **kw,
    )  # fmt: skip


def test_the_student_applies_with_documents_and_the_school_is_told(college):
    dibao(college.student_a)
    app = _submit(college, note="已在郑州找到意向单位")
    assert (app.status, app.amount, app.applied_by) == (
        "submitted",
        Decimal("1500"),
        college.user("student_a"),
    )
    assert app.eligibility == [{"code": "matched", "params": {
        "group": "minimum_living", "certificate": "低保证 ****0031"}}]  # fmt: skip
    assert sorted(app.documents.values_list("name", flat=True)) == sorted(DOCUMENTS)
    assert all(
        d.file.name.startswith("subsidies/") and d.file.name.endswith(".pdf")
        for d in app.documents.all()
    )
    assert list(
        SubsidyEvent.objects.filter(application=app).values_list("to_status", flat=True)
    ) == ["submitted"]
    assert AuditLog.objects.filter(object_type="assistance.subsidyapplication", object_id=str(app.pk),
                                   action="create").count() == 1  # fmt: skip
    told = Notification.objects.filter(kind="assistance.subsidy_waiting")
    assert [n.recipient for n in told] == [college.user("school_officer_a")]


def test_staff_apply_for_a_student_in_scope_only(college):
    dibao(college.student_a)
    dibao(college.student_b)
    app = _submit(college, persona="counsellor_a")
    assert app.applied_by == college.user("counsellor_a")
    with pytest.raises(DomainError) as refused:
        _submit(college, persona="counsellor_a", student=college.student_b, policy=app.policy)
    assert refused.value.code == E.NOT_ALLOWED
    with pytest.raises(DomainError) as other:
        _submit(college, persona="student_a", student=college.student_b, policy=app.policy)
    assert other.value.code == E.NOT_ALLOWED
    assert SubsidyApplication.objects.filter(student=college.student_b).count() == 0


@pytest.mark.parametrize(("setup", "code"), [
    ("no_evidence", E.SUBSIDY_NOT_ELIGIBLE),
    ("expired", E.SUBSIDY_NOT_ELIGIBLE),
    ("closed", E.SUBSIDY_CLOSED),
    ("missing_document", E.SUBSIDY_INVALID),
    ("fake_pdf", E.RECORD_INVALID),
])  # fmt: skip
def test_refused_applications_leave_nothing(college, setup, code):
    today = timezone.localdate()
    closes = today - dt.timedelta(days=1) if setup == "closed" else today + dt.timedelta(days=20)
    policy = subsidy_policy(college, closes_on=closes)
    if setup == "expired":
        dibao(college.student_a, valid_to=today - dt.timedelta(days=1))
    elif setup != "no_evidence":
        dibao(college.student_a)
    docs = documents()
    if setup == "missing_document":
        docs.pop(DOCUMENTS[0])
    if setup == "fake_pdf":
        from django.core.files.uploadedfile import SimpleUploadedFile

        docs[DOCUMENTS[1]] = SimpleUploadedFile("申请表.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError) as refused:
        _submit(college, policy=policy, docs=docs)
    assert refused.value.code == code
    assert SubsidyApplication.objects.count() == 0
    assert Notification.objects.count() == 0


def test_the_not_eligible_message_says_what_is_missing(college):
    from django.utils import translation

    with translation.override("en"), pytest.raises(DomainError) as refused:
        _submit(college)
    assert "No valid certificate of:" in refused.value.message
    assert "Minimum living allowance" in refused.value.message


def test_no_double_payment_the_service_refuses_a_second_application(college):
    app = subsidy_application(college, status="paid")
    with pytest.raises(DomainError) as refused:
        _submit(college, policy=app.policy)
    assert refused.value.code == E.SUBSIDY_DUPLICATE
    assert (
        SubsidyApplication.objects.filter(policy=app.policy, student=college.student_a).count() == 1
    )


def test_no_double_payment_the_constraint_holds_when_two_submits_race(college, monkeypatch):
    """Both requests passed the service's check before either wrote: the second insert hits
    the partial unique constraint and gets the same clear error, nothing half-written."""
    first = subsidy_application(college)
    monkeypatch.setattr(subsidies, "application_live", lambda policy, student: None)
    with pytest.raises(DomainError) as refused:
        _submit(college, policy=first.policy)
    assert refused.value.code == E.SUBSIDY_DUPLICATE
    assert SubsidyApplication.objects.count() == 1
    assert first.documents.count() == 2 and SubsidyEvent.objects.count() == 1


def test_the_constraint_itself_refuses_a_second_live_row_but_not_after_a_rejection(college):
    app = subsidy_application(college)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyApplication.objects.create(policy=app.policy, student=college.student_a, amount=1)
    SubsidyApplication.objects.filter(pk=app.pk).update(status="rejected")
    again = _submit(college, policy=app.policy)
    assert again.status == "submitted"


STEPS = [("school_approved", "school_officer_a"), ("office_approved", "employment_officer"),
         ("finance_approved", "aid_staff")]  # fmt: skip


@pytest.mark.parametrize("skipped", range(1, 4))
def test_a_later_step_is_refused_until_the_earlier_one_is_done(college, skipped):
    app = subsidy_application(college)
    for target, persona in STEPS[: skipped - 1]:
        app = subsidies.application_move(
            actor=college.personas[persona], application=app, target=target
        )
    later = ([*STEPS, ("paid", "aid_staff")])[skipped]
    with pytest.raises(DomainError) as refused:
        subsidies.application_move(actor=college.personas[later[1]], application=app, target=later[0],
                                   paid_on=dt.date.today(), reference="X1")  # fmt: skip
    assert refused.value.code == E.SUBSIDY_BAD_TRANSITION
    app.refresh_from_db()
    assert app.status == (STEPS[skipped - 2][0] if skipped > 1 else "submitted")


@pytest.mark.parametrize(("target", "wrong"), [
    ("school_approved", "employment_officer"), ("school_approved", "counsellor_a"),
    ("school_approved", "aid_staff"), ("office_approved", "school_officer_a"),
    ("office_approved", "aid_staff"), ("finance_approved", "employment_officer"),
    ("finance_approved", "psych_staff"), ("paid", "employment_officer"),
])  # fmt: skip
def test_each_step_is_taken_by_its_own_role_only(college, target, wrong):
    order = [s for s, _ in STEPS] + ["paid"]
    app = subsidy_application(college, status=(["submitted", *order])[order.index(target)])
    with pytest.raises(DomainError) as refused:
        subsidies.application_move(actor=college.personas[wrong], application=app, target=target,
                                   paid_on=dt.date.today(), reference="X1")  # fmt: skip
    assert refused.value.code == E.NOT_ALLOWED
    assert SubsidyApplication.objects.get(pk=app.pk).status == app.status


def test_the_school_officer_of_another_school_may_not_approve(college):
    from jingzhun.assistance.tests.helpers import school_officer_b

    app = subsidy_application(college)
    with pytest.raises(DomainError) as refused:
        subsidies.application_move(
            actor=school_officer_b(college), application=app, target="school_approved"
        )
    assert refused.value.code == E.NOT_ALLOWED


def test_the_whole_chain_audits_notifies_and_routes_to_finance(college):
    app = subsidy_application(college, status="office_approved")
    route = DepartmentRoute.objects.get(source="assistance.subsidy", source_id=app.pk)
    assert (route.is_open, route.student_id) == (True, college.student_a.pk)
    app = subsidies.application_move(
        actor=college.personas["aid_staff"], application=app, target="finance_approved"
    )
    with pytest.raises(DomainError) as no_reference:
        subsidies.application_move(actor=college.personas["aid_staff"], application=app, target="paid",
                                   paid_on=dt.date.today(), reference=" ")  # fmt: skip
    assert no_reference.value.field == "reference"
    app = subsidies.application_move(actor=college.personas["aid_staff"], application=app, target="paid",
                                     paid_on=dt.date(2026, 12, 1), reference="ZF2026120101")  # fmt: skip
    app.refresh_from_db()
    assert (app.status, app.paid_on, app.payment_reference) == (
        "paid",
        dt.date(2026, 12, 1),
        "ZF2026120101",
    )
    assert list(app.events.values_list("to_status", flat=True)) == [
        "submitted",
        "school_approved",
        "office_approved",
        "finance_approved",
        "paid",
    ]
    assert AuditLog.objects.filter(object_id=str(app.pk), object_type="assistance.subsidyapplication",
                                   action="update").count() == 4  # fmt: skip
    moved = Notification.objects.filter(
        kind="assistance.subsidy_moved", recipient=college.user("student_a")
    )
    assert moved.count() == 4
    assert moved.filter(body__startswith="求职创业补贴").count() == 4
    # Group robots post titles: never the student's name, and the student's own name no policy.
    waiting = Notification.objects.filter(kind="assistance.subsidy_waiting")
    assert [n.recipient.username for n in waiting.order_by("pk")] == [
        "T0007",
        "T0002",
        "T0004",
        "T0004",
    ]
    titles = [n.title for n in [*moved, *waiting]]
    assert not [t for t in titles if "王小明" in t]
    assert not [n.title for n in moved if "求职创业补贴" in n.title]
    assert not DepartmentRoute.objects.get(pk=route.pk).is_open


def test_return_needs_a_reason_and_the_student_resubmits(college):
    app = subsidy_application(college, status="school_approved")
    with pytest.raises(DomainError) as no_reason:
        subsidies.application_move(
            actor=college.personas["employment_officer"], application=app, target="returned"
        )
    assert no_reason.value.code == E.SUBSIDY_REASON_REQUIRED
    app = subsidies.application_move(actor=college.personas["employment_officer"], application=app,
                                     target="returned", reason="低保证复印件不清晰，请重新上传")  # fmt: skip
    assert (app.status, app.reason) == ("returned", "低保证复印件不清晰，请重新上传")
    app = subsidies.application_resubmit(
        actor=college.personas["student_a"], application=app, documents=documents()
    )
    assert app.status == "submitted"
    assert app.documents.count() == 2


def test_approval_over_the_budget_is_refused_with_what_is_left(college):
    from jingzhun.org.tests.factories import UserFactory
    from jingzhun.students.tests.factories import StudentFactory

    policy = subsidy_policy(college, amount="1500", budget="2000")
    first = subsidy_application(college, policy=policy, status="school_approved")
    other = StudentFactory.create(class_group=college.class_a, student_number="2024010002",
                                  user=UserFactory.create(username="2024010002"))  # fmt: skip
    second = subsidy_application(college, policy=policy, student=other)
    with pytest.raises(DomainError) as refused:
        subsidies.application_move(actor=college.personas["school_officer_a"], application=second,
                                   target="school_approved")  # fmt: skip
    assert refused.value.code == E.SUBSIDY_OVER_BUDGET
    assert "500" in refused.value.message
    assert SubsidyApplication.objects.get(pk=second.pk).status == "submitted"
    figures = subsidies.budget_of(policy)
    assert (figures.committed, figures.paid, figures.left) == (
        Decimal("1500"),
        Decimal("0"),
        Decimal("500"),
    )
    subsidies.application_move(
        actor=college.personas["employment_officer"], application=first, target="office_approved"
    )
    assert subsidies.budget_of(policy).committed == Decimal("1500")


def test_bulk_approval_is_all_or_nothing(college):
    from jingzhun.students.tests.factories import StudentFactory

    policy = subsidy_policy(college, budget="3000")
    apps = [subsidy_application(college, policy=policy)]
    for n in (2, 3):
        student = StudentFactory.create(class_group=college.class_a, student_number=f"202401000{n}")
        apps.append(subsidy_application(college, policy=policy, student=student))
    officer = college.personas["school_officer_a"]
    result = subsidies.applications_approve_bulk(
        actor=officer, ids=[a.pk for a in apps], target="school_approved"
    )
    assert result.moved == 0 and len(result.failures) == 1  # the third would exceed 3000
    assert set(SubsidyApplication.objects.values_list("status", flat=True)) == {"submitted"}
    assert SubsidyEvent.objects.filter(to_status="school_approved").count() == 0
    result = subsidies.applications_approve_bulk(
        actor=officer, ids=[a.pk for a in apps[:2]], target="school_approved"
    )
    assert result.moved == 2
    assert SubsidyApplication.objects.filter(status="school_approved").count() == 2


def test_policy_terms_are_locked_once_applied_for_and_budget_not_below_used(college):
    app = subsidy_application(college, status="school_approved")
    policy = app.policy
    office = college.personas["employment_officer"]

    def data(**kw):
        base = {"year": 2027, "name": policy.name, "amount": "1500", "budget": "10000",
                "eligible_groups": policy.eligible_groups, "documents_required": policy.documents_required,
                "opens_on": policy.opens_on, "closes_on": policy.closes_on}  # fmt: skip
        return subsidy_policies.PolicyInput(**(base | kw))

    with pytest.raises(DomainError) as locked:
        subsidy_policies.policy_save(actor=office, policy=policy, data=data(amount="2000"))
    assert locked.value.code == E.SUBSIDY_LOCKED
    with pytest.raises(DomainError) as low:
        subsidy_policies.policy_save(actor=office, policy=policy, data=data(budget="1000"))
    assert low.value.field == "budget"
    saved = subsidy_policies.policy_save(
        actor=office,
        policy=policy,
        data=data(budget="20000", closes_on=policy.closes_on + dt.timedelta(days=5)),
    )
    assert saved.budget == Decimal("20000")
    with pytest.raises(DomainError):
        subsidy_policies.policy_save(
            actor=college.personas["school_officer_a"], data=data(name="新政策")
        )


def test_a_disability_certificate_counts_and_its_number_is_never_kept_whole(college):
    from jingzhun.students.models import DisabilityRecord

    number = f"{college.student_a.id_number}42"  # 残疾人证号 = ID number + category and grade
    DisabilityRecord.objects.create(student=college.student_a, category="physical", grade=3,
                                    certificate_number=number, valid_to=dt.date(2030, 1, 1))  # fmt: skip
    app = _submit(college)
    assert app.eligibility == [
        {
            "code": "matched",
            "params": {"group": "disabled_student", "certificate": "残疾人证 ****" + number[-4:]},
        }
    ]
    assert college.student_a.id_number not in str(app.eligibility)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_on_postgresql_pay_once(college, monkeypatch):
    """Two connections both pass the service's check, then insert: the database lets one in
    and the other gets the clear duplicate error (SQLite serialises writers, so PostgreSQL)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs two concurrent writers (PostgreSQL)")
    policy = subsidy_policy(college)
    dibao(college.student_a)
    both_checked = threading.Barrier(2, timeout=10)
    original = subsidies.application_live

    def checked_then_wait(policy, student):
        found = original(policy, student)
        both_checked.wait()
        return found

    monkeypatch.setattr(subsidies, "application_live", checked_then_wait)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            _submit(college, policy=policy)
            outcomes.append("submitted")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["submitted", E.SUBSIDY_DUPLICATE])
    assert SubsidyApplication.objects.filter(policy=policy).count() == 1
    assert SubsidyEvent.objects.count() == 1

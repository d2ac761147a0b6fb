"""申请帮扶 in the portal: the student's form, its errors, the status card, and who is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from jingzhun.identification import services
from jingzhun.identification.models import Case, CaseEvent, IdentificationRun, Signal
from jingzhun.portal.selectors import OwnFile, own_file
from jingzhun.students.models import Student

pytestmark = pytest.mark.django_db
URL = "/portal/apply/"
REASON = "家里今年收入减少，想申请求职补贴。"


@pytest.fixture
def types(college):
    return services.difficulty_types_ensure()


@pytest.fixture
def student(college, client):
    client.force_login(college.user("student_a"))
    return client


def zh(message) -> str:
    """As the page shows it: the student's browser asks for Chinese; HTML-escaped."""
    with translation.override("zh-hans"):
        return escape(str(message))


def post(client, types, *codes, note=REASON, confirm=True):
    data = {"types": [types[c].pk for c in codes], "note": note}
    if confirm:
        data["confirm"] = "on"
    return client.post(URL, data)


def test_url_is_mounted_under_portal():
    assert reverse("portal:apply") == URL


def test_the_form_offers_the_types_a_student_may_pick(student, types):
    page = student.get(URL).content.decode()

    assert 'data-testid="application-form"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    for code in ("economic", "academic", "psychological", "employability", "other"):
        assert f'value="{types[code].pk}"' in page
        assert types[code].description in page
    for code in ("model_risk", "long_term_unemployed"):
        assert f'value="{types[code].pk}"' not in page
        assert types[code].name not in page


def test_student_applies_and_sees_the_pending_status(college, student, types):
    response = post(student, types, "economic", "employability")

    assert response.status_code == 302
    assert response["Location"] == URL
    case = Case.objects.get()
    assert (case.student, case.origin, case.status) == (college.student_a, "self", "candidate")
    assert sorted(case.types.values_list("code", flat=True)) == ["economic", "employability"]
    page = student.get(URL).content.decode()
    assert 'data-testid="application-status"' in page
    assert 'data-testid="application-form"' not in page
    with translation.override("zh-hans"):  # a template literal: translated, not escaped
        assert translation.gettext("Submitted, waiting for your counsellor's review") in page
    assert zh(services.STATUS_FOR_STUDENT["candidate"]) in page
    assert REASON in page
    assert types["economic"].name in page


@pytest.mark.parametrize(
    ("codes", "note", "confirm", "field"),
    [
        ((), REASON, True, "types"),
        (("economic",), "   ", True, "note"),
        (("economic",), "难" * 1001, True, "note"),
        (("economic",), REASON, False, "confirm"),
    ],
)
def test_invalid_input_is_shown_again_with_the_error(student, types, codes, note, confirm, field):
    response = post(student, types, *codes, note=note, confirm=confirm)

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {field}
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Case.objects.exists()


def test_posting_an_internal_type_is_refused(student, types):
    response = post(student, types, "economic", "model_risk")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["types"]
    assert not Case.objects.exists()


def test_the_student_is_taken_from_the_login_not_the_post(college, student, types):
    response = student.post(
        URL,
        {"types": [types["economic"].pk], "note": REASON, "confirm": "on",
         "student": college.student_b.pk, "student_id": college.student_b.pk},
    )  # fmt: skip

    assert response.status_code == 302
    assert Case.objects.get().student == college.student_a


def test_a_second_application_while_one_is_open_is_refused(student, types):
    post(student, types, "economic")

    response = post(student, types, "academic")

    assert response.status_code == 302
    assert Case.objects.count() == 1
    page = student.get(URL).content.decode()
    assert 'data-testid="application-form"' not in page


def test_student_not_enrolled_is_told_why_and_gets_no_form(college, student, types):
    Student.objects.filter(pk=college.student_a.pk).update(status=Student.Status.GRADUATED)

    page = student.get(URL).content.decode()

    assert 'data-testid="refusal"' in page
    assert 'data-testid="application-form"' not in page
    assert post(student, types, "economic").status_code == 302
    assert not Case.objects.exists()


def test_the_student_sees_no_signal_model_score_or_staff_note(college, student, types):
    """A case opened by a run: status only, never the signals, their texts or staff notes."""
    officer = college.personas["employment_officer"]
    run = IdentificationRun.objects.create(
        institution=college.institution, as_of=dt.date(2026, 11, 26), started_by=officer.user
    )
    case = Case.objects.create(student=college.student_a, opened_run=run, level=1)
    case.types.set([types["psychological"], types["model_risk"]])
    CaseEvent.objects.create(case=case, to_status="candidate", note="Identified by run 7")
    for kind, text, sensitivity in [
        ("psychological", "心理筛查结果：重点关注", "psychological"),
        ("model_risk", "风险评分 0.87：近两学期不及格课程 4 门", ""),
    ]:
        Signal.objects.create(run=run, student=college.student_a, difficulty_type=types[kind],
                              level=1, explanation=text, sensitivity=sensitivity)  # fmt: skip
    services.case_confirm(actor=college.personas["counsellor_a"], case=case,
                          types=[types["psychological"]], level=1)  # fmt: skip

    page = student.get(URL).content.decode()

    assert zh(services.STATUS_FOR_STUDENT["confirmed"]) in page
    for secret in (
        "心理",
        "重点关注",
        "风险",
        "0.87",
        "Identified by run",
        types["model_risk"].name,
    ):
        assert secret not in page, secret
    assert 'data-testid="application-form"' not in page


def test_earlier_dismissed_application_is_listed_and_a_new_one_allowed(college, student, types):
    post(student, types, "economic")
    services.case_dismiss(actor=college.personas["counsellor_a"], case=Case.objects.get(),
                          reason="内部备注：已核实不符合")  # fmt: skip

    page = student.get(URL).content.decode()

    assert 'data-testid="earlier"' in page
    assert zh(services.STATUS_FOR_STUDENT["dismissed"]) in page
    assert "内部备注" not in page
    assert 'data-testid="application-form"' in page


# Every persona of the root conftest but the student.
STAFF = ("leader", "employment_officer", "assessor", "aid_staff", "psych_staff", "academic_staff",
         "school_officer_a", "counsellor_a", "mentor_a", "supervisor", "outsider")  # fmt: skip


@pytest.mark.parametrize("persona", STAFF)
def test_every_other_role_is_refused(college, client, types, persona):
    client.force_login(college.user(persona))

    assert client.get(URL).status_code == 403
    assert post(client, types, "economic").status_code == 403
    assert not Case.objects.exists()


def test_csrf_is_enforced(college, types):
    client = Client(enforce_csrf_checks=True)
    client.force_login(college.user("student_a"))

    assert post(client, types, "economic").status_code == 403
    assert not Case.objects.exists()

    token = client.get(URL).cookies["csrftoken"].value
    response = client.post(
        URL,
        {"types": [types["economic"].pk], "note": REASON, "confirm": "on",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_the_student_menu_and_workbench_link_to_the_page(college, student):
    page = student.get(reverse("home")).content.decode()

    assert page.count(f'href="{URL}"') == 2  # the menu and the workbench card


def test_staff_menus_do_not_link_to_the_page(college, client):
    client.force_login(college.user("counsellor_a"))

    assert URL not in client.get(reverse("home")).content.decode()


def unreviewed(college, types, origin=Case.Origin.RUN) -> Case:
    """A hidden-hardship flag of a run (or a counsellor's addition) nobody has reviewed yet."""
    officer = college.personas["employment_officer"]
    run = IdentificationRun.objects.create(
        institution=college.institution, as_of=dt.date(2026, 11, 26), started_by=officer.user
    )
    case = Case.objects.create(student=college.student_a, origin=origin, level=1,
                               opened_run=run if origin == Case.Origin.RUN else None)  # fmt: skip
    case.types.set([types["psychological"], types["model_risk"]])
    opener = None if origin == Case.Origin.RUN else college.user("counsellor_a")
    CaseEvent.objects.create(
        case=case, actor=opener, to_status="candidate", note="心理筛查：重点关注"
    )
    return case


@pytest.mark.parametrize("origin", [Case.Origin.RUN, Case.Origin.MANUAL])
def test_an_unreviewed_run_or_staff_candidate_is_not_shown(college, student, types, origin):
    unreviewed(college, types, origin)

    assert own_file(actor=college.personas["student_a"]) == OwnFile(open_case=None, earlier=[])
    page = student.get(URL).content.decode()

    assert 'data-testid="application-status"' not in page
    assert 'data-testid="refusal"' not in page
    assert 'data-testid="application-form"' in page  # as for any student without a file
    # (the form itself offers "心理困扰" as a kind of difficulty: only the flag's words count)
    for secret in (
        "心理筛查：重点关注",
        types["model_risk"].name,
        zh(services.STATUS_FOR_STUDENT["candidate"]),
    ):
        assert secret not in page, secret


def test_applying_joins_the_unreviewed_candidate_and_shows_only_the_application(
    college, student, types
):
    hidden = unreviewed(college, types)

    response = post(student, types, "economic", "employability")

    assert response.status_code == 302
    assert list(Case.objects.all()) == [hidden]
    hidden.refresh_from_db()
    assert (hidden.status, hidden.origin) == ("candidate", "run")
    assert sorted(hidden.types.values_list("code", flat=True)) == [
        "economic", "employability", "model_risk", "psychological"
    ]  # fmt: skip
    event = CaseEvent.objects.filter(case=hidden).last()
    assert event is not None
    assert (event.actor, event.note) == (college.user("student_a"), REASON)

    seen = own_file(actor=college.personas["student_a"]).open_case
    assert seen is not None
    assert (seen.status, seen.applied_by_student, seen.applied_types) == ("candidate", True, [])
    assert seen.opened_at == event.at
    assert [line.own_words for line in seen.history] == [REASON]
    page = student.get(URL).content.decode()
    assert 'data-testid="application-status"' in page
    assert 'data-testid="application-form"' not in page
    with translation.override("zh-hans"):
        assert translation.gettext("Submitted, waiting for your counsellor's review") in page
        assert translation.gettext("An assistance file was opened for you") not in page
    assert REASON in page
    for secret in ("心理", "重点关注", types["model_risk"].name):
        assert secret not in page, secret

    assert post(student, types, "academic").status_code == 302  # a second time: refused
    assert CaseEvent.objects.filter(case=hidden).count() == 2


def test_a_confirmed_run_case_is_still_shown(college, student, types):
    case = unreviewed(college, types)
    services.case_confirm(actor=college.personas["counsellor_a"], case=case,
                          types=[types["economic"]], level=1)  # fmt: skip

    seen = own_file(actor=college.personas["student_a"]).open_case

    assert seen is not None
    assert (seen.status, seen.applied_by_student, seen.applied_types) == ("confirmed", False, [])
    page = student.get(URL).content.decode()
    assert 'data-testid="application-status"' in page
    assert zh(services.STATUS_FOR_STUDENT["confirmed"]) in page
    assert "重点关注" not in page


def test_a_dismissed_joined_application_is_listed_as_earlier(college, student, types):
    hidden = unreviewed(college, types)
    post(student, types, "economic")
    services.case_dismiss(actor=college.personas["counsellor_a"], case=hidden, reason="内部备注")

    file = own_file(actor=college.personas["student_a"])

    assert file.open_case is None
    assert [old.status for old in file.earlier] == ["dismissed"]
    page = student.get(URL).content.decode()
    assert 'data-testid="earlier"' in page and 'data-testid="application-form"' in page
    assert "内部备注" not in page and "重点关注" not in page

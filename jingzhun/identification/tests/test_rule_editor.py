"""The rule editor: words ↔ conditions, versions instead of edits, and the preview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jingzhun.core.models import AuditLog
from jingzhun.identification import rules as rule_engine
from jingzhun.identification import services
from jingzhun.identification.catalogue import FEATURES_BY_NAME
from jingzhun.identification.models import DifficultyType, IdentificationRun, Rule, Signal
from jingzhun.students.tests.factories import AcademicResultFactory, PsychScreeningFactory

F = FEATURES_BY_NAME


@pytest.mark.parametrize(
    ("field", "op", "text", "value"),
    [("failed_courses_last2", ">=", "3", 3), ("gpa_latest", "<", "1.5", 1.5),
     ("credits_owed", "between", "2-6", [2, 6]), ("credits_owed", "between", "2，6", [2, 6]),
     ("economic_level", "==", "特别困难", "special"), ("economic_level", "==", "special", "special"),
     ("intention_plan", "in", "暂不就业、未登记", ["not_yet", ""]), ("has_disability", "is_true", "", None)],
)  # fmt: skip
def test_parse_value_reads_what_an_officer_types(field, op, text, value):
    assert rule_engine.parse_value(F[field], op, text) == value
    if value is not None:
        assert (
            rule_engine.parse_value(F[field], op, rule_engine.value_text(F[field], op, value))
            == value
        )


@pytest.mark.parametrize(
    ("field", "op", "text", "message"),
    [("failed_courses_last2", ">=", "三", "“近两学期不及格课程”的阈值必须是数字"),
     ("credits_owed", "between", "2", "“欠学分”介于运算需要两个数，例如 1-3"),
     ("economic_level", "==", "很穷", "“家庭经济困难认定”的取值“很穷”无效，可选：特别困难、困难、一般困难、不困难")],
)  # fmt: skip
def test_parse_value_refuses_with_the_reason(field, op, text, message):
    with pytest.raises(rule_engine.RuleError, match=message):
        rule_engine.parse_value(F[field], op, text)


def test_describe_writes_the_condition_in_chinese():
    condition = {"any": [{"field": "failed_courses_last2", "op": ">=", "value": 3},
                         {"all": [{"field": "economic_level", "op": "in", "value": ["special", "difficult"]},
                                  {"field": "rural", "op": "is_true"}]}]}  # fmt: skip
    assert rule_engine.describe(condition) == (
        "近两学期不及格课程 ≥3 门 或 （家庭经济困难认定 属于 特别困难、困难 且 农村户籍）"
    )


@pytest.fixture
def academic(college):
    services.difficulty_types_ensure()
    AcademicResultFactory(student=college.student_a, term="2025-2026-1", failed_courses=2)
    AcademicResultFactory(student=college.student_a, term="2025-2026-2", failed_courses=3)
    return college


def _form(**overrides):
    data = {
        "name": "挂科较多", "difficulty_type": DifficultyType.objects.get(code="academic").pk,
        "level": "2", "match": "all", "effective_from": "2026-09-01", "effective_to": "",
        "c-TOTAL_FORMS": "2", "c-INITIAL_FORMS": "0",
        "c-0-field": "failed_courses_last2", "c-0-op": ">=", "c-0-value": "4",
        "c-1-field": "", "c-1-op": ">", "c-1-value": "",
    }  # fmt: skip
    return data | overrides


@pytest.mark.django_db
def test_preview_counts_and_explains_without_saving(client, academic):
    client.force_login(academic.user("employment_officer"))
    response = client.post(
        reverse("identification:rule-new"), _form(action="preview"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="preview-hits">1<' in html
    assert "近两学期不及格课程 5 门（阈值 ≥4）" in html
    assert academic.student_a.name in html and academic.student_b.name not in html
    assert not Rule.objects.exists()


@pytest.mark.django_db
def test_preview_hides_restricted_explanations(client, academic):
    PsychScreeningFactory(student=academic.student_a, level="key")
    client.force_login(academic.user("employment_officer"))  # may not open psychological data
    data = _form(
        **{"action": "preview", "c-0-field": "psych_level", "c-0-op": "==", "c-0-value": "重点关注"}
    )
    html = client.post(
        reverse("identification:rule-new"), data, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="preview-hits">1<' in html
    # Who is flagged (or where) would tell a screening result: a count only, nothing audited.
    assert 'data-testid="preview-restricted"' in html
    assert "preview-student" not in html and academic.student_a.name not in html
    assert "By cohort" not in html and "按届别" not in html
    assert not AuditLog.objects.filter(action="view_sensitive").exists()


@pytest.mark.django_db
def test_a_preview_showing_restricted_values_is_audited(client, academic):
    from jingzhun.students.models import FamilyEconomicStatus

    FamilyEconomicStatus.objects.create(
        student=academic.student_a, academic_year="2025-2026", level="special"
    )
    officer = academic.user("employment_officer")  # may open family finances
    client.force_login(officer)
    data = _form(**{"action": "preview", "c-0-field": "economic_level", "c-0-op": "==",
                    "c-0-value": "特别困难"})  # fmt: skip
    html = client.post(
        reverse("identification:rule-new"), data, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "家庭经济困难认定：特别困难" in html and academic.student_a.name in html
    entry = AuditLog.objects.get(action="view_sensitive")
    assert (entry.actor, entry.fields, entry.detail) == (
        officer, ["economic_level"], {"rule_preview": [academic.student_a.pk]},
    )  # fmt: skip


@pytest.mark.django_db
def test_form_errors_name_the_row(client, academic):
    client.force_login(academic.user("employment_officer"))
    data = _form(
        **{"c-0-field": "economic_level", "c-0-op": ">=", "c-0-value": "3", "action": "save"}
    )
    html = client.post(reverse("identification:rule-new"), data).content.decode()
    assert "该字段可用的运算：=、≠、属于、不属于" in html  # the UI speaks Chinese by default
    assert not Rule.objects.exists()
    empty = _form(**{"c-0-field": "", "action": "save"})
    assert (
        "请至少添加一个条件。"
        in client.post(reverse("identification:rule-new"), empty).content.decode()
    )


@pytest.mark.django_db
def test_editing_saves_a_new_version_and_old_runs_keep_theirs(client, academic):
    officer = academic.personas["employment_officer"]
    client.force_login(officer.user)
    response = client.post(reverse("identification:rule-new"), _form(action="save"))
    assert response.status_code == 302
    first = Rule.objects.get()
    assert (first.version, first.condition, first.author) == (
        1,
        {"field": "failed_courses_last2", "op": ">=", "value": 4},
        officer.user,
    )
    run = services.run_execute(run_id=IdentificationRun.objects.create(
        institution=academic.institution, as_of=dt.date(2026, 11, 26), started_by=officer.user).pk)  # fmt: skip
    assert run.rule_versions == {str(first.pk): 1}

    edit = _form(**{"action": "save", "match": "any", "c-0-value": "6", "c-1-field": "academic_warning",
                    "c-1-op": ">=", "c-1-value": "2"})  # fmt: skip
    assert (
        client.post(reverse("identification:rule-edit", args=[first.pk]), edit).status_code == 302
    )
    first.refresh_from_db()
    second = Rule.objects.get(is_active=True)
    assert not first.is_active and first.condition["value"] == 4
    assert (second.version, second.replaces, second.condition) == (2, first, {"any": [
        {"field": "failed_courses_last2", "op": ">=", "value": 6}, {"field": "academic_warning", "op": ">=", "value": 2}]})  # fmt: skip
    assert Signal.objects.filter(run=run, rule=first).count() == 1  # history untouched
    assert AuditLog.objects.filter(action=AuditLog.Action.UPDATE, object_id=str(second.pk)).exists()
    # The superseded version cannot be edited again.
    assert client.get(reverse("identification:rule-edit", args=[first.pk])).status_code == 200
    stale = client.post(reverse("identification:rule-edit", args=[first.pk]), edit, follow=True)
    assert "该规则已有更新的版本，请编辑新版本。" in stale.content.decode()
    assert Rule.objects.count() == 2


@pytest.mark.django_db
def test_edit_form_shows_the_stored_condition(client, academic):
    officer = academic.personas["employment_officer"]
    services.rules_seed_defaults(actor=officer, effective_from=dt.date(2026, 9, 1))
    rule = Rule.objects.get(name="毕业前暂不就业或未登记意向")
    client.force_login(officer.user)
    html = client.get(reverse("identification:rule-edit", args=[rule.pk])).content.decode()
    assert 'value="暂不就业、未登记"' in html
    listing = client.get(reverse("identification:rule-list")).content.decode()
    assert "毕业打算 属于 暂不就业、未登记 且 距毕业 =0 年" in listing


@pytest.mark.django_db
def test_other_institutions_rules_are_not_found(client, academic):
    officer = academic.personas["employment_officer"]
    rule = services.rule_save(actor=officer, name="x", difficulty_type=DifficultyType.objects.get(code="academic"),
                              level=3, condition={"field": "certificates", "op": "==", "value": 0},
                              effective_from=dt.date(2026, 9, 1))  # fmt: skip
    client.force_login(academic.user("outsider"))  # employment office of another college
    assert client.get(reverse("identification:rule-edit", args=[rule.pk])).status_code == 404
    assert client.post(reverse("identification:rule-deactivate", args=[rule.pk])).status_code == 404


@pytest.mark.django_db
def test_a_motivation_rule_over_a_text_and_a_date_field_previews_and_saves(client, academic):
    from jingzhun.students.models import JobIntention

    # the preview counts back from today: student_a last registered a plan 270 days ago
    today = services.now_date()
    stale = today - dt.timedelta(days=270)
    JobIntention.objects.create(student=academic.student_a, recorded_on=stale, plan="employment")
    JobIntention.objects.create(
        student=academic.student_b, recorded_on=today - dt.timedelta(days=25), plan="employment"
    )
    major = academic.student_a.major.name
    client.force_login(academic.user("employment_officer"))
    data = _form(**{
        "name": "长期未更新毕业打算", "difficulty_type": DifficultyType.objects.get(code="motivation").pk,
        "c-0-field": "intention_recorded_on", "c-0-op": "older_than_days", "c-0-value": "180天",
        "c-1-field": "major_name", "c-1-op": "contains", "c-1-value": major[:2],
    })  # fmt: skip
    html = client.post(
        reverse("identification:rule-new"), data | {"action": "preview"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="preview-hits">1<' in html
    assert f"最近登记毕业打算 {stale.isoformat()}（条件：距今超过 180 天）" in html
    client.post(reverse("identification:rule-new"), data | {"action": "save"})
    rule = Rule.objects.get(name="长期未更新毕业打算")
    assert rule.condition == {"all": [
        {"field": "intention_recorded_on", "op": "older_than_days", "value": 180},
        {"field": "major_name", "op": "contains", "value": major[:2]},
    ]}  # fmt: skip
    page = client.get(reverse("identification:rule-edit", args=[rule.pk])).content.decode()
    assert 'value="180"' in page and "天数" in page  # stored values and the field help


def _rule(college, condition, name="挂科较多"):
    return services.rule_save(actor=college.personas["employment_officer"], name=name,
                              difficulty_type=DifficultyType.objects.get(code="academic"), level=2,
                              condition=condition, effective_from=dt.date(2026, 9, 1))  # fmt: skip


@pytest.mark.django_db
def test_deactivating_a_rule_stops_it_audits_it_and_cannot_happen_twice(client, academic):
    rule = _rule(academic, {"field": "failed_courses_last2", "op": ">=", "value": 4})
    officer = academic.user("employment_officer")
    client.force_login(officer)
    url = reverse("identification:rule-deactivate", args=[rule.pk])

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(reverse("identification:rule-list"), 302)]
    assert "规则“挂科较多”已停用。" in response.content.decode()
    rule.refresh_from_db()
    assert not rule.is_active
    entry = AuditLog.objects.get(action=AuditLog.Action.UPDATE, object_id=str(rule.pk))
    assert (entry.actor, entry.detail) == (officer, {"is_active": False})
    assert client.post(url).status_code == 404  # only an active rule can be deactivated
    assert AuditLog.objects.filter(action=AuditLog.Action.UPDATE).count() == 1
    assert client.get(url).status_code == 405  # a GET never deactivates


@pytest.mark.django_db
def test_a_rule_with_nested_groups_is_shown_read_only(client, academic):
    rule = _rule(academic, {"any": [
        {"field": "failed_courses_last2", "op": ">=", "value": 3},
        {"all": [{"field": "economic_level", "op": "in", "value": ["special", "difficult"]},
                 {"field": "rural", "op": "is_true"}]},
    ]})  # fmt: skip
    client.force_login(academic.user("employment_officer"))

    html = client.get(reverse("identification:rule-edit", args=[rule.pk])).content.decode()

    assert "该规则含嵌套条件组，本表单无法显示。其条件为：" in html
    assert "请在系统管理中编辑，或停用后在此新建规则。" in html
    assert rule_engine.describe(rule.condition) in html
    assert 'data-testid="condition-row"' not in html and 'id="rule-form"' not in html
    flat = _rule(academic, {"field": "gpa_latest", "op": "<", "value": 1.5}, name="绩点偏低")
    plain = client.get(reverse("identification:rule-edit", args=[flat.pk])).content.decode()
    assert 'data-testid="condition-row"' in plain and "该规则含嵌套条件组" not in plain


@pytest.mark.django_db
def test_an_htmx_preview_of_an_invalid_form_asks_for_corrections(client, academic):
    client.force_login(academic.user("employment_officer"))
    data = _form(**{"action": "preview", "c-0-field": "economic_level", "c-0-op": ">=",
                    "c-0-value": "3"})  # fmt: skip

    response = client.post(reverse("identification:rule-new"), data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "请先修正表单：点击保存或检查标红的行。" in html  # Chinese by default
    assert 'data-testid="preview-result"' not in html and "<form" not in html  # the box only
    assert not Rule.objects.exists()

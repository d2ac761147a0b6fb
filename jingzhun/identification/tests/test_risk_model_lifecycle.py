"""Risk models in the product: trained from the registry, approved by the employment office,
used by the runs to flag and explain students."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification import services
from jingzhun.identification.models import Case, IdentificationRun, RiskModel, Signal
from jingzhun.identification.risk import PROTECTED, model_schema
from jingzhun.identification.selectors import risk_model_artifact
from jingzhun.identification.services.risk_models import _unique_version
from jingzhun.identification.tests.graduates import AS_OF, build_graduates
from jingzhun.students.tests.factories import AcademicResultFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def graduated(college):
    build_graduates(college)
    return college


def train(college, persona: str = "employment_officer") -> RiskModel:
    actor = college.personas[persona]
    return services.risk_model_train(actor=actor, institution=college.institution, as_of=AS_OF)


def candidate(college, version: str = "risk-20261101T000000Z-candidat") -> RiskModel:
    """A trained model row without training it: approval reads no artifact."""
    return RiskModel.objects.create(
        institution=college.institution,
        version=version,
        schema_hash=model_schema().hash(),
        as_of=AS_OF,
    )


def execute_run(college) -> IdentificationRun:
    started = IdentificationRun.objects.create(
        institution=college.institution, as_of=AS_OF, started_by=college.user("employment_officer")
    )
    return services.run_execute(run_id=started.pk)


def test_training_validates_on_the_newest_cohort_and_waits_for_approval(graduated):
    model = train(graduated)
    metrics, validation = model.metrics, model.metrics["validation"]
    assert (model.status, model.trained_by) == ("trained", graduated.user("employment_officer"))
    assert (metrics["train_cohorts"], metrics["test_cohort"]) == ([2024, 2025], 2026)
    assert model.training_cohorts == [2024, 2025, 2026]  # the stored model is refitted on all
    # 60 graduates seen in each of their 3 years; a third had no destination.
    assert (metrics["rows"], validation["rows"], validation["positives"]) == (540, 180, 60)
    assert (validation["k"], validation["precision_at_k"], validation["recall_at_k"]) == (
        18,
        1.0,
        0.3,
    )
    stages = {s["years_to_graduation"]: (s["roc_auc"], s["flagged"]) for s in metrics["by_stage"]}
    # Failures are on record from the first year's July, so the first-year autumn (2 years
    # to go) knows nothing yet; the later stages rank perfectly.
    assert stages == {0: (1.0, 18), 1: (1.0, 0), 2: (0.5, 0)}
    assert validation["roc_auc"] == pytest.approx(0.9444, abs=1e-4)
    assert (
        AuditLog.objects.get(object_type="identification.riskmodel").detail["test_cohort"] == 2026
    )


def test_protected_attributes_are_never_inputs_but_are_reported_on(graduated):
    model = train(graduated)
    assert not set(model.feature_names) & (
        PROTECTED | {"gender", "ethnicity", "hukou_type", "school"}
    )
    assert model.feature_names == model_schema().names
    assert [a["attribute"] for a in model.fairness["attributes"]] == [
        "gender", "ethnicity", "hukou_type", "school",
    ]  # fmt: skip
    gender = model.fairness["attributes"][0]
    # One row per graduate of the held-out cohort (its final year), not one per year of study.
    assert [(g["group"], g["rows"], g["positives"]) for g in gender["groups"]] == [
        ("F", 30, 10), ("M", 30, 10),
    ]  # fmt: skip
    assert sum(g["flagged"] for g in gender["groups"]) == 6  # 10 % of the 60 graduates


def test_the_stored_artifact_loads_and_scores_like_the_trained_model(graduated):
    model = train(graduated)
    artifact = risk_model_artifact(model)
    assert (artifact.version, artifact.schema_hash) == (model.version, model.schema_hash)
    assert model.artifact.name == f"risk_models/{graduated.institution.pk}/{model.version}.zip"


def test_two_trainings_in_the_same_second_get_distinct_versions(graduated):
    model = train(graduated)
    again = _unique_version(graduated.institution, model.version)
    assert again == f"{model.version}-2"
    RiskModel.objects.create(institution=graduated.institution, version=again, as_of=AS_OF)
    assert _unique_version(graduated.institution, model.version) == f"{model.version}-3"


def test_training_without_two_labelled_cohorts_is_refused(college):
    with pytest.raises(DomainError) as exc:
        train(college)
    assert exc.value.code == "risk_model.not_enough_data"
    assert not RiskModel.objects.exists()


def test_approval_activates_and_a_second_approval_retires_the_first(college):
    office = college.personas["employment_officer"]
    first, second = candidate(college, "risk-a"), candidate(college, "risk-b")
    services.risk_model_approve(actor=office, model=first)
    first.refresh_from_db()
    assert (first.status, first.approved_by) == ("approved", office.user)
    services.risk_model_approve(actor=office, model=second)
    assert dict(RiskModel.objects.values_list("pk", "status")) == {
        first.pk: "retired", second.pk: "approved",
    }  # fmt: skip
    assert list(
        AuditLog.objects.filter(object_type="identification.riskmodel", action="update")
        .order_by("pk")
        .values_list("object_id", "detail")
    ) == [
        (str(first.pk), {"to": "approved", "retired": None}),
        (str(first.pk), {"to": "retired", "by": second.version}),
        (str(second.pk), {"to": "approved", "retired": first.version}),
    ]


def test_only_a_trained_model_can_be_approved(college):
    office = college.personas["employment_officer"]
    model = candidate(college)
    services.risk_model_approve(actor=office, model=model)
    with pytest.raises(DomainError) as exc:
        services.risk_model_approve(actor=office, model=model)
    assert exc.value.code == "risk_model.bad_status"


def test_a_model_of_another_feature_schema_cannot_be_approved(college):
    model = candidate(college)
    RiskModel.objects.filter(pk=model.pk).update(schema_hash="0" * 64)
    model.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.risk_model_approve(actor=college.personas["employment_officer"], model=model)
    assert exc.value.code == "risk_model.stale_schema"
    assert RiskModel.objects.get().status == "trained"


@pytest.mark.parametrize("persona", ["leader", "counsellor_a", "school_officer_a", "outsider"])
def test_only_the_employment_office_of_the_institution_may_approve(college, persona):
    model = candidate(college)
    with pytest.raises(DomainError) as exc:
        services.risk_model_approve(actor=college.personas[persona], model=model)
    assert exc.value.code == "risk_model.not_allowed"
    assert RiskModel.objects.get().status == "trained"
    assert not AuditLog.objects.filter(object_type="identification.riskmodel", action="update")


def test_only_the_employment_office_may_train(graduated):
    with pytest.raises(DomainError) as exc:
        train(graduated, persona="counsellor_a")
    assert exc.value.code == "risk_model.not_allowed"
    assert not RiskModel.objects.exists()


def test_one_active_model_per_institution_is_a_database_constraint(college):
    from django.db import IntegrityError, transaction

    first, second = candidate(college, "risk-a"), candidate(college, "risk-b")
    RiskModel.objects.filter(pk=first.pk).update(status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskModel.objects.filter(pk=second.pk).update(status="approved")


def test_a_run_with_an_active_model_flags_and_explains_the_top_students(graduated):
    services.risk_model_approve(
        actor=graduated.personas["employment_officer"], model=train(graduated)
    )
    for term in ("2024-2025-2", "2025-2026-2"):  # as the graduates who were not placed
        AcademicResultFactory(student=graduated.student_a, term=term, failed_courses=4)
    run = execute_run(graduated)
    # Capacity 10% of 2 enrolled students: one flag, the student with the failed courses.
    signal = Signal.objects.select_related("difficulty_type").get(run=run)
    assert (signal.student, signal.rule, signal.difficulty_type.code, signal.level) == (
        graduated.student_a, None, "model_risk", 2,
    )  # fmt: skip
    # The calibrated probability first, then the largest contribution with the student's value.
    assert re.fullmatch(
        r"模型预测未落实去向概率 (0\.9\d|1\.00)：近两学期不及格课程 8 门(；.+)?", signal.explanation
    )
    assert signal.sensitivity == ""  # cites only academic records
    assert (run.risk_model, run.signal_count, run.new_cases) == (RiskModel.objects.get(), 1, 1)
    case = Case.objects.get(student=graduated.student_a)
    assert list(case.types.values_list("code", flat=True)) == ["model_risk"]


def test_a_run_without_an_active_model_creates_no_model_signal(graduated):
    train(graduated)  # trained, not approved
    AcademicResultFactory(student=graduated.student_a, term="2025-2026-2", failed_courses=5)
    run = execute_run(graduated)
    assert (run.risk_model, run.signal_count) == (None, 0)
    assert not Signal.objects.exists()


def test_the_model_page_shows_metrics_and_fairness_and_approves(
    graduated, client, django_assert_num_queries
):
    model = train(graduated)
    client.force_login(graduated.user("employment_officer"))
    url = reverse("identification:model-list")
    with django_assert_num_queries(7):  # session, user, roles (2), the models, messages
        page = client.get(url).content.decode()
    assert model.version in page
    assert page.count('data-testid="fairness-attribute"') == 4
    assert "0.944" in page  # ROC-AUC on the newest cohort
    response = client.post(reverse("identification:model-approve", args=[model.pk]))
    assert response.status_code == 302
    assert RiskModel.objects.get().status == "approved"
    assert 'data-testid="approve"' not in client.get(url).content.decode()


def test_the_model_page_is_closed_to_other_roles(college, client):
    model = candidate(college)
    client.force_login(college.user("counsellor_a"))
    assert client.get(reverse("identification:model-list")).status_code == 403
    response = client.post(reverse("identification:model-approve", args=[model.pk]))
    assert response.status_code == 403
    assert RiskModel.objects.get().status == "trained"


def test_training_from_the_page_is_enqueued_and_the_task_trains(
    graduated, client, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from jingzhun.identification.tasks import risk_model_train_task

    client.force_login(graduated.user("employment_officer"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("identification:model-list"))
    task = DBTaskResult.objects.get()
    assert task.task_path == "jingzhun.identification.tasks.risk_model_train_task"
    office = graduated.personas["employment_officer"]
    today = services.now_date().isoformat()
    assert task.args_kwargs["args"] == [graduated.institution.pk, today, office.pk]
    assert not RiskModel.objects.exists()  # the worker trains it
    version = risk_model_train_task.call(graduated.institution.pk, AS_OF.isoformat(), office.pk)
    assert RiskModel.objects.get().version == version


def test_train_command_prints_the_validation(graduated):
    out = io.StringIO()
    call_command(
        "train_risk_model",
        "--institution",
        graduated.institution.code,
        "--as-of",
        "2026-11-26",
        stdout=out,
    )
    model = RiskModel.objects.get()
    assert model.trained_by is None
    assert out.getvalue().splitlines()[:3] == [
        f"Risk model {model.version} trained (waiting for approval).",
        "Trained on cohorts 2024, 2025, tested on 2026: 180 rows, 60 not placed.",
        "ROC-AUC 0.944  PR-AUC 0.867  Brier "
        f"{model.metrics['validation']['brier']:.4f}  precision@18 1.000  recall@18 0.300",
    ]
    with pytest.raises(CommandError, match="No institution"):
        call_command("train_risk_model", "--institution", "nope")

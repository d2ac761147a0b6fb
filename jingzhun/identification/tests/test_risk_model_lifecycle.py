"""Risk models in the product: trained from the registry, approved by the employment office,
used by the runs to flag and explain students."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

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


def train_pair(college, persona: str = "employment_officer") -> dict[str, RiskModel]:
    """Both rows of one training, by kind."""
    recommended = train(college, persona)
    pair = RiskModel.objects.filter(training=recommended.training)
    return {m.kind: m for m in pair}


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
    model = train_pair(graduated)["lightgbm"]
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
    audits = AuditLog.objects.filter(object_type="identification.riskmodel").order_by("pk")
    assert [(a.object_id, a.actor_role, a.detail["kind"], a.detail["test_cohort"],
             a.detail["system"]) for a in audits] == [
        (str(model.pk), "employment_office", "lightgbm", 2026, False),
        (str(model.pk + 1), "employment_office", "linear", 2026, False),
    ]  # fmt: skip


def test_one_training_stores_both_models_and_recommends_one(graduated):
    recommended = train(graduated)
    pair = train_pair_of(recommended)
    trees, linear = pair["lightgbm"], pair["linear"]
    assert (trees.training, linear.training) == (trees.version, trees.version)
    assert linear.version == f"{trees.version}-linear"
    assert (trees.status, linear.status) == ("trained", "trained")
    for model in (trees, linear):
        assert model.metrics["kind"] == model.kind
        assert (model.metrics["train_cohorts"], model.metrics["test_cohort"]) == (
            [2024, 2025],
            2026,
        )
        assert len(model.fairness["attributes"]) == 4
    # Failed courses decide the outcome: both rank the held-out cohort perfectly on PR-AUC,
    # a tie, so the simpler linear model is recommended.
    comparison = trees.metrics["comparison"]
    assert comparison == linear.metrics["comparison"]
    assert comparison["pr_auc"]["linear"] >= comparison["pr_auc"]["lightgbm"] - 0.005
    assert (comparison["criterion"], comparison["recommended"]) == ("pr_auc", "linear")
    assert (recommended, linear.recommended, trees.recommended) == (linear, True, False)
    assert list(linear.training_models()) == list(trees.training_models()) == [trees, linear]
    # A model trained before there were two kinds is a training of its own.
    lone = candidate(graduated, "risk-20250101T000000Z-lonely")
    assert list(lone.training_models()) == [lone]


def train_pair_of(model: RiskModel) -> dict[str, RiskModel]:
    return {m.kind: m for m in RiskModel.objects.filter(training=model.training)}


@pytest.mark.parametrize("kind", ["lightgbm", "linear"])
def test_protected_attributes_are_never_inputs_but_are_reported_on(graduated, kind):
    model = train_pair(graduated)[kind]
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


@pytest.mark.parametrize("kind", ["lightgbm", "linear"])
def test_the_stored_artifact_loads_and_scores_like_the_trained_model(graduated, kind):
    model = train_pair(graduated)[kind]
    artifact = risk_model_artifact(model)
    assert (artifact.version, artifact.schema_hash) == (model.version, model.schema_hash)
    assert artifact.kind == kind
    assert model.artifact.name == f"risk_models/{graduated.institution.pk}/{model.version}.zip"


def test_two_trainings_in_the_same_second_get_distinct_versions(graduated):
    model = train_pair(graduated)["lightgbm"]
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
        (
            str(first.pk),
            {"to": "approved", "retired": None, "kind": "lightgbm", "recommended": False},
        ),
        (str(first.pk), {"to": "retired", "by": second.version}),
        (
            str(second.pk),
            {"to": "approved", "retired": first.version, "kind": "lightgbm", "recommended": False},
        ),
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


@pytest.mark.parametrize("kind", ["lightgbm", "linear"])
def test_a_run_with_an_active_model_flags_and_explains_the_top_students(graduated, kind):
    approved = train_pair(graduated)[kind]
    services.risk_model_approve(actor=graduated.personas["employment_officer"], model=approved)
    for term in ("2024-2025-2", "2025-2026-2"):  # as the graduates who were not placed
        AcademicResultFactory(student=graduated.student_a, term=term, failed_courses=4)
    run = execute_run(graduated)
    # Capacity 10% of 2 enrolled students: one flag, the student with the failed courses.
    signal = Signal.objects.select_related("difficulty_type").get(run=run)
    assert (signal.student, signal.rule, signal.difficulty_type.code, signal.level) == (
        graduated.student_a, None, "model_risk", 2,
    )  # fmt: skip
    # The probability first, then the largest contribution with the student's value, in the
    # same words whichever model flagged the student.
    assert re.fullmatch(
        r"模型预测未落实去向概率 (0\.9\d|1\.00)：近两学期不及格课程 8 门(；.+)?", signal.explanation
    ), signal.explanation
    assert signal.sensitivity == ""  # cites only academic records
    assert (run.risk_model, run.signal_count, run.new_cases) == (approved, 1, 1)
    case = Case.objects.get(student=graduated.student_a)
    assert list(case.types.values_list("code", flat=True)) == ["model_risk"]


def test_approving_either_model_makes_the_next_run_use_it(graduated):
    office = graduated.personas["employment_officer"]
    pair = train_pair(graduated)
    AcademicResultFactory(student=graduated.student_a, term="2025-2026-2", failed_courses=5)
    used = []
    for kind in ("linear", "lightgbm", "linear"):
        model = RiskModel.objects.get(pk=pair[kind].pk)
        if model.status == "retired":  # approved before: a retired model is trained again
            model = train_pair(graduated)[kind]
        services.risk_model_approve(actor=office, model=model)
        run = execute_run(graduated)
        assert run.risk_model is not None
        used.append((run.risk_model.kind, run.risk_model == model, run.signal_count))
    assert used == [("linear", True, 1), ("lightgbm", True, 1), ("linear", True, 1)]
    active = RiskModel.objects.filter(status="approved").get()
    assert active.kind == "linear"
    with translation.override("zh-hans"):  # the runs pages name the model by its kind
        assert active.label == "2026-11-26 风险模型：逻辑回归，已批准（启用中）"


def test_a_run_without_an_active_model_creates_no_model_signal(graduated):
    train(graduated)  # trained, not approved
    AcademicResultFactory(student=graduated.student_a, term="2025-2026-2", failed_courses=5)
    run = execute_run(graduated)
    assert (run.risk_model, run.signal_count) == (None, 0)
    assert not Signal.objects.exists()


def page_queries(client, url: str) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return len(queries), page


def test_the_model_page_shows_both_models_in_words_and_approves_either(graduated, client):
    pair = train_pair(graduated)
    trees, linear = pair["lightgbm"], pair["linear"]
    client.force_login(graduated.user("employment_officer"))
    url = reverse("identification:model-list")
    queries, page = page_queries(client, url)
    assert queries <= 8  # session, user, roles, the models (one query), open trainings, messages
    assert page.count('data-testid="risk-training"') == 1
    assert page.count('data-testid="risk-model"') == 2
    assert trees.version in page and linear.version in page
    assert page.count('data-testid="fairness-attribute"') == 8  # four attributes each
    assert page.count('data-testid="recommended-badge"') == 1
    assert page.count('data-testid="approve"') == 2
    # The counsellor's sentence first, the metric's name and value small beside it.
    assert "在风险最高的前 10%（18 人）名单中，有 18 人后来未落实去向。" in page
    assert "ROC-AUC 0.944" in page  # the trees on the newest cohort
    assert "推荐：逻辑回归。" in page
    response = client.post(reverse("identification:model-approve", args=[trees.pk]))
    assert response.status_code == 302
    assert dict(RiskModel.objects.values_list("kind", "status")) == {
        "lightgbm": "approved", "linear": "trained",
    }  # fmt: skip
    client.post(reverse("identification:model-approve", args=[linear.pk]))
    assert dict(RiskModel.objects.values_list("kind", "status")) == {
        "lightgbm": "retired", "linear": "approved",
    }  # fmt: skip
    approvals = AuditLog.objects.filter(
        object_type="identification.riskmodel", action="update", detail__to="approved"
    ).order_by("pk")
    assert [(a.detail["kind"], a.detail["recommended"]) for a in approvals] == [
        ("lightgbm", False), ("linear", True),  # the office overrode the advice, then took it
    ]  # fmt: skip
    assert 'data-testid="approve"' not in client.get(url).content.decode()
    train(graduated)  # a second training: no more queries
    again, page = page_queries(client, url)
    assert (again, page.count('data-testid="risk-training"')) == (queries, 2)


def test_the_model_page_is_closed_to_other_roles(college, client):
    model = candidate(college)
    client.force_login(college.user("counsellor_a"))
    assert client.get(reverse("identification:model-list")).status_code == 403
    response = client.post(reverse("identification:model-approve", args=[model.pk]))
    assert response.status_code == 403
    assert RiskModel.objects.get().status == "trained"


def test_training_from_the_page_is_a_job_the_worker_runs_and_the_page_follows(
    graduated, client, django_capture_on_commit_callbacks
):
    from jingzhun.core.models import Job
    from jingzhun.identification.models import ModelTraining
    from jingzhun.identification.tasks import risk_model_training_task

    client.force_login(graduated.user("employment_officer"))
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued on commit
        client.post(reverse("identification:model-list"))
    training = ModelTraining.objects.get()
    office = graduated.personas["employment_officer"]
    assert (training.requested_by, training.as_of) == (office, services.now_date())
    assert not RiskModel.objects.exists()  # the worker trains it
    page = client.get(reverse("identification:model-list")).content.decode()
    assert 'data-testid="model-training"' in page and "正在等待后台任务程序" in page
    risk_model_training_task.call(training.pk)  # what the worker runs
    training.refresh_from_db()
    job = Job.objects.get(kind="identification.train", subject_id=training.pk)
    assert (training.status, training.model, job.done, job.total) == (
        "finished",
        RiskModel.objects.get(recommended=True),
        3,
        3,
    )
    assert RiskModel.objects.count() == 2
    page = client.get(reverse("identification:model-list")).content.decode()
    assert 'data-testid="model-training"' not in page


def test_a_failed_training_says_why_and_is_run_again_from_the_page(
    graduated, client, django_capture_on_commit_callbacks
):
    from jingzhun.identification.models import ModelTraining
    from jingzhun.identification.tasks import risk_model_training_task
    from jingzhun.students.models import GraduateDestination

    saved = list(GraduateDestination.objects.values())
    GraduateDestination.objects.all().delete()  # no graduate with a known outcome yet
    client.force_login(graduated.user("employment_officer"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("identification:model-list"))
    training = ModelTraining.objects.get()
    risk_model_training_task.call(training.pk)  # what the worker runs
    training.refresh_from_db()
    page = client.get(reverse("identification:model-list")).content.decode()
    assert training.status == "failed" and training.failure in page
    assert 'data-testid="training-retry"' in page
    GraduateDestination.objects.bulk_create(GraduateDestination(**row) for row in saved)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("identification:model-training-retry", args=[training.pk]))
    risk_model_training_task.call(training.pk)  # what the worker runs
    training.refresh_from_db()
    assert (training.status, RiskModel.objects.count()) == ("finished", 2)


def test_train_command_prints_both_models_and_the_pick_and_audits_a_system_action(graduated):
    out = io.StringIO()
    call_command(
        "train_risk_model",
        "--institution",
        graduated.institution.code,
        "--as-of",
        "2026-11-26",
        stdout=out,
    )
    trees, linear = RiskModel.objects.get(kind="lightgbm"), RiskModel.objects.get(kind="linear")
    assert (trees.trained_by, linear.trained_by) == (None, None)
    lv = linear.metrics["validation"]
    assert out.getvalue().splitlines()[:5] == [
        f"Risk models {trees.version}, {linear.version} trained (waiting for approval).",
        "Trained on cohorts 2024, 2025, tested on 2026: 180 rows, 60 not placed.",
        "  LightGBM            ROC-AUC 0.944  PR-AUC 0.867  Brier "
        f"{trees.metrics['validation']['brier']:.4f}  precision@18 1.000  recall@18 0.300",
        f"* Logistic regression ROC-AUC {lv['roc_auc']:.3f}  PR-AUC {lv['pr_auc']:.3f}  Brier "
        f"{lv['brier']:.4f}  precision@18 1.000  recall@18 0.300",
        "Recommended (*): Logistic regression — higher PR-AUC on the newest cohort; within "
        "0.005 the simpler logistic regression.",
    ]
    audits = AuditLog.objects.filter(object_type="identification.riskmodel").order_by("pk")
    assert [(a.actor, a.actor_role, a.detail["kind"], a.detail["system"]) for a in audits] == [
        (None, "system", "lightgbm", True), (None, "system", "linear", True),
    ]  # fmt: skip
    with pytest.raises(CommandError, match="No institution"):
        call_command("train_risk_model", "--institution", "nope")

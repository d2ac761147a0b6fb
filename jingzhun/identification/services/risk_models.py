"""Risk models: train them from the registry's graduated cohorts, approve one for the runs.

Training reads the graduates of the institution whose destination deadline has passed, sees
each of them at the run's day of the year once per year of study (records known by then
only; see `snapshot.py` for what is approximate about "known"), labels them by destination
and hands the table to `jingzhun.data.ml` through `risk.train`, which fits the boosted trees
and a logistic regression and recommends the better on the newest cohort. Nothing a run does
changes until the employment office approves one of them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress
from jingzhun.core.models import AuditLog
from jingzhun.data import ml
from jingzhun.identification import permissions, risk
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import ModelTraining, RiskModel
from jingzhun.identification.snapshot import feature_frame_at
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.students.models import Student

_GRADUATE_COLUMNS = {
    "id": "id", "cohort": "cohort", "entry_year": "entry_year", "gender": "gender",
    "ethnicity": "ethnicity", "hukou_type": "hukou_type", "school": "school__name",
    "category": "destination__code__category", "recorded_on": "destination__recorded_on",
}  # fmt: skip


def check_office(actor: RoleAssignment, institution_id: int) -> None:
    if not permissions.can_approve_model(actor) or actor.institution_id != institution_id:
        raise DomainError(
            IdentificationErrorCode.MODEL_NOT_ALLOWED,
            _("Only the employment office of this institution may train or approve risk models."),
        )


def _graduates(institution: Institution, as_of: dt.date) -> QuerySet[Student]:
    return Student.objects.filter(
        institution=institution,
        status=Student.Status.GRADUATED,
        cohort__lte=risk.newest_labelled_cohort(as_of),
    )


def training_table(institution: Institution, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(features + label + cohort, fairness groups): one row per graduate and year of study."""
    population = _graduates(institution, as_of)
    students = pd.DataFrame.from_records(
        list(population.order_by("pk").values_list(*_GRADUATE_COLUMNS.values())),
        columns=list(_GRADUATE_COLUMNS),
    )
    if students.empty:
        return pd.DataFrame(), pd.DataFrame()
    students["label"] = risk.no_destination(
        students["category"], students["recorded_on"], students["cohort"]
    )
    points = risk.stage_points(students[["id", "cohort", "entry_year"]], as_of)
    by_id = students.set_index("id")
    table = feature_frame_at(population, points).assign(
        **{
            ml.LABEL: points["student_id"].map(by_id["label"]).to_numpy(),
            ml.COHORT: points["cohort"].to_numpy(),
        }
    )
    groups = risk.group_columns(by_id).loc[points["student_id"]].set_axis(points.index)
    return table, groups


def _unique_version(institution: Institution, version: str) -> str:
    """Versions carry the training second; two trainings in one second get a suffix."""
    taken = set(
        RiskModel.objects.filter(institution=institution, version__startswith=version).values_list(
            "version", flat=True
        )
    )
    suffix = 1
    unique = version
    while unique in taken:
        suffix += 1
        unique = f"{version}-{suffix}"
    return unique


SYSTEM_ROLE = "system"
"""The audit role of a training no person started (the operator's command line)."""


TRAIN_JOB = "identification.train"  # its long job (jingzhun.core.jobs), registered in apps.py
TRAIN_STEPS = (
    gettext_lazy("Reading the graduated cohorts"),
    gettext_lazy("Training and validating both models"),
    gettext_lazy("Saving the models"),
)


def _step(progress: Progress | None, index: int) -> None:
    if progress is not None:
        progress.step(TRAIN_STEPS[index], total=len(TRAIN_STEPS))
        progress.set(index)


def risk_model_training_execute(
    *, training_id: int, progress: Progress | None = None
) -> ModelTraining:
    """Train what a recorded request asked for (what the task calls). A finished request is
    left alone; a refusal (no graduates, role withdrawn) is recorded with its reason."""
    training = ModelTraining.objects.select_related("institution", "requested_by__user").get(
        pk=training_id
    )
    if training.status == ModelTraining.Status.FINISHED:
        return training
    ModelTraining.objects.filter(pk=training.pk).update(
        status=ModelTraining.Status.RUNNING, failure=""
    )
    try:
        model = risk_model_train(actor=training.requested_by, institution=training.institution,
                                 as_of=training.as_of, progress=progress)  # fmt: skip
    except DomainError as exc:
        ModelTraining.objects.filter(pk=training.pk).update(
            status=ModelTraining.Status.FAILED, failure=str(exc.message)[:300]
        )
    except Exception as exc:
        ModelTraining.objects.filter(pk=training.pk).update(
            status=ModelTraining.Status.FAILED, failure=f"{type(exc).__name__}: {exc}"[:300]
        )
        raise
    else:
        ModelTraining.objects.filter(pk=training.pk).update(
            status=ModelTraining.Status.FINISHED, model=model
        )
    training.refresh_from_db()
    return training


def risk_model_train(
    *,
    actor: RoleAssignment | None,
    institution: Institution,
    as_of: dt.date,
    capacity: float = risk.MODEL_CAPACITY,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
) -> RiskModel:
    """Train both models on the graduated cohorts known by `as_of`; both wait for approval.

    Stores two rows sharing `training` (trees and logistic regression, each with its
    validation, fairness and artifact) and returns the recommended one. `actor` None is the
    operator's command line: no person, so no permission to check; it is audited as a
    system action.
    """
    if actor is not None:
        check_office(actor, institution.pk)
    _step(progress, 0)
    table, groups = training_table(institution, as_of)
    try:
        if table.empty:
            raise ValueError(_("no graduates with a known outcome"))
        _step(progress, 1)
        training = risk.train(table, groups, capacity=capacity)
    except ValueError as exc:
        raise DomainError(
            IdentificationErrorCode.MODEL_NO_DATA,
            _("The graduated cohorts cannot train a model: %(reason)s") % {"reason": exc},
        ) from exc
    _step(progress, 2)
    with transaction.atomic():
        stem = _unique_version(institution, training.models[0].artifact.version)
        rows = [_store(trained, stem, training.recommended, institution, as_of, actor, request)
                for trained in training.models]  # fmt: skip
    return next(row for row in rows if row.recommended)


def _store(
    trained: risk.TrainedModel, stem: str, recommended: str, institution: Institution,
    as_of: dt.date, actor: RoleAssignment | None, request: HttpRequest | None,
) -> RiskModel:  # fmt: skip
    artifact = trained.artifact
    artifact.version = stem if trained.kind == ml.KIND_LIGHTGBM else f"{stem}-{trained.kind}"
    model = RiskModel(
        institution=institution, version=artifact.version, kind=trained.kind, training=stem,
        recommended=trained.kind == recommended, schema_hash=artifact.schema_hash,
        feature_names=artifact.schema.names, training_cohorts=list(artifact.training_cohorts),
        as_of=as_of, metrics=trained.metrics, fairness=trained.fairness,
        trained_by=actor.user if actor else None,
    )  # fmt: skip
    model.artifact.save(
        f"{artifact.version}.zip", ContentFile(risk.artifact_zip(artifact)), save=False
    )
    model.save()
    validation = trained.metrics["validation"]
    audit_log(actor=actor.user if actor else None, action=AuditLog.Action.CREATE, target=model,
              request=request, role=actor.role if actor else SYSTEM_ROLE,
              detail={"kind": trained.kind, "training": stem, "recommended": model.recommended,
                      "system": actor is None, "test_cohort": trained.metrics["test_cohort"],
                      "roc_auc": validation["roc_auc"], "pr_auc": validation["pr_auc"],
                      "brier": validation["brier"]})  # fmt: skip
    return model


@transaction.atomic
def risk_model_approve(
    *, actor: RoleAssignment, model: RiskModel, request: HttpRequest | None = None
) -> RiskModel:
    """Make `model` the one the runs use; the model active until now is retired. Either model
    of a training may be approved; the audit records whether it was the recommended one."""
    check_office(actor, model.institution_id)
    siblings = RiskModel.objects.select_for_update().filter(institution_id=model.institution_id)
    model = siblings.get(pk=model.pk)
    if model.status != RiskModel.Status.TRAINED:
        raise DomainError(
            IdentificationErrorCode.MODEL_BAD_STATUS,
            _("Only a trained model can be approved; this one is %(status)s.")
            % {"status": model.get_status_display()},
        )
    if model.schema_hash != risk.model_schema().hash():
        raise DomainError(
            IdentificationErrorCode.MODEL_STALE,
            _("The features have changed since this model was trained; train a new one."),
        )
    now = timezone.now()
    # Retire first: the one-active constraint is checked row by row, not at commit.
    previous = siblings.filter(status=RiskModel.Status.APPROVED).first()
    if previous is not None:
        previous.status, previous.retired_at = RiskModel.Status.RETIRED, now
        previous.save(update_fields=["status", "retired_at", "updated_at"])
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=previous, request=request,
                  role=actor.role, fields=["status"], detail={"to": "retired", "by": model.version})  # fmt: skip
    model.status, model.approved_by, model.approved_at = RiskModel.Status.APPROVED, actor.user, now
    model.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=model, request=request, role=actor.role,
              fields=["status"], detail={"to": "approved", "retired": previous.version if previous else None,
                                         "kind": model.kind, "recommended": model.recommended})  # fmt: skip
    return model

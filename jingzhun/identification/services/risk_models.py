"""Risk models: train one from the registry's graduated cohorts, approve it for the runs.

Training reads the graduates of the institution whose destination deadline has passed, sees
each of them at the run's day of the year once per year of study (records known by then
only; see `snapshot.py` for what is approximate about "known"), labels them by destination
and hands the table to `jingzhun.data.ml` through `risk.train`. Nothing a run does changes
until the employment office approves the model.
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

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.data import ml
from jingzhun.identification import permissions, risk
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import RiskModel
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


def risk_model_train(
    *,
    actor: RoleAssignment | None,
    institution: Institution,
    as_of: dt.date,
    capacity: float = risk.MODEL_CAPACITY,
    request: HttpRequest | None = None,
) -> RiskModel:
    """Train on the graduated cohorts known by `as_of`; the result waits for approval.

    `actor` None is the operator's command line (recorded as trained by nobody).
    """
    if actor is not None:
        check_office(actor, institution.pk)
    table, groups = training_table(institution, as_of)
    try:
        if table.empty:
            raise ValueError(_("no graduates with a known outcome"))
        trained = risk.train(table, groups, capacity=capacity)
    except ValueError as exc:
        raise DomainError(
            IdentificationErrorCode.MODEL_NO_DATA,
            _("The graduated cohorts cannot train a model: %(reason)s") % {"reason": exc},
        ) from exc
    artifact = trained.artifact
    with transaction.atomic():
        artifact.version = _unique_version(institution, artifact.version)
        model = RiskModel(
            institution=institution, version=artifact.version, schema_hash=artifact.schema_hash,
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
                  request=request, role=actor.role if actor else "",
                  detail={"test_cohort": trained.metrics["test_cohort"], "roc_auc": validation["roc_auc"],
                          "pr_auc": validation["pr_auc"], "brier": validation["brier"]})  # fmt: skip
    return model


@transaction.atomic
def risk_model_approve(
    *, actor: RoleAssignment, model: RiskModel, request: HttpRequest | None = None
) -> RiskModel:
    """Make `model` the one the runs use; the model active until now is retired."""
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
              fields=["status"], detail={"to": "approved", "retired": previous.version if previous else None})  # fmt: skip
    return model

"""Identification writes: rule seeding, runs, case transitions, risk models.

Callers use `from jingzhun.identification import services` and the names below; the modules
are split by area only to keep each one readable.
"""

from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.services.cases import (
    NOT_SELF_APPLICABLE,
    SELF_APPLICATION_NOTE_MAX,
    STATUS_FOR_STUDENT,
    case_add_manual,
    case_confirm,
    case_dismiss,
    case_exit,
    case_self_apply,
    case_self_apply_check,
    self_application_types,
)
from jingzhun.identification.services.risk_models import (
    risk_model_approve,
    risk_model_train,
    risk_model_train_start,
    training_table,
)
from jingzhun.identification.services.runs import (
    difficulty_types_ensure,
    now_date,
    rules_seed_defaults,
    run_execute,
    run_start,
)

__all__ = [
    "NOT_SELF_APPLICABLE",
    "SELF_APPLICATION_NOTE_MAX",
    "STATUS_FOR_STUDENT",
    "IdentificationErrorCode",
    "case_add_manual",
    "case_confirm",
    "case_dismiss",
    "case_exit",
    "case_self_apply",
    "case_self_apply_check",
    "difficulty_types_ensure",
    "now_date",
    "risk_model_approve",
    "risk_model_train",
    "risk_model_train_start",
    "rules_seed_defaults",
    "run_execute",
    "run_start",
    "self_application_types",
    "training_table",
]

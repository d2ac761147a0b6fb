"""Identification writes: rule seeding, runs, case transitions, risk models.

Callers use `from jingzhun.identification import services` and the names below; the modules
are split by area only to keep each one readable.
"""

from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.services.bulk import (
    BulkAction,
    BulkFailure,
    BulkResult,
    case_bulk_decide,
)
from jingzhun.identification.services.cases import (
    NOT_SELF_APPLICABLE,
    SELF_APPLICATION_NOTE_MAX,
    STATUS_FOR_STUDENT,
    case_add_manual,
    case_assign,
    case_assistance_start,
    case_confirm,
    case_dismiss,
    case_exit,
    case_self_apply,
    case_self_apply_check,
    cases_assistance_start,
    level_checked,
)
from jingzhun.identification.services.risk_models import (
    risk_model_approve,
    risk_model_train,
    training_table,
)
from jingzhun.identification.services.rules import (
    rule_deactivate,
    rule_preview_shown,
    rule_save,
)
from jingzhun.identification.services.runs import (
    DEFAULT_CAPACITY,
    MODEL_TYPE,
    difficulty_types_ensure,
    now_date,
    rules_seed_defaults,
    run_execute,
)
from jingzhun.identification.services.schedule import (
    DISMISSAL_MAX_DAYS,
    SCHEDULE_MAX_DAYS,
    next_due,
    schedule_set,
    scheduled_runs_start,
)
from jingzhun.identification.services.starts import (
    risk_model_train_start,
    risk_model_training_retry,
    run_retry,
    run_start,
)

__all__ = [
    "DEFAULT_CAPACITY",
    "DISMISSAL_MAX_DAYS",
    "MODEL_TYPE",
    "NOT_SELF_APPLICABLE",
    "SCHEDULE_MAX_DAYS",
    "SELF_APPLICATION_NOTE_MAX",
    "STATUS_FOR_STUDENT",
    "BulkAction",
    "BulkFailure",
    "BulkResult",
    "IdentificationErrorCode",
    "case_add_manual",
    "case_assign",
    "case_assistance_start",
    "case_bulk_decide",
    "case_confirm",
    "case_dismiss",
    "case_exit",
    "case_self_apply",
    "case_self_apply_check",
    "cases_assistance_start",
    "difficulty_types_ensure",
    "level_checked",
    "next_due",
    "now_date",
    "risk_model_approve",
    "risk_model_train",
    "risk_model_train_start",
    "risk_model_training_retry",
    "rule_deactivate",
    "rule_preview_shown",
    "rule_save",
    "rules_seed_defaults",
    "run_execute",
    "run_retry",
    "run_start",
    "schedule_set",
    "scheduled_runs_start",
    "training_table",
]

"""Identification in the demo college: default rules, a risk model trained on the graduated
cohorts and approved by the employment office, one run, and realistic review decisions."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from jingzhun.behaviour.demo import seed_behaviour_demo
from jingzhun.identification import services
from jingzhun.identification.models import Case, IdentificationRun
from jingzhun.identification.selectors import risk_model_active
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.org.roles import Role

CONFIRM_SHARE = 0.65
DISMISS_SHARE = 0.12
DISMISS_REASONS = (
    "家访核实后家庭经济状况已明显好转",
    "已获专升本录取，毕业去向明确",
    "学生已自主签约实习单位，暂无就业困难",
    "成绩问题系转专业补修所致，学业已跟上",
)


@dataclass(frozen=True)
class DemoIdentification:
    run_id: int
    model_version: str | None
    model_signals: int
    candidates: int
    confirmed: int
    dismissed: int
    behaviour_version: int | None = None
    hardship_candidates: int = 0


def seed_identification_demo(
    *, institution_code: str, as_of: dt.date, seed: int = 2026
) -> DemoIdentification | None:
    """Idempotent: does nothing when the institution already has a run."""
    institution = Institution.objects.get(code=institution_code)
    if IdentificationRun.objects.filter(institution=institution).exists():
        return None
    office = (
        RoleAssignment.objects.filter(institution=institution, role=Role.EMPLOYMENT_OFFICE)
        .select_related("user")
        .first()
    )
    if office is None:
        return None
    services.rules_seed_defaults(actor=office, effective_from=as_of)
    if risk_model_active(institution_id=institution.pk) is None:
        # Trained on the demo's graduated cohorts (2024–2026) and approved by the office, so
        # the run below uses it the way a college's would.
        model = services.risk_model_train(actor=office, institution=institution, as_of=as_of)
        services.risk_model_approve(actor=office, model=model)
    behaviour = seed_behaviour_demo(institution=institution, as_of=as_of, actor=office, seed=seed)
    run = IdentificationRun.objects.create(
        institution=institution, as_of=as_of, started_by=office.user
    )
    run = services.run_execute(run_id=run.pk)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    confirmed = dismissed = 0
    with transaction.atomic():
        cases = Case.objects.filter(opened_run=run).select_related("student")
        for case in cases.prefetch_related("types").order_by("pk"):
            draw = rng.random()
            if draw < CONFIRM_SHARE:
                # No responsible person given: the class's counsellor (else the school's
                # officer) looks after the case, as in a college, not the confirming office.
                services.case_confirm(
                    actor=office, case=case, types=list(case.types.all()), level=case.level or 3
                )
                confirmed += 1
            elif draw < CONFIRM_SHARE + DISMISS_SHARE:
                services.case_dismiss(actor=office, case=case, reason=rng.choice(DISMISS_REASONS))
                dismissed += 1
    model_signals = run.signals.filter(difficulty_type__code=services.MODEL_TYPE).count()
    version = run.risk_model.version if run.risk_model else None
    return DemoIdentification(run.pk, version, model_signals, run.new_cases, confirmed, dismissed,
                              behaviour.version if behaviour else None,
                              behaviour.hardship_metrics.get("candidates", 0) if behaviour else 0)  # fmt: skip

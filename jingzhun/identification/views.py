"""Identification pages: runs and risk models (employment office), the review queue
(reviewers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, text_param
from jingzhun.core.models import AuditLog
from jingzhun.identification import model_quality, permissions, services
from jingzhun.identification import rules as rule_engine
from jingzhun.identification.catalogue import FEATURES
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.forms import (
    ConditionFormSet,
    RuleHeaderForm,
    condition_of,
    initial_for,
    is_flat,
)
from jingzhun.identification.models import IdentificationRun, Level, Rule, RunSchedule
from jingzhun.identification.review_views import ReviewerRequiredMixin
from jingzhun.identification.selectors import (
    risk_model_list,
    rule_list,
    rule_preview,
    run_detail,
    run_list,
    staff_types,
)
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.org.selectors import school_list
from jingzhun.students.models import BehaviourSnapshot, Student
from jingzhun.students.selectors import student_queryset


class RunnerRequiredMixin(RoleRequiredMixin):
    """Pages of the employment office: runs, rules, models, behaviour data."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_run(actor)


# A cohort is a graduation year; the bounds only keep a mistyped number out of the database.
COHORT_MIN, COHORT_MAX = 1900, 2999


def _percent(text: str | None, default: float) -> float:
    try:
        return float(text) / 100 if text else default
    except ValueError:
        return -1.0  # refused by the service with the allowed range


class RunListView(RunnerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        runs = list(run_list(actor=self.actor)[:30])
        polling = any(r.active for r in runs)  # the rows refresh themselves while one runs
        if request.GET.get("rows"):
            return render(
                request, "identification/_run_rows.html", {"runs": runs, "polling": polling}
            )
        schedule = (
            RunSchedule.objects.filter(institution=self.actor.institution)
            .select_related("owner")
            .first()
        )
        today = services.now_date()
        context = {
            "runs": runs,
            "polling": polling,
            "schools": school_list(actor=self.actor),
            "schedule": schedule,
            "next_due": services.next_due(schedule, today)
            if schedule and schedule.enabled
            else None,
            "default_capacity": round(services.DEFAULT_CAPACITY * 100),
        }
        return render(request, "identification/run_list.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        raw_cohort, raw_school = request.POST.get("cohort", "").strip(), request.POST.get("school")
        school = int_param(raw_school)
        if raw_school and not (
            school is not None and school_list(actor=self.actor).filter(pk=school).exists()
        ):
            raise Http404
        cohort = int_param(raw_cohort, minimum=COHORT_MIN, maximum=COHORT_MAX)
        if raw_cohort and cohort is None:  # not silently the whole institution
            messages.error(request, _("The cohort is a year of graduation, such as 2027."))
            return redirect("identification:run-list")
        try:
            services.run_start(actor=self.actor, as_of=services.now_date(),
                               cohort=cohort, school_id=school,
                               model_capacity=_percent(request.POST.get("capacity"), services.DEFAULT_CAPACITY))  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Identification started; results appear when it finishes."))
        return redirect("identification:run-list")


class RunDetailView(RunnerRequiredMixin, View):
    """One run: what it found by type, level and school; new, carried over, kept dismissed
    and proposed exits; signals by rule; the model it used and how long it took."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            detail = run_detail(actor=self.actor, pk=pk)
        except IdentificationRun.DoesNotExist as exc:
            raise Http404 from exc
        run = detail.run
        counts = [(_("Students evaluated"), run.students), (_("Flagged students"), detail.flagged),
                  (_("New candidates"), run.new_cases), (_("Carried over"), detail.carried_over),
                  (_("Dismissals kept"), run.dismissals_kept), (_("Proposed exits"), run.proposed_exits)]  # fmt: skip
        tables = [(_("By difficulty type"), detail.by_type, "by-type"),
                  (_("By level"), detail.by_level, "by-level"),
                  (_("By school"), detail.by_school, "by-school")]  # fmt: skip
        context = {"d": detail, "run": run, "counts": counts, "tables": tables}
        return render(request, "identification/run_detail.html", context)


class RunScheduleView(RunnerRequiredMixin, View):
    """Turn the per-term run on or off and set when and how wide it flags."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        raw_days = request.POST.get("days", "").strip()
        days = int_param(raw_days, minimum=0, maximum=services.SCHEDULE_MAX_DAYS)
        if raw_days and days is None:
            messages.error(request, _("The number of days is a whole number from 0 to %(max)s.")
                           % {"max": services.SCHEDULE_MAX_DAYS})  # fmt: skip
            return redirect("identification:run-list")
        raw_hold = request.POST.get("dismissal_days", "").strip()
        hold = int_param(raw_hold, minimum=-1)
        try:
            if raw_hold and hold is None:
                raise DomainError(
                    IdentificationErrorCode.BAD_DAYS, _("The number of days is a whole number.")
                )
            services.schedule_set(
                actor=self.actor, enabled=request.POST.get("enabled") == "on",
                days_after_term_start=14 if days is None else days,
                model_capacity=_percent(request.POST.get("capacity"), services.DEFAULT_CAPACITY),
                dismissal_days=hold, request=request,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Schedule saved."))
        return redirect("identification:run-list")


ATTRIBUTE_LABELS = {
    "gender": gettext_lazy("Gender"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "hukou_type": gettext_lazy("Household registration"),
    "school": gettext_lazy("School"),
}
GROUP_LABELS: dict[str, dict[str, Any]] = {
    "gender": dict(Student.Gender.choices),
    "hukou_type": dict(Student.HukouType.choices),
    "ethnicity": {"han": gettext_lazy("Han"), "minority": gettext_lazy("Ethnic minorities")},
}
MISSING_GROUP = "(missing)"  # jingzhun.data.ml.fairness names groups without a value so


@dataclass(frozen=True)
class FairnessTable:
    attribute: Any
    groups: list[dict[str, Any]]
    flag_rate_ratio: float | None
    precision_gap: float | None
    recall_gap: float | None
    highlighted: bool


def fairness_tables(report: dict[str, Any]) -> list[FairnessTable]:
    """The stored fairness report with readable group names (codes stay in the JSON)."""
    tables = []
    for item in report.get("attributes", []):
        labels = GROUP_LABELS.get(item["attribute"], {})
        groups = [
            {**g, "label": _("Not recorded") if g["group"] == MISSING_GROUP else labels.get(g["group"], g["group"])}
            for g in item["groups"]
        ]  # fmt: skip
        tables.append(FairnessTable(
            attribute=ATTRIBUTE_LABELS.get(item["attribute"], item["attribute"]), groups=groups,
            flag_rate_ratio=item["flag_rate_ratio"], precision_gap=item["precision_gap"],
            recall_gap=item["recall_gap"], highlighted=item["below_four_fifths"] or item["recall_gap_exceeded"],
        ))  # fmt: skip
    return tables


class RiskModelListView(RunnerRequiredMixin, View):
    """The institution's risk models with validation metrics and fairness; POST trains one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        models = list(risk_model_list(actor=self.actor)[:20])
        rows = [(m, fairness_tables(m.fairness),
                 model_quality.risk_model_warnings(m.metrics.get("validation", {})))
                for m in models]  # fmt: skip
        return render(request, "identification/risk_model_list.html", {"rows": rows})

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            services.risk_model_train_start(actor=self.actor, as_of=services.now_date())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Training started; the new model appears here when it is ready.")
            )
        return redirect("identification:model-list")


class RiskModelApproveView(RunnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        model = get_object_or_404(risk_model_list(actor=self.actor), pk=pk)
        try:
            services.risk_model_approve(actor=self.actor, model=model, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Model %(version)s approved: the next runs use it.") % {"version": model.version},
            )
        return redirect("identification:model-list")


class RuleListView(RunnerRequiredMixin, View):
    """The rule set in words: current versions, then the history of each."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rules = [(r, rule_engine.describe(r.condition)) for r in rule_list(actor=self.actor)]
        return render(request, "identification/rule_list.html", {"rules": rules})


class RuleEditView(RunnerRequiredMixin, View):
    """New rule or the next version of one; "test this rule" previews its hits without saving."""

    def _rule(self, pk: int | None) -> Rule | None:
        return get_object_or_404(rule_list(actor=self.actor), pk=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        rule = self._rule(pk)
        if rule is not None and not is_flat(rule.condition):
            return self._render(request, rule, None, None, nested=True)
        header_initial, rows = (
            initial_for(rule) if rule else ({"effective_from": services.now_date()}, [])
        )
        header = RuleHeaderForm(initial=header_initial)
        conditions = ConditionFormSet(initial=rows, prefix="c")
        return self._render(request, rule, header, conditions)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        rule = self._rule(pk)
        header = RuleHeaderForm(request.POST)
        conditions = ConditionFormSet(request.POST, prefix="c")
        preview = None
        if header.is_valid() & conditions.is_valid():
            condition = condition_of(header, conditions)
            if condition is not None and request.POST.get("action") == "preview":
                preview = rule_preview(
                    actor=self.actor, condition=condition, as_of=services.now_date()
                )
                if preview.sensitivity is not None and preview.sample:  # restricted values shown
                    audit_log(
                        actor=request.user, action=AuditLog.Action.VIEW_SENSITIVE, request=request,
                        fields=[leaf["field"] for leaf in rule_engine.leaves(condition)],
                        detail={"rule_preview": [s.pk for s, _why in preview.sample]},
                    )  # fmt: skip
                if request.headers.get("HX-Request"):
                    return render(
                        request, "identification/_rule_preview.html", {"preview": preview}
                    )
            elif condition is not None:
                try:
                    saved = services.rule_save(
                        actor=self.actor, condition=condition, replaces=rule, request=request,
                        **{k: header.cleaned_data[k] for k in ("name", "difficulty_type", "level", "effective_from", "effective_to")},
                    )  # fmt: skip
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Rule “%(name)s” saved as version %(version)s.")
                                     % {"name": saved.name, "version": saved.version})  # fmt: skip
                    return redirect("identification:rule-list")
        if request.headers.get("HX-Request"):
            return render(request, "identification/_rule_preview.html", {"invalid": True})
        return self._render(request, rule, header, conditions, preview=preview)

    def _render(self, request: HttpRequest, rule: Rule | None, header: Any, conditions: Any,
                preview: Any = None, nested: bool = False) -> HttpResponse:  # fmt: skip
        fields = [
            (f, rule_engine.operator_words(f.kind), rule_engine.value_hint(f))
            for f in FEATURES
        ]  # fmt: skip
        context = {"rule": rule, "header": header, "conditions": conditions, "preview": preview,
                   "nested": nested, "fields": fields,
                   "described": rule_engine.describe(rule.condition) if rule else ""}  # fmt: skip
        return render(request, "identification/rule_form.html", context)


class RuleDeactivateView(RunnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = get_object_or_404(rule_list(actor=self.actor), pk=pk, is_active=True)
        services.rule_deactivate(actor=self.actor, rule=rule, request=request)
        messages.success(request, _("Rule “%(name)s” no longer runs.") % {"name": rule.name})
        return redirect("identification:rule-list")


class BehaviourListView(RunnerRequiredMixin, View):
    """Behaviour snapshots: what each read, how many students, and the hidden-hardship model
    it trained (metrics beside the baseline). POST queues the next computation."""

    def get(self, request: HttpRequest) -> HttpResponse:
        snapshots = list(BehaviourSnapshot.objects.filter(institution=self.actor.institution)[:20])
        rows = [{"s": s, "sources": [(model_quality.source_label(src.get("source", "")), src.get("files"))
                                     for src in s.sources or []],
                 "warnings": model_quality.hardship_model_warnings(s.hardship_metrics or {})}
                for s in snapshots]  # fmt: skip
        return render(request, "identification/behaviour_list.html", {"rows": rows})

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            services.behaviour_snapshot_start(actor=self.actor, as_of=services.now_date())
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("identification:behaviour-list")
        messages.success(
            request, _("Computation queued; the new version appears here when it is ready.")
        )
        return redirect("identification:behaviour-list")


# Which field of the manual-addition form a refusal belongs to (else the student number).
ADD_ERROR_FIELDS: dict[str, str] = {
    IdentificationErrorCode.BAD_LEVEL: "level",
    IdentificationErrorCode.REASON_TOO_LONG: "note",
}


class ManualAddView(ReviewerRequiredMixin, View):
    """A reviewer adds a student the runs did not flag (a home visit, a talk): the case
    enters as a candidate with the reviewer's note, like any other."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, {"number": text_param(request.GET.get("student"))}, {})

    def post(self, request: HttpRequest) -> HttpResponse:
        number = text_param(request.POST.get("student_number"))
        note, level = text_param(request.POST.get("note")), request.POST.get("level", "").strip()
        data: dict[str, Any] = {
            "number": number,
            "note": note,
            "level": level,
            "types": request.POST.getlist("types"),
        }
        errors: dict[str, str] = {}
        student = student_queryset(actor=self.actor).filter(student_number=number).first()
        if student is None:
            errors["student_number"] = _("No student with this number in your scope.")
        types = list(staff_types().filter(pk__in=id_params(data["types"])))
        if not types:
            errors["types"] = _("Choose at least one kind of difficulty.")
        if not note:
            errors["note"] = _("Say why the student needs help.")
        if student is not None and not errors:
            try:
                case = services.case_add_manual(
                    actor=self.actor, student=student, types=types, note=note, request=request,
                    level=services.level_checked(int_param(level) if level else Level.GENERAL),
                )  # fmt: skip
            except DomainError as exc:
                errors[ADD_ERROR_FIELDS.get(exc.code, "student_number")] = exc.message
            else:
                messages.success(
                    request, _("%(name)s added as a candidate.") % {"name": case.student.name}
                )
                return redirect("identification:review")
        return self._render(request, data, errors)

    def _render(
        self, request: HttpRequest, data: dict[str, Any], errors: dict[str, str]
    ) -> HttpResponse:
        context = {"data": data, "errors": errors, "levels": Level.choices,
                   "types": staff_types()}  # fmt: skip
        return render(
            request, "identification/case_add.html", context, status=400 if errors else 200
        )

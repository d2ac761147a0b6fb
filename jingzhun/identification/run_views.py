"""Identification runs (employment office): start one, the schedule, and what one found."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param
from jingzhun.identification import services
from jingzhun.identification.access import RunnerRequiredMixin
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import IdentificationRun, RunSchedule
from jingzhun.identification.selectors import (
    run_detail,
    run_list,
    with_jobs,
)
from jingzhun.org.selectors import school_list

# A cohort is a graduation year; the bounds only keep a mistyped number out of the database.
COHORT_MIN, COHORT_MAX = 1900, 2999


def _percent(text: str | None, default: float) -> float:
    try:
        return float(text) / 100 if text else default
    except ValueError:
        return -1.0  # refused by the service with the allowed range


class RunListView(RunnerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        runs = with_jobs(list(run_list(actor=self.actor)[:30]))
        # The rows refresh themselves while one runs (and has not lost its worker).
        polling = any(r.active and not r.interrupted for r in runs)  # type: ignore[attr-defined]
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


class RunRetryView(RunnerRequiredMixin, View):
    """Run again a run that failed or whose worker stopped."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(run_list(actor=self.actor), pk=pk)
        try:
            services.run_retry(actor=self.actor, run=run)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Run #%(pk)s queued again.") % {"pk": run.pk})
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

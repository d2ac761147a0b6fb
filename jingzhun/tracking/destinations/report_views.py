"""The checks page (去向核查: what to fix, with the reason of each rule) and the placement
rate page (毕业去向落实率 by a dimension, on any date, as known then) with its export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.excel import xlsx_export
from jingzhun.core.http import int_param, text_param
from jingzhun.core.models import AuditLog
from jingzhun.org.selectors import school_list
from jingzhun.students.models import PriorityGroupEvidence
from jingzhun.tracking.destinations import checks, rates, selectors
from jingzhun.tracking.destinations.quality import QualityFilters, quality_issues
from jingzhun.tracking.destinations.views import PAGE, ReaderMixin

DIMENSION_LABELS = {
    "institution": gettext_lazy("Institution"), "school": gettext_lazy("School"),
    "major": gettext_lazy("Major"), "class": gettext_lazy("Class"),
    "type": gettext_lazy("Difficulty type"), "priority_group": gettext_lazy("Priority group"),
}  # fmt: skip


def _cohort(request: HttpRequest, cohorts: list[int]) -> int | None:
    chosen = int_param(request.GET.get("cohort"), minimum=2000, maximum=2100)
    return chosen if chosen in cohorts else (cohorts[0] if cohorts else None)


class DestinationChecksView(ReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        cohorts = selectors.cohorts(actor=self.actor)
        rule = text_param(request.GET.get("rule"), max_length=40)
        filters = QualityFilters(
            cohort=_cohort(request, cohorts), school=int_param(request.GET.get("school")),
            rule=rule if rule in checks.RULES_BY_ID else "",
        )  # fmt: skip
        issues = quality_issues(actor=self.actor, filters=filters)
        counts = {r.id: 0 for r in checks.RULES}
        for issue in issues:
            for r in issue.rules:
                counts[r.id] += 1
        page = Paginator(issues, PAGE).get_page(int_param(request.GET.get("page")) or 1)
        query = urlencode([(k, v) for k, v in (("cohort", filters.cohort), ("school", filters.school),
                                               ("rule", filters.rule)) if v])  # fmt: skip
        context: dict[str, Any] = {
            "page": page, "filters": filters, "querystring": query, "cohorts": cohorts,
            "schools": school_list(actor=self.actor).order_by("code"),
            "rules": [(r, counts[r.id]) for r in checks.RULES],
        }  # fmt: skip
        return render(request, "tracking/destination_checks.html", context)


def _as_of(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(text_param(request.GET.get("as_of"), max_length=10))
    except ValueError:
        return timezone.localdate()


def _rate_table(request: HttpRequest, actor: Any) -> dict[str, Any]:
    cohorts = selectors.cohorts(actor=actor)
    cohort = _cohort(request, cohorts)
    dimension = request.GET.get("by", "school")
    dimension = dimension if dimension in selectors.DIMENSIONS else "school"
    as_of = _as_of(request)
    rows: list[rates.RateRow] = []
    total = None
    if cohort is not None:
        rows = rates.rate_rows(
            selectors.placement_counts(actor=actor, cohort=cohort, as_of=as_of, dimension=dimension)
        )
        if dimension == "priority_group":
            labels = dict(PriorityGroupEvidence.Group.choices)
            rows = [
                rates.RateRow(
                    r.key, str(labels.get(r.key, r.key)), r.graduates, r.placed, r.by_category
                )
                for r in rows
            ]
        counted = (
            rows
            if dimension not in ("type", "priority_group")
            else rates.rate_rows(
                selectors.placement_counts(
                    actor=actor, cohort=cohort, as_of=as_of, dimension="institution"
                )
            )
        )
        total = rates.total(counted, label=_("Total"))
    return {"cohorts": cohorts, "cohort": cohort, "dimension": dimension, "as_of": as_of,
            "rows": rows, "total": total, "dimensions": DIMENSION_LABELS}  # fmt: skip


class PlacementRateView(ReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = _rate_table(request, self.actor)
        context["dimension_label"] = DIMENSION_LABELS[context["dimension"]]
        context["querystring"] = urlencode({"cohort": context["cohort"] or "", "by": context["dimension"],
                                            "as_of": context["as_of"].isoformat()})  # fmt: skip
        return render(request, "tracking/placement_rate.html", context)


class PlacementRateExportView(ReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        t = _rate_table(request, self.actor)
        header = [
            str(t["dimensions"][t["dimension"]]),
            _("Graduates"),
            _("Placed"),
            _("Placement rate"),
        ]
        body = [[r.label, r.graduates, r.placed, round(r.rate * 100, 1) if r.rate is not None else ""]
                for r in [*t["rows"], *([t["total"]] if t["total"] else [])]]  # fmt: skip
        title = _("Placement rate of the %(cohort)s cohort as of %(day)s") % {
            "cohort": t["cohort"],
            "day": t["as_of"].isoformat(),
        }
        data = xlsx_export(header, body, sheet="placement", title=title)
        audit_log(actor=request.user, action=AuditLog.Action.EXPORT, request=request, role=self.actor.role,
                  detail={"report": "placement_rate", "cohort": t["cohort"], "by": t["dimension"],
                          "as_of": t["as_of"].isoformat(), "rows": len(body)})  # fmt: skip
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="placement-{t["cohort"]}-{t["as_of"].isoformat()}.xlsx"'
        )
        return response

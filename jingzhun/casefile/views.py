"""The case list (帮扶对象台账), the student list with case columns and the case file (一人一档).

The student list and the student's file are the registry's pages grown by the later stages:
`students` cannot import them (a stage imports only earlier ones), so this top-layer app
serves them, and `config/urls.py` mounts them under the `students:` names and paths they
always had (`students:list`, `students:detail`, `students:detail-tab`), so links, bookmarks
and the registry's own reveal (`students:reveal`) stay as they were.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from jingzhun.assistance.permissions import can_apply_for
from jingzhun.casefile.exports import EXPORT_LIMIT, cases_xlsx, student_file_xlsx
from jingzhun.casefile.filters import NO_CASE, CaseFilterForm, StudentFileFilterForm
from jingzhun.casefile.profile import FILE_TABS, FILE_TABS_BY_SLUG, file_tab_context
from jingzhun.core import figures
from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.identification.case_selectors import (
    CASE_SORTS,
    case_ledger,
    case_of_student,
    days_since,
    openable,
    student_status,
    type_name,
)
from jingzhun.identification.models import Case, Level
from jingzhun.identification.permissions import can_review
from jingzhun.identification.transitions import OPEN
from jingzhun.jobs import permissions as jobs_permissions
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import REGISTRY_ROLES, Role, Sensitivity, field_access
from jingzhun.students.exports import EXPORT_LIMIT as STUDENT_EXPORT_LIMIT
from jingzhun.students.intake.permissions import importable_kinds
from jingzhun.students.models import Student
from jingzhun.students.profile import TAB_FIELDS, identifiers_for, tab_allowed
from jingzhun.students.selectors import student_get, student_list
from jingzhun.tracking.lifecycle import STAGE_LABELS, stage_filter, stage_of, window_months

CONSOLE_ROLES = REGISTRY_ROLES - {Role.STUDENT}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _querystring(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


def _fragment(request: HttpRequest, template: str, target: str) -> str:
    """The page, or only its table when htmx asks for that table."""
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == target:
        return f"{template}#{target}"
    return template


def _sort_links(request: HttpRequest, *, current: str) -> dict[str, str]:
    """Each column's query: the filters kept, the current column's direction reversed."""
    kept = _querystring(request, "sort")
    prefix = f"{kept}&" if kept else ""
    return {
        column: f"{prefix}sort={'-' if current == column else ''}{column}" for column in CASE_SORTS
    }


class CaseListView(RoleRequiredMixin, View):
    """帮扶对象台账: every case in the actor's data scope, filtered, sorted and paged."""

    allowed_roles = CONSOLE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseFilterForm(request.GET or None, actor=self.actor)
        filters = form.to_filters()
        paginator = Paginator(
            case_ledger(actor=self.actor, filters=filters), settings.LIST_PAGE_SIZE
        )
        page = paginator.get_page(request.GET.get("page"))
        now = timezone.now()
        allowed = openable(self.actor)
        for case in page.object_list:  # a type naming data the viewer may not open stays unnamed
            case.type_names = [type_name(t, allowed=allowed) for t in case.types.all()]  # type: ignore[attr-defined]
        # Later stages' figures per student (jobs: targeted pushes against the threshold).
        shown = figures.figures_for(figures.CASE_LIST, institution_id=self.actor.institution_id,
                                    student_ids=[c.student_id for c in page.object_list])  # fmt: skip
        for case in page.object_list:
            case.figures = shown[case.student_id]  # type: ignore[attr-defined]
        context = {
            "form": form,
            "page": page,
            "rows": [(c, days_since(c.last_event_at, now=now)) for c in page.object_list],  # type: ignore[attr-defined]
            "querystring": _querystring(request),
            "sort": filters.sort,
            "can_review": can_review(self.actor),  # candidates link to the review queue
            "sort_links": _sort_links(request, current=filters.sort),
            "figure_sources": figures.sources_for(figures.CASE_LIST),
        }  # fmt: skip
        return render(request, _fragment(request, "casefile/case_list.html", "case-table"), context)


class CaseExportView(RoleRequiredMixin, View):
    """The filtered case list as Excel: same scope and filters, identifiers masked, audited."""

    allowed_roles = CONSOLE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseFilterForm(request.GET or None, actor=self.actor)
        filters = form.to_filters()
        cases = case_ledger(actor=self.actor, filters=filters)
        data = cases_xlsx(cases, now=timezone.now(), allowed=openable(self.actor))
        audit_log(
            actor=request.user,
            action=AuditLog.Action.EXPORT,
            request=request,
            role=self.actor.role,
            detail={
                "what": "cases",
                # The filters applied, not the raw query (which may hold anything).
                "filters": {k: v for k, v in asdict(filters).items() if v not in (None, "", False)},
                "rows": min(cases.count(), EXPORT_LIMIT),
            },
        )
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="cases.xlsx"'
        return response


def with_open_case(
    students: QuerySet[Student], *, case_status: str = "", case_level: int | None = None
) -> QuerySet[Student]:
    """Each student with the status and level of their open case (None without one),
    filtered by them: a status, NO_CASE for students without an open case, a level."""
    open_case = Case.objects.filter(student=OuterRef("pk"), status__in=OPEN).order_by("-created_at")
    annotated = students.annotate(
        case_status=Subquery(open_case.values("status")[:1]),
        case_level=Subquery(open_case.values("level")[:1]),
    )
    if case_status == NO_CASE:
        annotated = annotated.filter(case_status__isnull=True)
    elif case_status:
        annotated = annotated.filter(case_status=case_status)
    if case_level is not None:
        annotated = annotated.filter(case_level=case_level)
    return annotated


class StudentFileListView(RoleRequiredMixin, View):
    """学生档案 for staff: the registry's list and filters with each student's open case
    (status and level) as columns and filters. Served as `students:list`."""

    allowed_roles = CONSOLE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form = StudentFileFilterForm(request.GET or None, actor=self.actor)
        case_status, case_level = form.case_filters()
        students = with_open_case(
            student_list(actor=self.actor, filters=form.to_filters()),
            case_status=case_status,
            case_level=case_level,
        )
        if stage := form.lifecycle_stage():
            students = students.filter(stage_filter(stage, on=timezone.localdate()))
        page = Paginator(students, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        statuses, levels = dict(Case.Status.choices), dict(Level.choices)
        for student in page.object_list:  # labels of the annotated open case, for the columns
            student.case_status_label = statuses.get(student.case_status, "")  # type: ignore[attr-defined]
            student.case_level_label = levels.get(student.case_level, "")  # type: ignore[attr-defined]
        context = {
            "form": form,
            "page": page,
            "rows": [(s, identifiers_for(s, revealed=False)) for s in page.object_list],
            "querystring": _querystring(request),
            "can_import": bool(importable_kinds(self.actor)),
        }  # fmt: skip
        return render(
            request, _fragment(request, "casefile/student_list.html", "student-table"), context
        )


class StudentFileExportView(RoleRequiredMixin, View):
    """The student list as Excel: the registry's columns (`students.exports`, identifiers
    masked, never formulas) for the rows the list shows, case filters included; audited.
    Served as `students:export`."""

    allowed_roles = CONSOLE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        form = StudentFileFilterForm(request.GET or None, actor=self.actor)
        filters = form.to_filters()
        case_status, case_level = form.case_filters()
        students = with_open_case(
            student_list(actor=self.actor, filters=filters),
            case_status=case_status,
            case_level=case_level,
        )
        if stage := form.lifecycle_stage():
            students = students.filter(stage_filter(stage, on=timezone.localdate()))
        data = student_file_xlsx(students)
        applied = {k: v for k, v in asdict(filters).items() if v not in (None, "")}
        applied |= {
            k: v
            for k, v in (("case_status", case_status), ("case_level", case_level), ("stage", stage))
            if v
        }
        audit_log(
            actor=request.user,
            action=AuditLog.Action.EXPORT,
            request=request,
            # The filters applied, not the raw query (which may hold anything).
            detail={"what": "students", "filters": applied, "rows": min(students.count(), STUDENT_EXPORT_LIMIT)},
        )  # fmt: skip
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="students.xlsx"'
        return response


class StudentFileView(RoleRequiredMixin, View):
    """The student's file (一人一档): the case status on top, the registry's tabs and the
    timeline of every stage; `tab` selects the open tab (full page or htmx fragment).
    Served as `students:detail` and `students:detail-tab`."""

    allowed_roles = REGISTRY_ROLES

    def get(self, request: HttpRequest, pk: int, tab: str = "basic") -> HttpResponse:
        actor = self.actor
        student = student_get(actor=actor, pk=pk)
        current = FILE_TABS_BY_SLUG.get(tab)
        if current is None:
            raise Http404
        if not tab_allowed(actor, current):
            raise PermissionDenied
        if current.sensitivity is not None:
            audit_log(actor=request.user, action=AuditLog.Action.VIEW_SENSITIVE, target=student,
                      fields=TAB_FIELDS.get(current.slug, []), request=request,
                      detail={"tab": current.slug})  # fmt: skip
        context: dict[str, Any] = {
            "student": student,
            "tabs": [(t, tab_allowed(actor, t)) for t in FILE_TABS],
            "current_tab": current,
            "identifiers": identifiers_for(student, revealed=False),
            "can_reveal": Sensitivity.IDENTIFIERS in field_access(actor.role, actor.department_kind),
            "stage": STAGE_LABELS[stage_of(cohort=student.cohort, on=timezone.localdate(), months=window_months())],
            "can_read_postings": jobs_permissions.can_read_postings(actor),
            "can_apply_subsidy": can_apply_for(actor),
            **file_tab_context(student, current, actor=actor),
        }  # fmt: skip
        self._audit_sensitive_entries(request, student, context.get("entries", []))
        if request.headers.get("HX-Request"):
            return render(request, current.template, context)
        if actor.role == Role.STUDENT:
            context["own_status"] = student_status(actor=actor)
        else:
            context["case"] = case_of_student(actor=actor, student=student)
        return render(request, "casefile/student_file.html", context)

    def _audit_sensitive_entries(
        self, request: HttpRequest, student: Student, entries: list[Any]
    ) -> None:
        """The timeline showed the explanation of a sensitive signal: a view of sensitive
        personal information, recorded like a sensitive tab."""
        shown = sorted({e.sensitivity for e in entries if e.sensitivity and not e.restricted})
        if shown:
            audit_log(actor=request.user, action=AuditLog.Action.VIEW_SENSITIVE, target=student,
                      fields=["signals"], request=request,
                      detail={"tab": "timeline", "sensitivity": shown})  # fmt: skip

"""The review queue (审核): filters kept in the URL, paging with the total, one decision per
card and bulk decisions over the checked cards or the whole filtered queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, next_url, text_param
from jingzhun.identification import services
from jingzhun.identification.access import ReviewerRequiredMixin
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import Case, DifficultyType, Level
from jingzhun.identification.selectors import (
    ReviewFilters,
    applicant_words,
    case_get,
    case_review_list,
    earlier_decisions,
    latest_signals,
    responsible_options,
    run_list,
    staff_types,
)
from jingzhun.org.models import User
from jingzhun.org.selectors import class_group_list, school_list
from jingzhun.students.selectors import student_queryset

REVIEW_PAGE = 50
FILTER_KEYS = ("school", "class_group", "type", "level", "origin", "run", "new")
FAILURES_SHOWN = 20


def review_filters(query: QueryDict) -> ReviewFilters:
    """The filters a query (or a bulk form) carries; a value that is not one is ignored."""
    origin = query.get("origin", "")
    level = int_param(query.get("level"), maximum=max(Level.values))
    return ReviewFilters(
        school=int_param(query.get("school")), class_group=int_param(query.get("class_group")),
        difficulty_type=int_param(query.get("type")), level=level if level in Level.values else None,
        origin=origin if origin in Case.Origin.values else "", run=int_param(query.get("run")),
        new_this_term=query.get("new") == "1",
    )  # fmt: skip


def filter_items(query: QueryDict) -> list[tuple[str, str]]:
    """The filter part of a query, to keep in links and forms (pages, bulk decisions)."""
    return [(k, text_param(query.get(k), max_length=20)) for k in FILTER_KEYS if query.get(k)]


def filter_query(query: QueryDict) -> str:
    return urlencode(filter_items(query))


class ReviewView(ReviewerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = review_filters(request.GET)
        schools = list(school_list(actor=self.actor).order_by("name"))
        in_scope = class_group_list(actor=self.actor).select_related("major__school")
        if filters.school:
            in_scope = in_scope.filter(major__school_id=filters.school)
        classes = list(in_scope.order_by("-cohort", "name"))
        if filters.class_group and filters.class_group not in {c.pk for c in classes}:
            filters = ReviewFilters(**{**filters.__dict__, "class_group": None})
        page = Paginator(case_review_list(actor=self.actor, filters=filters), REVIEW_PAGE).get_page(
            int_param(request.GET.get("page")) or 1
        )
        cases = list(page.object_list)
        context: dict[str, Any] = {
            "page": page, "filters": filters, "querystring": filter_query(request.GET),
            "filter_items": filter_items(request.GET),
            "rows": self._rows(cases), "schools": schools, "classes": classes,
            "types": DifficultyType.objects.all(), "levels": Level.choices,
            "origins": Case.Origin.choices, "runs": list(run_list(actor=self.actor)[:20]),
            "decided": self._decided(request), "bulk_actions": services.BulkAction,
        }  # fmt: skip
        context["bulk_people"] = _people(context["rows"])
        return render(request, "identification/review.html", context)

    def _rows(self, cases: list[Case]) -> list[dict[str, Any]]:
        students = [c.student for c in cases]
        ids = [s.pk for s in students]
        signals = latest_signals(actor=self.actor, student_ids=ids)
        earlier = earlier_decisions(student_ids=ids)
        options = responsible_options(students=students)
        words = applicant_words(actor=self.actor, cases=cases)
        return [
            {"case": c, "signals": signals.get(c.student_id, []), "earlier": earlier.get(c.student_id),
             "options": options.get(c.student_id, []), "type_ids": {t.pk for t in c.types.all()},
             "words": words.get(c.pk)}
            for c in cases
        ]  # fmt: skip

    def _decided(self, request: HttpRequest) -> Case | None:
        """The case just decided on this page, shown in place of its card."""
        pk = int_param(request.GET.get("decided"))
        if pk is None:
            return None
        try:
            case = case_get(actor=self.actor, pk=pk)
        except Case.DoesNotExist:
            return None
        return case if case.status != Case.Status.CANDIDATE else None


def _people(rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Everyone who may be made responsible for some student on the page, for bulk assign."""
    seen: dict[int, str] = {}
    for row in rows:
        for option in row["options"]:
            seen.setdefault(option.user.pk, option.label)
    return sorted(seen.items(), key=lambda item: item[1])


def _person(raw: object) -> User | None:
    pk = int_param(raw)
    return User.objects.filter(pk=pk).first() if pk is not None else None


def _with_decided(url: str, pk: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}decided={pk}"


class CaseActionView(ReviewerRequiredMixin, View):
    """POST one review decision: confirm (types, level, responsible) or dismiss (reason)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        try:
            case = case_get(actor=self.actor, pk=pk)
        except Case.DoesNotExist as exc:
            raise Http404 from exc
        if action not in ("confirm", "dismiss"):
            raise Http404
        back = next_url(request, "identification:review")
        try:
            if action == "confirm":
                self._confirm(request, case)
            else:
                reason = text_param(request.POST.get("reason"))
                services.case_dismiss(actor=self.actor, case=case, reason=reason, request=request)
                messages.success(request, _("%(name)s dismissed: %(reason)s")
                                 % {"name": case.student.name, "reason": reason})  # fmt: skip
        except DomainError as exc:
            messages.error(request, f"{case.student.name}：{exc.message}")
            return redirect(back)
        return redirect(_with_decided(back, case.pk))

    def _confirm(self, request: HttpRequest, case: Case) -> None:
        chosen = id_params(request.POST.getlist("types"))
        types = (
            list(DifficultyType.objects.filter(pk__in=chosen)) if chosen else list(case.types.all())
        )
        raw_level = request.POST.get("level", "")
        level = int_param(raw_level) if raw_level else case.level or Level.GENERAL
        case = services.case_confirm(
            actor=self.actor, case=case, types=types, level=services.level_checked(level),
            responsible=_person(request.POST.get("responsible")), request=request,
        )  # fmt: skip
        messages.success(request, _(
            "%(name)s confirmed: %(types)s, %(level)s; responsible: %(person)s.") % {
            "name": case.student.name, "types": "、".join(t.name for t in types),
            "level": case.get_level_display(), "person": case.responsible})  # fmt: skip


def _done(action: str, n: int) -> str:
    if action == services.BulkAction.CONFIRM:
        text = ngettext("%(n)s case confirmed.", "%(n)s cases confirmed.", n)
    elif action == services.BulkAction.DISMISS:
        text = ngettext("%(n)s case dismissed.", "%(n)s cases dismissed.", n)
    else:
        text = ngettext("%(n)s case assigned.", "%(n)s cases assigned.", n)
    return text % {"n": n}


class BulkDecideView(ReviewerRequiredMixin, View):
    """One decision over the checked cards or the whole filtered queue: all or nothing."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        query = filter_query(request.POST)
        back = f"{reverse('identification:review')}{'?' + query if query else ''}"
        if request.POST.get("scope") == "all":
            filters = review_filters(request.POST)
            ids = list(case_review_list(actor=self.actor, filters=filters)
                       .values_list("pk", flat=True)[: services.bulk.BULK_MAX + 1])  # fmt: skip
        else:
            ids = id_params(request.POST.getlist("case"))
        raw_level = request.POST.get("set_level", "")
        try:
            result = services.case_bulk_decide(
                actor=self.actor, case_ids=ids, action=request.POST.get("action", ""),
                level=int_param(raw_level) if raw_level else None,
                reason=text_param(request.POST.get("reason")),
                responsible=_person(request.POST.get("responsible")), request=request,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        if result.ok:
            messages.success(request, _done(result.action, result.done))
            return redirect(back)
        messages.error(request, _(
            "Nothing was changed: %(n)s of the selected cases were refused. Fix them or leave "
            "them out, then try again.") % {"n": len(result.failures)})  # fmt: skip
        for failure in result.failures[:FAILURES_SHOWN]:
            messages.warning(request, f"{failure.student}：{failure.message}")
        if len(result.failures) > FAILURES_SHOWN:
            messages.warning(request, _("… and %(n)s more.")
                             % {"n": len(result.failures) - FAILURES_SHOWN})  # fmt: skip
        return redirect(back)


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

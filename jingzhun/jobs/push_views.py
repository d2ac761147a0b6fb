"""Targeted pushes in the console: from a student's recommendations, from a posting to a
filtered batch of students (with a preview count), the push list with its filters and counts,
and the institution's threshold. The rules are in `push_services`; this parses and renders."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, text_param
from jingzhun.identification.case_selectors import types_for_filter
from jingzhun.identification.models import Level
from jingzhun.jobs import permissions, push_selectors, push_services, selectors
from jingzhun.jobs.models import JobPush, JobRecommendation
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.org.selectors import class_group_list, school_list
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_get

PAGE = 50
PREVIEW_ROWS = 50


class PusherMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_push(actor)


class PushReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_pushes(actor)


def push_context(*, actor: RoleAssignment, student: Student) -> dict[str, Any]:
    """What a student's recommendations page shows of pushes: the count against the
    threshold, the postings already sent, and whether the viewer may push."""
    count = push_selectors.push_counts_against_threshold([student.pk],
                                                         institution_id=student.institution_id)[student.pk]  # fmt: skip
    return {
        "push_count": count,
        "pushed_ids": push_selectors.pushed_posting_ids(student=student),
        "can_push": permissions.can_push(actor),
    }


def _summary_message(request: HttpRequest, summary: push_services.PushSummary) -> None:
    messages.success(request, ngettext("%(n)s push sent.", "%(n)s pushes sent.", summary.pushed)
                     % {"n": summary.pushed})  # fmt: skip
    for result in summary.results:
        for posting, reason in result.skipped:
            messages.warning(request, _("%(name)s: %(title)s skipped (%(reason)s).") % {
                "name": result.student.name, "title": posting.title, "reason": reason})  # fmt: skip


class StudentPushView(PusherMixin, View):
    """Send the postings checked on a student's recommendations page to that student."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        student = student_get(actor=self.actor, pk=pk)  # 404 outside the actor's scope
        ids = id_params(request.POST.getlist("posting"))[: push_services.BATCH_MAX_POSTINGS + 1]
        postings = list(
            selectors.posting_list(actor=self.actor, filters=selectors.PostingFilters(state=selectors.ALL))
            .filter(pk__in=ids)
        )  # fmt: skip
        recommendations = {
            r.posting_id: r for r in JobRecommendation.objects.filter(student=student, posting_id__in=ids)
        }  # fmt: skip
        try:
            summary = push_services.push_send_many(
                actor=self.actor, postings=postings, students=[student], request=request,
                note=text_param(request.POST.get("note"), max_length=push_services.NOTE_MAX),
                recommendations=recommendations,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, _("Nothing was sent: %(reason)s") % {"reason": exc.message})
        else:
            _summary_message(request, summary)
        return redirect("jobs:student-recommendations", pk=student.pk)


def _batch_filters(data: Any) -> push_selectors.BatchFilters:
    return push_selectors.BatchFilters(
        school=int_param(data.get("school")), class_group=int_param(data.get("class_group")),
        level=int_param(data.get("level"), maximum=3),
        difficulty_type=int_param(data.get("difficulty_type")),
    )  # fmt: skip


class PostingPushView(PusherMixin, View):
    """Push one posting to the students a filter chooses: GET previews who (and how many),
    POST sends to exactly that set — refused when it changed since the preview."""

    def _posting(self, pk: int) -> Any:
        posting = selectors.posting_get(actor=self.actor, pk=pk)
        if posting is None:
            raise Http404
        return posting

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        posting = self._posting(pk)
        filters = _batch_filters(request.GET)
        students = push_selectors.batch_students(actor=self.actor, filters=filters)
        total = students.count()
        preview = list(students[:PREVIEW_ROWS])
        counts = push_selectors.push_counts_against_threshold(
            [s.pk for s in preview], institution_id=self.actor.institution_id)  # fmt: skip
        pushed = set(JobPush.objects.filter(posting=posting, student__in=preview)
                     .values_list("student_id", flat=True))  # fmt: skip
        context = {
            "posting": posting, "filters": filters, "total": total,
            "rows": [(s, counts[s.pk], s.pk in pushed) for s in preview],
            "schools": school_list(actor=self.actor).order_by("code"),
            "classes": class_group_list(actor=self.actor).order_by("name"),
            "levels": Level.choices, "types": types_for_filter(self.actor),
            "offerable": selectors.postings_for_students(institution_id=self.actor.institution_id or 0)
            .filter(pk=posting.pk).exists(),
            "max_students": push_services.BATCH_MAX_STUDENTS,
        }  # fmt: skip
        return render(request, "jobs/posting_push.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        posting = self._posting(pk)
        filters = _batch_filters(request.POST)
        students = list(push_selectors.batch_students(actor=self.actor, filters=filters)
                        [: push_services.BATCH_MAX_STUDENTS + 1])  # fmt: skip
        back = urlencode({k: v for k, v in filters.__dict__.items() if v})
        if int_param(request.POST.get("expected"), minimum=0) != len(students):
            messages.error(
                request, _("The students matching these filters changed; check the list again.")
            )
            return redirect(f"{request.path}?{back}")
        try:
            summary = push_services.push_send_many(
                actor=self.actor, postings=[posting], students=students, request=request,
                note=text_param(request.POST.get("note"), max_length=push_services.NOTE_MAX),
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, _("Nothing was sent: %(reason)s") % {"reason": exc.message})
            return redirect(f"{request.path}?{back}")
        _summary_message(request, summary)
        return redirect(f"{request.path}?{back}")


def _date(raw: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text_param(raw, max_length=10))
    except ValueError:
        return None


def _push_filters(request: HttpRequest) -> push_selectors.PushFilters:
    response = text_param(request.GET.get("response"), max_length=12)
    return push_selectors.PushFilters(
        response=response if response in JobPush.Response.values else "",
        posting=int_param(request.GET.get("posting")), school=int_param(request.GET.get("school")),
        student=int_param(request.GET.get("student")),
        date_from=_date(request.GET.get("date_from")), date_to=_date(request.GET.get("date_to")),
    )  # fmt: skip


class PushListView(PushReaderMixin, View):
    """岗位推送: the pushes of the students in the actor's scope, filtered, counted, paged."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _push_filters(request)
        rows = push_selectors.push_list(actor=self.actor, filters=filters)
        page = Paginator(rows, PAGE).get_page(int_param(request.GET.get("page")) or 1)
        counts = push_selectors.response_counts(rows)
        query = urlencode([(k, v) for k, v in filters.__dict__.items() if v])
        context = {
            "page": page, "filters": filters, "querystring": query,
            "responses": [(value, label, counts[value]) for value, label in JobPush.Response.choices],
            "schools": school_list(actor=self.actor).order_by("code"),
            "threshold": push_selectors.push_threshold(institution_id=self.actor.institution_id),
            "can_set_threshold": permissions.can_set_push_threshold(self.actor),
        }  # fmt: skip
        return render(request, "jobs/push_list.html", context)


class PushThresholdView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_set_push_threshold(actor)

    def post(self, request: HttpRequest) -> HttpResponse:
        raw = text_param(request.POST.get("threshold"), max_length=3)
        threshold = int_param(raw, minimum=0, maximum=999)
        try:
            if raw and threshold is None:
                raise DomainError(
                    "push.bad_threshold", _("The threshold is a number from 1 to 50.")
                )
            push_services.push_threshold_set(actor=self.actor, threshold=threshold, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            shown = push_selectors.push_threshold(institution_id=self.actor.institution_id)
            messages.success(
                request, _("Each student now needs %(n)s targeted pushes.") % {"n": shown}
            )
        return redirect("jobs:push-list")

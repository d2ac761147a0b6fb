"""回访 pages: the list of due and overdue follow-ups in scope (filters, counts, paging), and
recording one — a page made for a phone, since counsellors do this while calling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, next_url, text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Sensitivity, field_access
from jingzhun.org.selectors import school_list
from jingzhun.students.profile import identifiers_for
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.followups import permissions, selectors
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.services import Answer, followup_record
from jingzhun.tracking.lifecycle import window_end, window_months

FILTER_KEYS = ("when", "kind", "school", "cohort", "q")


class FollowUpReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_followups(actor)


class FollowUpWriterMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_follow_up(actor)


def _filters(request: HttpRequest) -> selectors.FollowUpFilters:
    when = text_param(request.GET.get("when"), max_length=10)
    kind = text_param(request.GET.get("kind"), max_length=12)
    return selectors.FollowUpFilters(
        when=when if when in selectors.WHEN_CHOICES else "",
        kind=kind if kind in FollowUp.Kind.values else "",
        school=int_param(request.GET.get("school")),
        cohort=int_param(request.GET.get("cohort"), minimum=1990, maximum=2100),
        q=text_param(request.GET.get("q"), max_length=20),
    )


class FollowUpListView(FollowUpReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        filters = _filters(request)
        rows = selectors.followup_list(actor=self.actor, filters=filters, today=today)
        page = Paginator(rows, settings.LIST_PAGE_SIZE).get_page(
            int_param(request.GET.get("page")) or 1
        )
        query = urlencode([(k, getattr(filters, k)) for k in FILTER_KEYS if getattr(filters, k)])
        context: dict[str, Any] = {
            "page": page, "filters": filters, "querystring": query, "today": today,
            "counts": selectors.followup_counts(actor=self.actor, today=today),
            "kinds": FollowUp.Kind.choices, "schools": school_list(actor=self.actor).order_by("code"),
            "can_record": permissions.can_follow_up(self.actor),
            "back": request.get_full_path(),
        }  # fmt: skip
        return render(request, "tracking/followup_list.html", context)


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text_param(value, max_length=10))
    except ValueError:
        return None


class FollowUpRecordView(FollowUpWriterMixin, View):
    """GET the form for one follow-up; POST done_on, channel, reached, outcome, placed_where,
    note, next_on."""

    def _render(self, request: HttpRequest, followup: FollowUp, **extra: Any) -> HttpResponse:
        student = followup.student
        context: dict[str, Any] = {
            "followup": followup, "student": student, "today": timezone.localdate(),
            "identifiers": identifiers_for(student, revealed=False),
            "can_reveal": Sensitivity.IDENTIFIERS in field_access(self.actor.role, self.actor.department_kind),
            "channels": ContactAttempt.Channel.choices, "outcomes": FollowUp.Outcome.choices,
            "history": selectors.followup_history(actor=self.actor, student_id=student.pk).filter(status="done")[:5],
            "window_end": window_end(student.cohort, window_months()),
            "next": next_url(request, "tracking:followup-list"), "posted": {}, **extra,
        }  # fmt: skip
        return render(request, "tracking/followup_record.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, selectors.followup_get(actor=self.actor, pk=pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        followup = selectors.followup_get(actor=self.actor, pk=pk)
        post = request.POST
        answer = Answer(
            done_on=_date(post.get("done_on")), channel=text_param(post.get("channel"), max_length=12),
            reached=post.get("reached") != "no", outcome=text_param(post.get("outcome"), max_length=15),
            placed_where=text_param(post.get("placed_where"), max_length=121),
            note=text_param(post.get("note"), max_length=2001), next_on=_date(post.get("next_on")),
        )  # fmt: skip
        try:
            done = followup_record(
                actor=self.actor, followup=followup, answer=answer, request=request
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, followup, posted=post, error_field=exc.field)
        text = _("Follow-up of %(name)s recorded: %(outcome)s.") % {
            "name": followup.student.name,
            "outcome": done.get_outcome_display(),
        }
        if done.next_on:
            text += " " + _("Next follow-up on %(date)s.") % {"date": done.next_on.isoformat()}
        messages.success(request, text)
        return redirect(next_url(request, "tracking:followup-list"))

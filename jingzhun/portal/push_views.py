"""我的岗位推送: the postings teachers sent to the student, each answered with one tap.

Opening a push records that it was viewed; the answers and their rules are jobs' services
(`push_services.push_respond`), the reads jobs' selectors (the student's own pushes only —
another student's push answers 404 like a missing one)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, text_param
from jingzhun.jobs import push_selectors, push_services
from jingzhun.jobs.models import JobPush
from jingzhun.jobs.places import city_name
from jingzhun.jobs.push_responses import RESPONSE_TABLE, answers_after
from jingzhun.jobs.salary import salary_shown
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role

PAGE = 20


class StudentMixin(RoleRequiredMixin):
    allowed_roles = {Role.STUDENT}


def _shown(push: JobPush) -> JobPush:
    """The posting's key facts as the student reads them, and the answers left to give."""
    posting = push.posting
    push.salary = (salary_shown(posting.salary_min, posting.salary_max, posting.salary_months)  # type: ignore[attr-defined]
                   or posting.salary_text)  # fmt: skip
    push.city = city_name(posting.city_code) if posting.city_code else posting.city_text  # type: ignore[attr-defined]
    push.answers = [(a, RESPONSE_TABLE.label(a)) for a in answers_after(push.response)]  # type: ignore[attr-defined]
    return push


def _context(**extra: Any) -> dict[str, Any]:
    return {"reasons": JobPush.DeclineReason.choices, **extra}


class StudentPushListView(StudentMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(push_selectors.own_pushes(actor=self.actor), PAGE).get_page(
            int_param(request.GET.get("page")) or 1
        )
        page.object_list = [_shown(p) for p in page.object_list]
        return render(request, "portal/push_list.html", _context(page=page, querystring=""))


class StudentPushDetailView(StudentMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        push = push_selectors.own_push_get(actor=self.actor, pk=pk)
        push = push_services.push_mark_viewed(actor=self.actor, push=push, request=request)
        push = push_selectors.own_push_get(actor=self.actor, pk=pk)
        return render(request, "portal/push_detail.html", _context(push=_shown(push)))


class StudentPushRespondView(StudentMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        push = push_selectors.own_push_get(actor=self.actor, pk=pk)
        response = text_param(request.POST.get("response"), max_length=12)
        try:
            push = push_services.push_respond(
                actor=self.actor, push=push, response=response, request=request,
                reason=text_param(request.POST.get("reason"), max_length=12),
                note=text_param(request.POST.get("note"), max_length=push_services.NOTE_MAX),
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved: %(title)s — %(response)s.") % {
                "title": push.posting.title, "response": RESPONSE_TABLE.label(push.response)})  # fmt: skip
        if request.POST.get("from") == "detail":
            return redirect("portal:push-detail", pk=push.pk)
        return redirect(f"{reverse('portal:push-list')}#push-{push.pk}")

"""满意度 and 意见反馈 in the console: the aggregates per department and measure, the ratings
(paged, filtered) and the students' feedback with the office's handling."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.assistance import sensitivity
from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, next_url, text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import Department, RoleAssignment
from jingzhun.org.roles import field_access
from jingzhun.tracking.publications import permissions
from jingzhun.tracking.satisfaction import selectors, services
from jingzhun.tracking.satisfaction.models import StudentFeedback

PAGE_SIZE = 20


class SatisfactionView(RoleRequiredMixin, View):
    """满意度: aggregates per department and per measure, then the ratings themselves."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_satisfaction(actor)

    def get(self, request: HttpRequest) -> HttpResponse:
        institution_id = self.actor.institution_id
        assert institution_id is not None
        filters = selectors.RatingFilters(
            department_id=int_param(request.GET.get("department")),
            score=int_param(request.GET.get("score"), minimum=1, maximum=5),
        )
        rows = selectors.rating_list(actor=self.actor, filters=filters)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        allowed = field_access(self.actor.role, self.actor.department_kind)
        sensitivity.label_items([r.action for r in page.object_list], allowed=allowed)
        by_measure = selectors.satisfaction_by_measure(institution_id=institution_id)
        kept = {"department": filters.department_id or "", "score": filters.score or ""}
        context: dict[str, Any] = {
            "by_department": selectors.satisfaction_by_department(institution_id=institution_id),
            "by_measure": by_measure,
            "page": page,
            "filters": filters,
            "departments": Department.objects.filter(institution_id=institution_id).order_by(
                "name"
            ),
            "scores": range(5, 0, -1),
            "querystring": urlencode({k: v for k, v in kept.items() if v}),
        }
        return render(request, "tracking/satisfaction.html", context)


class FeedbackListView(RoleRequiredMixin, View):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_satisfaction(actor)

    def get(self, request: HttpRequest) -> HttpResponse:
        status = text_param(request.GET.get("status"), max_length=10)
        topic = text_param(request.GET.get("topic"), max_length=12)
        rows = selectors.feedback_list(actor=self.actor, status=status, topic=topic)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        kept = {"status": status, "topic": topic}
        context: dict[str, Any] = {
            "page": page,
            "status": status,
            "topic": topic,
            "topics": StudentFeedback.Topic.choices,
            "counts": selectors.feedback_counts(actor=self.actor, topic=topic),
            "can_handle": permissions.can_handle_feedback(self.actor),
            "querystring": urlencode({k: v for k, v in kept.items() if v}),
            "topic_querystring": urlencode({"topic": topic} if topic else {}),
        }
        return render(request, "tracking/feedback_list.html", context)


class FeedbackHandleView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_handle_feedback(actor)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        feedback = selectors.feedback_queryset(actor=self.actor).filter(pk=pk).first()
        if feedback is None:
            raise Http404
        try:
            services.feedback_handle(
                actor=self.actor, feedback=feedback,
                reply=text_param(request.POST.get("reply"), max_length=services.REPLY_MAX + 1),
                request=request,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Marked as handled; the student sees your reply."))
        return redirect(next_url(request, "tracking:feedback-list"))

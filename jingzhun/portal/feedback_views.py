"""Feedback and satisfaction on the portal: rate a completed action of one's own plan, and
the general feedback form with one's earlier feedback and the office's replies."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.portal.forms import FeedbackForm
from jingzhun.tracking.publications.errors import PublicationErrorCode
from jingzhun.tracking.publications.selectors import own_student
from jingzhun.tracking.satisfaction import services
from jingzhun.tracking.satisfaction.selectors import own_feedback


class ActionRateView(RoleRequiredMixin, View):
    """Rate (or, within the window, re-rate) one completed action of the student's own."""

    allowed_roles = {Role.STUDENT}
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        score = int_param(request.POST.get("score"), minimum=1, maximum=5)
        try:
            services.action_rate(
                actor=self.actor, action_id=pk, score=score or 0,
                comment=text_param(request.POST.get("comment"), max_length=services.COMMENT_MAX + 1),
                request=request,
            )  # fmt: skip
        except DomainError as exc:
            if exc.code == PublicationErrorCode.RATING_NOT_RATABLE:
                raise Http404 from None  # another student's action is missing, like any
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect(f"{reverse('portal:plan')}#action-{pk}")


class FeedbackView(RoleRequiredMixin, View):
    """意见反馈: the form, then the student's own feedback with the office's replies."""

    allowed_roles = {Role.STUDENT}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, FeedbackForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_submit(
                    actor=self.actor, topic=form.cleaned_data["topic"],
                    text=form.cleaned_data["text"], request=request,
                )  # fmt: skip
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Thank you: the employment office will read it."))
                return redirect("portal:feedback")
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: FeedbackForm) -> HttpResponse:
        student = own_student(actor=self.actor)
        earlier = list(own_feedback(student=student)[:20]) if student is not None else []
        return render(request, "portal/feedback.html", {"form": form, "earlier": earlier})

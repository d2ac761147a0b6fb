"""我的近况 (follow-up answer): a graduate tells the college their situation, which answers
their open follow-up. The rules are tracking's service; this only renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.selectors import own_open_followup
from jingzhun.tracking.followups.services import followup_answer

# What a graduate can say of themself ("not reachable" is for staff).
STUDENT_OUTCOMES = [
    (v, label) for v, label in FollowUp.Outcome.choices if v != FollowUp.Outcome.UNREACHABLE
]


class StudentFollowUpView(RoleRequiredMixin, View):
    """GET the form when a follow-up is waiting; POST outcome, placed_where, note."""

    allowed_roles = {Role.STUDENT}

    def get(self, request: HttpRequest) -> HttpResponse:
        context: dict[str, Any] = {
            "followup": own_open_followup(actor=self.actor),
            "outcomes": STUDENT_OUTCOMES,
            "posted": {},
        }
        return render(request, "portal/followup.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        outcome = text_param(request.POST.get("outcome"), max_length=15)
        try:
            followup_answer(
                actor=self.actor,
                outcome=outcome if outcome != FollowUp.Outcome.UNREACHABLE else "",
                placed_where=text_param(request.POST.get("placed_where"), max_length=121),
                note=text_param(request.POST.get("note"), max_length=2001),
                request=request,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            context = {"followup": own_open_followup(actor=self.actor), "outcomes": STUDENT_OUTCOMES,
                       "posted": request.POST}  # fmt: skip
            return render(request, "portal/followup.html", context)
        messages.success(request, _("Thank you: your teachers can see your situation now."))
        return redirect("portal:followup")

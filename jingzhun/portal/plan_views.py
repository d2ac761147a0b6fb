"""The student's plan (我的帮扶计划): what was approved for them, how each action ended, and
the button that acknowledges it. The rules are assistance's services; this only renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.assistance import selectors
from jingzhun.assistance.services import plans
from jingzhun.core.errors import DomainError
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.tracking.satisfaction.selectors import ratings_for_plan


class StudentPlanView(RoleRequiredMixin, View):
    allowed_roles = {Role.STUDENT}

    def get(self, request: HttpRequest) -> HttpResponse:
        plan = selectors.own_plan(actor=self.actor)
        if plan is not None:
            actions = list(plan.actions.all())  # the prefetched instances the page renders
            ratings = ratings_for_plan(student_id=plan.student_id, actions=actions)
            for action in actions:
                action.ratable = ratings.get(action.pk)  # type: ignore[attr-defined]
        return render(request, "portal/plan.html", {"plan": plan})


class StudentPlanAcknowledgeView(RoleRequiredMixin, View):
    allowed_roles = {Role.STUDENT}
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = selectors.own_plan(actor=self.actor)
        if plan is None or plan.pk != pk:
            raise Http404
        try:
            plans.plan_acknowledge(actor=self.actor, plan=plan, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you: you have confirmed that you know your plan."))
        return redirect("portal:plan")

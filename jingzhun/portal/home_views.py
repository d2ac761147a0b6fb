"""我的: the student's portal home — every page they have, as tiles with their counts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from jingzhun.core.portal_tiles import tiles_for
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.tracking.publications.selectors import own_student, policy_last_visit, policy_list

LATEST = 3


class PortalHomeView(RoleRequiredMixin, View):
    allowed_roles = {Role.STUDENT}

    def get(self, request: HttpRequest) -> HttpResponse:
        student = own_student(actor=self.actor)
        tiles = tiles_for(self.actor)
        new_policies = next((t.badge or 0 for t in tiles if t.key == "policies"), 0)
        latest = []
        if student is not None:
            since = policy_last_visit(student=student)
            latest = list(policy_list(student=student, since=since)[:LATEST])
        context = {"student": student, "tiles": tiles, "new_policies": new_policies,
                   "latest": latest}  # fmt: skip
        return render(request, "portal/home.html", context)

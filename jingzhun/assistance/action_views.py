"""Action pages: the department work queue (filters, paging with the total, workload per
person, bulk reassign) and one action (start, close with an outcome, reassign)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jingzhun.assistance import permissions, records, selectors
from jingzhun.assistance.models import Action
from jingzhun.assistance.sensitivity import label_items, shown_measure
from jingzhun.assistance.services import actions as services
from jingzhun.assistance.services import records as record_services
from jingzhun.assistance.transitions import ACTION_CLOSED, ACTION_OUTCOMES, ACTION_TABLE
from jingzhun.core import figures
from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, text_param
from jingzhun.identification.case_selectors import openable
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment, User
from jingzhun.org.selectors import school_list

PAGE = 50
FILTER_KEYS = ("measure", "status", "due", "school", "assignee", "department")
# The queue's own query string, kept across a bulk reassign: filter names and plain values.
BACK = re.compile(r"\?(?:[a-z_]+=[\w-]{0,20}&?){0,8}")


def reads_queue(actor: RoleAssignment) -> bool:
    return permissions.can_work_actions(actor) or actor.role in permissions.OVERSIGHT_ROLES


class QueueReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return reads_queue(actor)


class ActionReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return (
            permissions.can_work_actions(actor)
            or permissions.can_plan(actor)
            or actor.role in permissions.OVERSIGHT_ROLES
        )


class WorkerRequiredMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_work_actions(actor)


def _filters(request: HttpRequest) -> selectors.QueueFilters:
    status = request.GET.get("status", selectors.OPEN_ACTIONS)
    due = request.GET.get("due", "")
    return selectors.QueueFilters(
        measure=int_param(request.GET.get("measure")),
        status=status if status in (*Action.Status.values, selectors.ALL_ACTIONS) else selectors.OPEN_ACTIONS,
        due=due if due in selectors.DUE_CHOICES else "",
        school=int_param(request.GET.get("school")), assignee=int_param(request.GET.get("assignee")),
        department=int_param(request.GET.get("department")),
    )  # fmt: skip


class ActionQueueView(QueueReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        allowed = openable(self.actor)
        measures = [m for m in selectors.measures_of(institution_id=self.actor.institution_id or 0)
                    if shown_measure(m.name, m.department_kind, allowed=allowed) == m.name]  # fmt: skip
        filters = _filters(request)
        if filters.measure and filters.measure not in {m.pk for m in measures}:
            # Filtering by a measure the viewer may not name would name its students.
            filters = selectors.QueueFilters(**{**filters.__dict__, "measure": None})
        departments = list(selectors.queue_departments(actor=self.actor).order_by("code"))
        paginator = Paginator(selectors.action_queue(actor=self.actor, filters=filters), PAGE)
        counted = selectors.queue_count(actor=self.actor, filters=filters)
        if counted is not None:  # the kept counts, instead of counting the open rows again
            paginator.__dict__["count"] = counted
        page = paginator.get_page(int_param(request.GET.get("page")) or 1)
        page.object_list = label_items(page.object_list, allowed=allowed)
        # Later stages' figures per student (jobs: targeted pushes against the threshold).
        shown = figures.figures_for(figures.ACTION_QUEUE, institution_id=self.actor.institution_id,
                                    student_ids=[a.student_id for a in page.object_list])  # fmt: skip
        for action in page.object_list:
            action.figures = shown[action.student_id]
        query = urlencode([(k, getattr(filters, k)) for k in FILTER_KEYS if getattr(filters, k)])
        only = permissions.department_only(self.actor)
        own = self.actor.department_id if only else (filters.department or self.actor.department_id)
        can_work = permissions.can_work_actions(self.actor) and own == self.actor.department_id
        workload = selectors.workload(department_id=own) if own else []
        context: dict[str, Any] = {
            "page": page, "filters": filters, "querystring": query, "departments": departments,
            "measures": measures,
            "statuses": Action.Status.choices, "schools": school_list(actor=self.actor).order_by("code"),
            "workload": workload, "can_work": can_work, "department_only": only,
            "own_department": self.actor.department_id,
            "can_set_heads": permissions.can_manage_catalogue(self.actor),
            "today": timezone.localdate(),
        }  # fmt: skip
        return render(request, "assistance/action_queue.html", context)


class ActionBulkReassignView(WorkerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = id_params(request.POST.getlist("actions"))
        assignee = User.objects.filter(pk=int_param(request.POST.get("assignee")) or 0).first()
        if not ids or assignee is None:
            messages.error(request, _("Choose the actions and the person to give them to."))
        else:
            self._reassign(request, ids, assignee)
        response = redirect("assistance:action-queue")
        back = request.POST.get("back", "")
        if BACK.fullmatch(back):
            response["Location"] += back
        return response

    def _reassign(self, request: HttpRequest, ids: list[int], assignee: User) -> None:
        try:
            n = services.actions_bulk_reassign(
                actor=self.actor, action_ids=ids, assignee=assignee, request=request
            )
        except DomainError as exc:
            messages.error(
                request, _("Nothing was reassigned: %(reason)s") % {"reason": exc.message}
            )
            return
        messages.success(request, ngettext("%(n)s action reassigned to %(person)s.",
                                           "%(n)s actions reassigned to %(person)s.", n)
                         % {"n": n, "person": assignee})  # fmt: skip


class ActionDetailView(ActionReaderMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = label_items(
            [selectors.action_get(actor=self.actor, pk=pk)], allowed=openable(self.actor)
        )[0]
        worker = permissions.can_work_actions(self.actor) and action.is_open
        context = {
            "action": action, "worker": worker, "status_label": ACTION_TABLE.label(action.status),
            "closings": [(s, ACTION_TABLE.label(s), [Action.Outcome(o).label for o in ACTION_OUTCOMES[s]])
                         for s in ("done", "failed", "cancelled")],
            "outcomes": Action.Outcome.choices,
            "members": User.objects.filter(pk__in=services.department_members(action.department_id)).order_by("pk")
            if worker else [],
            "events": [(e, ACTION_TABLE.label(e.to_status)) for e in action.events.all()],
            "records": records.records_of_action(actor=self.actor, action=action, request=request),
            "record_kinds": record_services.kinds_for(self.actor)
            if record_services.may_write(self.actor, action) else [],
            "today": timezone.localdate(),
            # A case owner who reads no queue goes back to the plan the action came from.
            "reads_queue": reads_queue(self.actor),
        }  # fmt: skip
        return render(request, "assistance/action_detail.html", context)


class ActionStepView(WorkerRequiredMixin, View):
    """POST start, close (status, outcome, note) or reassign (assignee)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        action = selectors.action_get(actor=self.actor, pk=pk)
        names = {"measure": action.measure.name, "name": action.student.name}
        try:
            if step == "start":
                services.action_start(actor=self.actor, action=action, request=request)
                messages.success(request, _("%(measure)s for %(name)s is now in progress.") % names)
            elif step == "close":
                status = text_param(request.POST.get("status"), max_length=12)
                record_services.action_close_with_record(
                    actor=self.actor, action=action, status=status if status in ACTION_CLOSED else "",
                    outcome=text_param(request.POST.get("outcome"), max_length=12),
                    note=text_param(request.POST.get("note"), max_length=2000),
                    record_kind=text_param(request.POST.get("record_kind"), max_length=12),
                    duration_minutes=int_param(request.POST.get("record_minutes"), minimum=0),
                    request=request,
                )  # fmt: skip
                messages.success(request, _("%(measure)s for %(name)s closed as %(status)s; the case owner has been told.")
                                 % {**names, "status": ACTION_TABLE.label(status)})  # fmt: skip
            elif step == "reassign":
                assignee = User.objects.filter(
                    pk=int_param(request.POST.get("assignee")) or 0
                ).first()
                if assignee is None:
                    messages.error(request, _("Choose the person to give it to."))
                else:
                    services.action_reassign(
                        actor=self.actor, action=action, assignee=assignee, request=request
                    )
                    messages.success(request, _("%(measure)s for %(name)s is now with %(person)s.")
                                     % {**names, "person": assignee})  # fmt: skip
            else:
                from django.http import Http404

                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assistance:action-detail", pk=action.pk)

"""Plan pages: the owner's list (cases waiting for a plan, own plans), one plan with its
versions, the edit form, the approval steps and the school's approval queue."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jingzhun.assistance import permissions, selectors
from jingzhun.assistance.models import Action, AssistancePlan, PlanVersion
from jingzhun.assistance.sensitivity import label_items
from jingzhun.assistance.services import approving, bulk, plans
from jingzhun.assistance.transitions import PLAN_TABLE
from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, text_param
from jingzhun.identification.case_selectors import openable, type_name
from jingzhun.identification.models import Case, Level
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DepartmentKind, Role
from jingzhun.org.selectors import class_group_list

PAGE = 30
FAILURES_SHOWN = 10
EXTRA_ROWS = 2


class PlannerRequiredMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_plan(actor)


class PlanReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return (
            permissions.can_plan(actor)
            or permissions.can_approve(actor)
            or actor.role in permissions.OVERSIGHT_ROLES
        )


class ApproverRequiredMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_approve(actor)


class PlanListView(PlannerRequiredMixin, View):
    """一人一策: confirmed cases waiting for a plan, and the plans the actor owns."""

    def get(self, request: HttpRequest) -> HttpResponse:
        found = _waiting_filters(request.GET)
        waiting = Paginator(
            selectors.cases_without_plan(actor=self.actor, filters=found), PAGE
        ).get_page(int_param(request.GET.get("page")) or 1)
        allowed = openable(self.actor)
        rows = [
            {"case": c, "types": [type_name(t, allowed=allowed) for t in c.types.all()]}
            for c in waiting.object_list
        ]
        status = request.GET.get("plan_status", "")
        status = status if status in AssistancePlan.Status.values else ""
        own = selectors.own_plans(actor=self.actor)
        plans_page = Paginator(own.filter(status=status) if status else own, PAGE).get_page(
            int_param(request.GET.get("plans_page")) or 1
        )
        stalled = set(
            selectors.stalled_plans(actor=self.actor)
            .filter(pk__in=[p.pk for p in plans_page.object_list])
            .values_list("pk", flat=True)
        )
        # Each list pages on its own and keeps the other's place and the status filter.
        keep = {**_waiting_params(found), "page": request.GET.get("page", ""), "plan_status": status,
                "plans_page": request.GET.get("plans_page", "")}  # fmt: skip
        context = {
            "page": waiting, "rows": rows, "plans": plans_page, "plan_status": status,
            "waiting_filters": found, "waiting_query": _waiting_params(found), "levels": Level.choices,
            "classes": class_group_list(actor=self.actor).order_by("name"),
            "plan_statuses": AssistancePlan.Status.choices,
            "stalled": stalled, "stall_days": selectors.STALL_DAYS, "bulk_max": bulk.BULK_MAX,
            "querystring": _query(keep, without="page"), "plans_query": _query(keep, without="plans_page"),
        }  # fmt: skip
        return render(request, "assistance/plan_list.html", context)


def _waiting_filters(params: QueryDict) -> selectors.WaitingFilters:
    level = int_param(params.get("level"))
    return selectors.WaitingFilters(
        class_group=int_param(params.get("class_group")),
        level=level if level in Level.values else None,
        q=text_param(params.get("q"), max_length=20),
    )


def _waiting_params(filters: selectors.WaitingFilters) -> dict[str, str]:
    return {k: str(v) for k, v in (("class_group", filters.class_group), ("level", filters.level),
                                   ("q", filters.q)) if v}  # fmt: skip


def _query(params: dict[str, str], *, without: str) -> str:
    return urlencode([(k, v) for k, v in params.items() if v and k != without])


class PlanDraftView(PlannerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, case_pk: int) -> HttpResponse:
        case = _case_in_scope(self.actor, case_pk)
        try:
            plan = plans.plan_draft(actor=self.actor, case=case, request=request)
        except DomainError as exc:
            messages.error(request, f"{case.student.name}：{exc.message}")
            return redirect("assistance:plan-list")
        messages.success(request, _("Plan drafted for %(name)s from the playbooks: %(n)s measures. "
                                    "The case is now in assistance.")
                         % {"name": case.student.name, "n": plan.versions.get().items.count()})  # fmt: skip
        return redirect("assistance:plan-detail", pk=plan.pk)


class PlanDraftAllView(PlannerRequiredMixin, View):
    """Draft the plans of every case waiting for one and shown by the list's filters (all or
    none), up to `bulk.BULK_MAX` a press; the message says how many still wait."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        found = _waiting_filters(request.POST)
        waiting = selectors.cases_without_plan(actor=self.actor, filters=found)
        ids = list(waiting.values_list("pk", flat=True)[: bulk.BULK_MAX])
        back = redirect("assistance:plan-list")
        if query := urlencode(_waiting_params(found)):
            back["Location"] += f"?{query}"
        try:
            result = bulk.plans_draft_bulk(actor=self.actor, case_ids=ids, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
            return back
        if result.failures:
            messages.error(request, _("No plan was drafted: %(reasons)s") % {
                "reasons": "；".join(f"{f.student}：{f.message}" for f in result.failures[:FAILURES_SHOWN])})  # fmt: skip
            return back
        drafted = ngettext("%(n)s plan drafted from the playbooks.",
                           "%(n)s plans drafted from the playbooks.", result.drafted) % {"n": result.drafted}  # fmt: skip
        left = waiting.count()
        if left:
            waiting_text = ngettext(
                "%(n)s more case is waiting: press the button again.",
                "%(n)s more cases are waiting: press the button again.", left) % {"n": left}  # fmt: skip
            # Translators: two sentences in a row (Chinese joins them without a space).
            drafted = _("%(drafted)s %(waiting)s") % {"drafted": drafted, "waiting": waiting_text}
        messages.success(request, drafted)
        return back


def _case_in_scope(actor: RoleAssignment, pk: int) -> Case:
    from django.http import Http404

    from jingzhun.students.selectors import student_queryset

    try:
        return Case.objects.select_related("student").get(
            pk=pk, student__in=student_queryset(actor=actor)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def _shown_inputs(version: PlanVersion, allowed: frozenset[str]) -> dict[str, Any]:
    """A version's frozen inputs as the viewer may read them: a sensitive type or signal
    says only that it is restricted."""
    inputs = version.inputs or {}
    types = [t["name"] if not t.get("sensitivity") or t["sensitivity"] in allowed else _("Restricted type")
             for t in inputs.get("types", [])]  # fmt: skip
    signals = [
        {"type": s["type_name"] if not s.get("sensitivity") or s["sensitivity"] in allowed else _("Restricted type"),
         "level": s.get("level"),
         "explanation": s["explanation"] if not s.get("sensitivity") or s["sensitivity"] in allowed else ""}
        for s in inputs.get("signals", [])
    ]  # fmt: skip
    return {"types": types, "level": inputs.get("level"), "signals": signals,
            "playbooks": inputs.get("playbooks", [])}  # fmt: skip


class PlanDetailView(PlanReaderMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = selectors.plan_get(actor=self.actor, pk=pk)
        versions = list(plan.versions.all())
        current = versions[0] if versions else None
        allowed = openable(self.actor)
        owner = (
            plan.case.responsible_id == self.actor.user_id
            or self.actor.role == Role.EMPLOYMENT_OFFICE
        )
        editable = (
            owner
            and permissions.can_plan(self.actor)
            and plan.status == AssistancePlan.Status.DRAFT
        )
        approver = (
            permissions.can_approve(self.actor)
            and plan.student.school_id == self.actor.school_id
            and plan.status == AssistancePlan.Status.SUBMITTED
        )
        items = label_items(current.items.all() if current else [], allowed=allowed)
        for version in versions:
            version.shown_items = label_items(version.items.all(), allowed=allowed)
        context: dict[str, Any] = {
            "plan": plan, "current": current, "items": items,
            "versions": [{"version": v, "inputs": _shown_inputs(v, allowed)} for v in versions],
            "editable": editable, "can_submit": editable, "approver": approver,
            "revisable": owner and permissions.can_plan(self.actor) and plan.status in (
                AssistancePlan.Status.APPROVED, AssistancePlan.Status.ACKNOWLEDGED),
            "measures": selectors.measures_of(institution_id=plan.student.institution_id).filter(is_active=True),
            "department_kinds": DepartmentKind.choices, "extra_rows": range(EXTRA_ROWS),
            "actions": label_items(Action.objects.filter(plan=plan).select_related("measure", "department", "assignee"), allowed=allowed),
            "status_label": PLAN_TABLE.label(plan.status),
            "reads_plan_list": permissions.can_plan(self.actor),
        }  # fmt: skip
        return render(request, "assistance/plan_detail.html", context)


def items_from(post: QueryDict) -> list[plans.ItemInput]:
    """The rows of the edit form; a row without a measure is left out (removed)."""
    measures = post.getlist("measure")
    deadlines = post.getlist("deadline_days")
    kinds = post.getlist("department_kind")
    notes = post.getlist("item_note")
    items = []
    for i, raw in enumerate(measures):
        measure = int_param(raw)
        if measure is None:
            continue
        deadline = int_param(deadlines[i] if i < len(deadlines) else "", minimum=0, maximum=10_000)
        items.append(plans.ItemInput(
            measure_id=measure, deadline_days=deadline if deadline is not None else -1,
            department_kind=text_param(kinds[i] if i < len(kinds) else "", max_length=20),
            note=text_param(notes[i] if i < len(notes) else "", max_length=1000),
        ))  # fmt: skip
    return items


class PlanEditView(PlannerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = selectors.plan_get(actor=self.actor, pk=pk)
        try:
            version = plans.plan_edit(actor=self.actor, plan=plan, items=items_from(request.POST),
                                      note=text_param(request.POST.get("note"), max_length=200),
                                      request=request)  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved as version %(n)s with %(items)s measures.")
                             % {"n": version.number, "items": version.items.count()})  # fmt: skip
        return redirect("assistance:plan-detail", pk=plan.pk)


class PlanStepView(PlanReaderMixin, View):
    """POST one approval step: submit (owner), approve or return (school officer)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        plan = selectors.plan_get(actor=self.actor, pk=pk)
        name = plan.student.name
        try:
            if step == "submit":
                plans.plan_submit(actor=self.actor, plan=plan, request=request)
                messages.success(request, _("The plan for %(name)s was submitted to the school for approval.") % {"name": name})  # fmt: skip
            elif step == "approve":
                plan = plans.plan_approve(actor=self.actor, plan=plan, request=request)
                count = plan.actions.count()
                messages.success(request, _("The plan for %(name)s was approved: %(n)s actions were routed to the departments.") % {"name": name, "n": count})  # fmt: skip
                return redirect("assistance:approval-queue")
            elif step == "revise":
                plans.plan_revise(actor=self.actor, plan=plan, reason=text_param(request.POST.get("reason"), max_length=2000), request=request)  # fmt: skip
                messages.success(request, _("The plan for %(name)s is a draft again: edit it and submit it for approval.") % {"name": name})  # fmt: skip
            elif step == "return":
                plans.plan_return(actor=self.actor, plan=plan, reason=text_param(request.POST.get("reason"), max_length=2000), request=request)  # fmt: skip
                messages.success(
                    request, _("The plan for %(name)s was returned to its owner.") % {"name": name}
                )
                return redirect("assistance:approval-queue")
            else:
                from django.http import Http404

                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assistance:plan-detail", pk=plan.pk)


def _approval_filters(params: QueryDict) -> selectors.ApprovalFilters:
    status = params.get("status", AssistancePlan.Status.SUBMITTED)
    return selectors.ApprovalFilters(
        status=status if status in AssistancePlan.Status.values else AssistancePlan.Status.SUBMITTED,
        class_group=int_param(params.get("class_group")),
        q=text_param(params.get("q"), max_length=20),
    )  # fmt: skip


def _approval_query(filters: selectors.ApprovalFilters) -> str:
    return urlencode([(k, v) for k, v in (("status", filters.status), ("class_group", filters.class_group or ""),
                                          ("q", filters.q)) if v])  # fmt: skip


class ApprovalQueueView(ApproverRequiredMixin, View):
    """The school's plans waiting for approval (or in another state), paged with the total;
    the waiting ones can be approved together, ticked or all that the filter shows."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _approval_filters(request.GET)
        page = Paginator(
            selectors.approval_queue(actor=self.actor, filters=filters), PAGE
        ).get_page(int_param(request.GET.get("page")) or 1)
        context = {
            "page": page, "filters": filters, "querystring": _approval_query(filters),
            "statuses": AssistancePlan.Status.choices,
            "classes": class_group_list(actor=self.actor).filter(major__school_id=self.actor.school_id or 0).order_by("name"),
            "waiting": filters.status == AssistancePlan.Status.SUBMITTED,
            "approve_max": approving.APPROVE_MAX,
        }  # fmt: skip
        return render(request, "assistance/approval_queue.html", context)


class ApprovalBulkView(ApproverRequiredMixin, View):
    """批量审批: approve the ticked plans, or every waiting plan the filter shows — all or
    none, each approved version routed to the departments."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        filters = _approval_filters(request.POST)
        if request.POST.get("scope") == "filtered":
            waiting = replace(filters, status=AssistancePlan.Status.SUBMITTED)
            ids = list(selectors.approval_queue(actor=self.actor, filters=waiting)
                       .values_list("pk", flat=True)[: approving.APPROVE_MAX + 1])  # fmt: skip
        else:
            ids = id_params(request.POST.getlist("plans"))
        if not ids:
            messages.error(request, _("Tick the plans to approve first."))
        else:
            self._approve(request, ids)
        response = redirect("assistance:approval-queue")
        response["Location"] += "?" + _approval_query(filters)
        return response

    def _approve(self, request: HttpRequest, ids: list[int]) -> None:
        result = approving.plans_approve_many(actor=self.actor, plan_ids=ids, request=request)
        if result.refusals:
            messages.error(request, _("No plan was approved: %(reasons)s") % {
                "reasons": "；".join(f"{r.student}：{r.message}" for r in result.refusals[:FAILURES_SHOWN])})  # fmt: skip
            return
        messages.success(request, ngettext(
            "%(n)s plan approved: %(actions)s actions were routed to the departments.",
            "%(n)s plans approved: %(actions)s actions were routed to the departments.",
            result.approved) % {"n": result.approved, "actions": result.routed})  # fmt: skip

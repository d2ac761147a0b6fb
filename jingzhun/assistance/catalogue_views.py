"""The catalogue in the console (employment office): measures and playbooks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.assistance import permissions, selectors
from jingzhun.assistance.models import DepartmentHead, Measure, Playbook
from jingzhun.assistance.services import catalogue, heads
from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, text_param
from jingzhun.identification.models import DifficultyType, Level
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import Department, RoleAssignment, User
from jingzhun.org.roles import DepartmentKind


class CatalogueManagerMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_manage_catalogue(actor)


def _fields(post: QueryDict) -> catalogue.MeasureFields:
    try:
        cost = Decimal(text_param(post.get("unit_cost"), max_length=12) or "0")
    except InvalidOperation:
        cost = Decimal("-1")
    if not cost.is_finite():  # NaN would not compare with the bounds at all
        cost = Decimal("-1")
    return catalogue.MeasureFields(
        name=text_param(post.get("name"), max_length=100),
        department_kind=text_param(post.get("department_kind"), max_length=20),
        default_days=int_param(post.get("default_days"), minimum=0, maximum=10_000) or 0,
        unit_cost=cost,
        survey_category=text_param(post.get("survey_category"), max_length=12),
        description=text_param(post.get("description"), max_length=200),
        is_active=post.get("is_active") == "1",
    )


class MeasureListView(CatalogueManagerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        institution_id = permissions.institution_of(self.actor)
        catalogue.catalogue_ensure(institution_id=institution_id)
        playbooks = (
            Playbook.objects.filter(institution_id=institution_id, is_current=True)
            .select_related("difficulty_type").prefetch_related("items__measure")
            .order_by("difficulty_type__code", "level")
        )  # fmt: skip
        context = {
            "measures": selectors.measures_of(institution_id=institution_id),
            "department_kinds": DepartmentKind.choices,
            "categories": Measure.SurveyCategory.choices,
            "playbooks": playbooks,
        }
        return render(request, "assistance/measure_list.html", context)


class MeasureSaveView(CatalogueManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        measure = None
        if pk is not None:
            measure = Measure.objects.filter(
                pk=pk, institution_id=permissions.institution_of(self.actor)
            ).first()
            if measure is None:
                raise Http404
        try:
            saved = catalogue.measure_save(
                actor=self.actor, measure=measure, code=text_param(request.POST.get("code"), max_length=30),
                fields=_fields(request.POST), request=request,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Measure %(name)s saved.") % {"name": saved.name})
        return redirect("assistance:measure-list")


class PlaybookEditView(CatalogueManagerMixin, View):
    """Edit the playbook of one type and level: a save writes its next version."""

    def get(self, request: HttpRequest, type_pk: int, level: int) -> HttpResponse:
        difficulty_type, level = self._key(type_pk, level)
        current = (
            Playbook.objects.filter(institution_id=permissions.institution_of(self.actor), difficulty_type=difficulty_type,
                                    level=level, is_current=True).prefetch_related("items__measure").first()
        )  # fmt: skip
        context = {
            "difficulty_type": difficulty_type, "level": Level(level), "current": current,
            "items": list(current.items.all()) if current else [],
            "measures": selectors.measures_of(institution_id=permissions.institution_of(self.actor) or 0).filter(is_active=True),
            "extra_rows": range(2), "department_kinds": DepartmentKind.choices,
        }  # fmt: skip
        return render(request, "assistance/playbook_edit.html", context)

    def post(self, request: HttpRequest, type_pk: int, level: int) -> HttpResponse:
        difficulty_type, level = self._key(type_pk, level)
        deadlines = request.POST.getlist("deadline_days")
        kinds = request.POST.getlist("department_kind")
        steps = []
        for i, raw in enumerate(request.POST.getlist("measure")):
            measure = int_param(raw)
            if measure is None:
                continue
            deadline = int_param(
                deadlines[i] if i < len(deadlines) else "", minimum=0, maximum=10_000
            )
            kind = text_param(kinds[i] if i < len(kinds) else "", max_length=20)
            steps.append(
                catalogue.StepInput(measure, deadline if deadline is not None else -1, kind)
            )
        try:
            playbook = catalogue.playbook_save(actor=self.actor, difficulty_type=difficulty_type, level=level,
                                               steps=steps, request=request)  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("assistance:playbook-edit", type_pk=type_pk, level=level)
        messages.success(request, _("Playbook saved as version %(n)s; plans drafted before keep theirs.")
                         % {"n": playbook.version})  # fmt: skip
        return redirect("assistance:measure-list")

    def _key(self, type_pk: int, level: int) -> tuple[DifficultyType, int]:
        difficulty_type = DifficultyType.objects.filter(pk=type_pk).first()
        if difficulty_type is None or level not in Level.values:
            raise Http404
        return difficulty_type, level


class DepartmentHeadListView(CatalogueManagerMixin, View):
    """Each department of the college with its head and the staff who may be named."""

    def get(self, request: HttpRequest) -> HttpResponse:
        institution_id = permissions.institution_of(self.actor)
        departments = list(
            Department.objects.filter(institution_id=institution_id).order_by("code")
        )
        heads = dict(
            DepartmentHead.objects.filter(department__in=departments).values_list(
                "department_id", "user_id"
            )
        )
        staff = selectors.department_staff(department_ids=[d.pk for d in departments])
        rows = [(d, heads.get(d.pk), staff.get(d.pk, [])) for d in departments]
        return render(request, "assistance/departmenthead_list.html", {"rows": rows})


class DepartmentHeadSetView(CatalogueManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        department = Department.objects.filter(
            pk=pk, institution_id=permissions.institution_of(self.actor)
        ).first()
        if department is None:
            raise Http404
        user_id = int_param(request.POST.get("user"))
        user = User.objects.filter(pk=user_id).first() if user_id else None
        try:
            heads.department_head_set(
                actor=self.actor, department=department, user=user, request=request
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The head of %(department)s is now %(person)s.")
                             % {"department": department, "person": user} if user else
                             _("%(department)s has no head: overdue actions go to all its staff.")
                             % {"department": department})  # fmt: skip
        return redirect("assistance:department-heads")

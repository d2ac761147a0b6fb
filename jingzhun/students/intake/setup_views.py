"""The first-run page, the template sheets and the one-time password download."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.core.excel import xlsx_export
from jingzhun.org.models import RoleAssignment
from jingzhun.students.intake.kinds import KINDS
from jingzhun.students.intake.permissions import administers_college, can_import
from jingzhun.students.intake.roster_units import org_batch_from_roster
from jingzhun.students.intake.setup_status import TEMPLATE_KINDS, setup_steps
from jingzhun.students.intake.staff_import import one_time_passwords_take
from jingzhun.students.intake.views import ImportAccessMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# One example row per template: what a filled-in sheet looks like.
EXAMPLES: dict[str, dict[str, str]] = {
    "org_structure": {"school_name": "信息工程学院", "school_code": "S01", "major_code": "510201",
                      "major_name": "计算机应用技术", "education_level": "高职专科", "duration_years": "3",
                      "class_name": "计应2301", "class_code": "2023510201", "cohort": "2026",
                      "counsellor_number": "T2001"},
    "staff": {"staff_number": "T2001", "name": "张老师", "unit": "信息工程学院", "roles": "辅导员",
              "phone": "13800000000", "email": "zhang@example.edu.cn", "classes": "计应2301、计应2302"},
    "students": {"student_number": "2023010001", "name": "李同学", "class_name": "计应2301",
                 "school_name": "信息工程学院", "major_code": "510201", "major_name": "计算机应用技术",
                 "graduation_year": "2026", "gender": "女", "ethnicity": "汉族",
                 "education_level": "高职专科", "entry_year": "2023", "status": "在读"},
}  # fmt: skip


class SetupHomeView(ImportAccessMixin):
    """初始设置: what a fresh installation needs, in order, with each step's state."""

    def allows(self, actor: RoleAssignment) -> bool:
        return administers_college(actor)

    def get(self, request: HttpRequest) -> HttpResponse:
        steps = setup_steps(actor=self.actor)
        return render(request, "students/setup_home.html",
                      {"steps": steps, "complete": all(s.done for s in steps)})  # fmt: skip


class SetupTemplateView(ImportAccessMixin):
    """An empty sheet of one import kind: its headers and one example row (generated)."""

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in TEMPLATE_KINDS or not can_import(self.actor, kind):
            raise Http404
        spec = KINDS[kind]
        header = [f.label + ("*" if f.required else "") for f in spec.fields]
        example = [EXAMPLES[kind].get(f.name, "") for f in spec.fields]
        data = xlsx_export(header, [example], sheet=str(spec.label))
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="template-{kind}.xlsx"'
        return response


class ImportPasswordsView(ImportAccessMixin):
    """The new accounts' one-time passwords, once, to whoever applied the staff import."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        try:
            rows = one_time_passwords_take(actor=self.actor, batch_id=batch.pk, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("students:import-detail", pk=batch.pk)
        header = [_("Staff number"), _("Name"), _("One-time password")]
        data = xlsx_export(header, rows, sheet=_("One-time passwords"),
                           title=_("Hand each person their own password; it must be changed at the first login."))  # fmt: skip
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-passwords.xlsx"'
        response["Cache-Control"] = "no-store"
        return response


class ImportProposeUnitsView(ImportAccessMixin):
    """根据花名册补建: an org-structure import of the units the roster names (then reviewed)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        try:
            org = org_batch_from_roster(actor=self.actor, batch=batch, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("students:import-detail", pk=batch.pk)
        messages.success(request, _("The roster's schools, majors and classes are being read; check them, then apply."))  # fmt: skip
        return redirect("students:import-detail", pk=org.pk)

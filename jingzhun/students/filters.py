from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhun.org.models import RoleAssignment
from jingzhun.org.selectors import class_group_list, major_list, school_list
from jingzhun.students.models import PriorityGroupEvidence, Student
from jingzhun.students.selectors import StudentFilters


class StudentFilterForm(forms.Form):
    """The list's search form; its choices come from the actor's scope only, and each select
    starts with "All"."""

    q = forms.CharField(label=_("Name or student number"), required=False, max_length=40)
    school: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("School"), queryset=None, required=False
    )
    major: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Major"), queryset=None, required=False
    )
    class_group: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Class"), queryset=None, required=False
    )
    cohort = forms.TypedChoiceField(label=_("Cohort"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    priority_group = forms.ChoiceField(label=_("Priority group"), required=False)

    def __init__(self, *args: Any, actor: RoleAssignment | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["school"].queryset = school_list(actor=actor)
        fields["major"].queryset = major_list(actor=actor)
        fields["class_group"].queryset = class_group_list(actor=actor).order_by("-cohort", "name")
        years = (
            class_group_list(actor=actor)
            .order_by("-cohort")
            .values_list("cohort", flat=True)
            .distinct()
        )
        # Every select starts with "All", never Django's "---------".
        every = ("", _("All"))
        for name in ("school", "major", "class_group"):
            fields[name].empty_label = _("All")
        fields["cohort"].choices = [every, *[(y, str(y)) for y in years]]
        fields["status"].choices = [every, *Student.Status.choices]
        fields["priority_group"].choices = [every, *PriorityGroupEvidence.Group.choices]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def to_filters(self) -> StudentFilters:
        if not self.is_bound or not self.is_valid():
            return StudentFilters()
        data = self.cleaned_data
        return StudentFilters(
            q=data.get("q") or "",
            school=data["school"].pk if data.get("school") else None,
            major=data["major"].pk if data.get("major") else None,
            class_group=data["class_group"].pk if data.get("class_group") else None,
            cohort=data.get("cohort"),
            status=data.get("status") or "",
            priority_group=data.get("priority_group") or "",
        )

"""The search forms of the case list and of the student list with case columns.

Choices come from the actor's scope only, and no select starts with Django's "---------":
the empty choice says what it means ("All")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhun.core.http import int_param, text_param
from jingzhun.identification.case_selectors import (
    ALL_CASES,
    CASE_SORTS,
    OPEN_CASES,
    QUIET_DAYS,
    CaseFilters,
    types_for_filter,
)
from jingzhun.identification.models import Case, Level
from jingzhun.identification.transitions import OPEN
from jingzhun.org.models import RoleAssignment
from jingzhun.org.selectors import class_group_list, school_list
from jingzhun.students.filters import StudentFilterForm
from jingzhun.tracking.lifecycle import STAGE_CHOICES

NO_CASE = "none"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        css = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        field.widget.attrs["class"] = css  # fmt: skip


def _all_first(form: forms.Form) -> None:
    """The empty choice of every select reads "All", never "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = str(_("All"))
        elif isinstance(field, forms.ChoiceField):
            choices = list(cast(Iterable[Any], field.choices))
            if choices and choices[0][0] == "":
                field.choices = [("", _("All")), *choices[1:]]


class CaseFilterForm(forms.Form):
    """帮扶对象台账 search: every value is optional, an invalid one is an ignored filter."""

    q = forms.CharField(label=_("Name or student number"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("Status"), required=False)
    difficulty_type = forms.TypedChoiceField(
        label=_("Difficulty type"), required=False, coerce=int, empty_value=None
    )
    level = forms.TypedChoiceField(label=_("Level"), required=False, coerce=int, empty_value=None)
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    class_group = forms.TypedChoiceField(
        label=_("Class"), required=False, coerce=int, empty_value=None
    )
    cohort = forms.TypedChoiceField(label=_("Cohort"), required=False, coerce=int, empty_value=None)
    origin = forms.ChoiceField(label=_("Origin"), required=False)
    responsible = forms.ChoiceField(label=_("Responsible"), required=False)
    quiet_days = forms.TypedChoiceField(
        label=_("No news for"), required=False, coerce=int, empty_value=None
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)  # fmt: skip

    def __init__(self, *args: Any, actor: RoleAssignment | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [(OPEN_CASES, _("All open cases")), *Case.Status.choices,
                                    (ALL_CASES, _("All, closed included"))]  # fmt: skip
        fields["difficulty_type"].choices = [("", _("All")), *types_for_filter(actor)]
        fields["level"].choices = [("", _("All")), *Level.choices]
        fields["school"].choices = [
            ("", _("All")),
            *school_list(actor=actor).values_list("pk", "name"),
        ]
        classes = list(
            class_group_list(actor=actor)
            .order_by("-cohort", "name")
            .values_list("pk", "name", "cohort")
        )  # one query for both the class and the cohort choices
        fields["class_group"].choices = [("", _("All")), *((pk, name) for pk, name, _c in classes)]
        cohorts = dict.fromkeys(cohort for _pk, _name, cohort in classes)
        fields["cohort"].choices = [("", _("All")), *((c, str(c)) for c in cohorts)]
        fields["origin"].choices = [("", _("All")), *Case.Origin.choices]
        fields["quiet_days"].choices = [
            ("", _("Any time")),
            *[(n, _("%(n)s days or more") % {"n": n}) for n in QUIET_DAYS],
        ]
        fields["responsible"].choices = [("", _("Anyone")), ("me", _("Me"))]  # fmt: skip
        _style(self)

    def to_filters(self) -> CaseFilters:
        if not self.is_bound:
            return CaseFilters()
        self.is_valid()
        data = self.cleaned_data  # the valid fields only: an invalid value is no filter
        sort = text_param(self.data.get("sort"), max_length=20)
        return CaseFilters(
            status=data.get("status") or OPEN_CASES,
            difficulty_type=data.get("difficulty_type"),
            level=data.get("level"),
            school=data.get("school"),
            class_group=data.get("class_group"),
            cohort=data.get("cohort"),
            responsible_me=data.get("responsible") == "me",
            origin=data.get("origin") or "",
            q=data.get("q") or "",
            quiet_days=data.get("quiet_days"),
            sort=sort if sort.removeprefix("-") in CASE_SORTS else "",
        )


class StudentFileFilterForm(StudentFilterForm):
    """The registry's student search plus the case: its status (or none) and its level."""

    case_status = forms.ChoiceField(label=_("Case"), required=False)
    case_level = forms.ChoiceField(label=_("Level"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All")), *STAGE_CHOICES]
    )

    def __init__(self, *args: Any, actor: RoleAssignment | None, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        fields: Any = self.fields
        open_statuses = [(v, label) for v, label in Case.Status.choices if v in OPEN]
        fields["case_status"].choices = [
            ("", _("All")),
            (NO_CASE, _("No open case")),
            *open_statuses,
        ]
        fields["case_level"].choices = [
            ("", _("All")),
            *[(str(v), label) for v, label in Level.choices],
        ]
        _all_first(self)
        _style(self)

    def lifecycle_stage(self) -> str:
        """The lifecycle stage chosen (a valid one), or ""."""
        stage = self.data.get("stage", "") if self.is_bound else ""
        return stage if stage in dict(STAGE_CHOICES) else ""

    def case_filters(self) -> tuple[str, int | None]:
        """(case status or NO_CASE or "", level or None) from valid values only."""
        status = self.data.get("case_status", "") if self.is_bound else ""
        valid = {NO_CASE, *OPEN}
        level = int_param(self.data.get("case_level", "")) if self.is_bound else None
        return (status if status in valid else "", level if level in Level.values else None)

"""The office's article form and its steps (a formset): parsing only; the service checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhun.core.http import int_param
from jingzhun.org.models import Department, School
from jingzhun.tracking.publications import tags
from jingzhun.tracking.publications.models import PolicyArticle, ProcedureStep
from jingzhun.tracking.publications.services import ArticleInput, StepInput

TEXT = {"class": "form-control"}


class DepartmentField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        """Refuse what is no id before the query (SQLite cannot compare a 20-digit number)."""
        if value not in self.empty_values and int_param(str(value)) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SchoolsField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        for pk in value or ():
            if int_param(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super().clean(value)


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PolicyArticle.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))  # fmt: skip
    title = forms.CharField(label=_("Title"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False,
                              widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    body = forms.CharField(
        label=_("Body"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control font-monospace"}),
        help_text=_("Markdown: ## headings, **bold**, lists, links, tables. HTML is not allowed."),
    )  # fmt: skip
    department = DepartmentField(
        label=_("Responsible office"), queryset=Department.objects.none(), required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    contact = forms.CharField(label=_("Where to ask"), max_length=200, required=False,
                              widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    documents = forms.CharField(
        label=_("Documents needed"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("One per line."),
    )  # fmt: skip
    deadline = forms.DateField(label=_("Deadline"), required=False,
                               widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))  # fmt: skip
    tags = forms.CharField(label=_("Tags"), max_length=200, required=False,
                           widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    schools = SchoolsField(
        label=_("Schools"), queryset=School.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every school."),
    )  # fmt: skip
    cohorts = forms.CharField(label=_("Cohorts"), max_length=60, required=False,
                              widget=forms.TextInput(attrs=TEXT),
                              help_text=_("Graduation years, e.g. 2026 2027. Empty: every cohort."))  # fmt: skip

    def __init__(self, *args: Any, institution_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            institution_id=institution_id
        ).order_by("name")
        self.fields["schools"].queryset = School.objects.filter(  # type: ignore[attr-defined]
            institution_id=institution_id
        ).order_by("code")

    def clean_cohorts(self) -> list[int]:
        years = tags.cohorts(self.cleaned_data["cohorts"])
        if years is None:
            raise forms.ValidationError(
                _("Write graduation years such as 2026, separated by spaces.")
            )
        return years


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    what_to_do = forms.CharField(label=_("What to do"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))  # fmt: skip
    where = forms.CharField(label=_("Where / who"), max_length=200, required=False,
                            widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    documents = forms.CharField(label=_("Documents"), required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))  # fmt: skip
    deadline = forms.CharField(label=_("Deadline"), max_length=60, required=False,
                               widget=forms.TextInput(attrs=TEXT))  # fmt: skip


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, max_num=30, absolute_max=30)


def initial_of(article: PolicyArticle) -> dict[str, Any]:
    return {
        "kind": article.kind, "title": article.title, "summary": article.summary,
        "body": article.body, "department": article.department_id, "contact": article.contact,
        "documents": article.documents, "deadline": article.deadline,
        "tags": " ".join(article.tag_list), "schools": list(article.schools.all()),
        "cohorts": " ".join(str(c.cohort) for c in article.audience_cohorts.all()),
    }  # fmt: skip


def steps_initial(article: PolicyArticle) -> list[dict[str, Any]]:
    fields = ("title", "what_to_do", "where", "documents", "deadline")
    steps: list[ProcedureStep] = list(article.steps.all())
    return [{f: getattr(step, f) for f in fields} for step in steps]


def article_input(form: ArticleForm, steps: Any) -> ArticleInput:
    data = form.cleaned_data
    return ArticleInput(
        kind=data["kind"], title=data["title"], summary=data["summary"], body=data["body"],
        department=data["department"], contact=data["contact"], documents=data["documents"],
        deadline=data["deadline"], tags=data["tags"], schools=list(data["schools"]),
        cohorts=data["cohorts"],
        steps=[
            StepInput(**{k: v for k, v in step.items() if k != "DELETE"})
            for step in steps.cleaned_data
            if step and not step.get("DELETE")
        ],
    )  # fmt: skip

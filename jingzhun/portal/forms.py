"""The self-application form: parses what the student ticked and wrote. The rules (which
types, how long, who may apply) are the identification service's; the form only mirrors
them so that every mistake is shown at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jingzhun.core.http import int_param
from jingzhun.identification import services
from jingzhun.identification.models import DifficultyType
from jingzhun.identification.selectors import self_application_types
from jingzhun.tracking.satisfaction.models import StudentFeedback
from jingzhun.tracking.satisfaction.services import FEEDBACK_MAX, FEEDBACK_MIN


class TypeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DifficultyType) -> str:
        return obj.name

    def clean(self, value: Any) -> Any:
        """Refuse what is no id before the query (SQLite cannot compare a 20-digit number)."""
        for pk in value or ():
            if int_param(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super().clean(value)


class SelfApplicationForm(forms.Form):
    types = TypeChoiceField(
        label=_("What makes finding a job hard for you?"),
        queryset=DifficultyType.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input flex-shrink-0"}),
        error_messages={"required": _("Choose at least one kind of difficulty.")},
    )
    note = forms.CharField(
        label=_("Why do you need help?"),
        max_length=services.SELF_APPLICATION_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("A few sentences in your own words: your situation and the help you hope for."),
        error_messages={"required": _("Tell us in a few words why you need help.")},
    )
    confirm = forms.BooleanField(
        label=_("I confirm the information is true"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Please confirm that the information is true.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["types"].queryset = self_application_types()  # type: ignore[attr-defined]


class FeedbackForm(forms.Form):
    """意见反馈: a topic and a few sentences (the lengths are the service's)."""

    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", "—"), *StudentFeedback.Topic.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Choose a topic.")},
    )
    text = forms.CharField(
        label=_("Your feedback"),
        min_length=FEEDBACK_MIN,
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        error_messages={"required": _("Write a few words.")},
    )

"""The registration form, shared by the staff page and the student portal: it parses input;
the rules (evidence per code, wage, deadline, contact rule) are the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhun.core.errors import DomainError
from jingzhun.students.models import DestinationCode
from jingzhun.tracking.destinations.reference import EVIDENCE_LABELS
from jingzhun.tracking.destinations.services import DestinationInput, EvidenceUpload

_INPUT = {"class": "form-control"}


class DestinationForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Destination"), widget=forms.Select(attrs={"class": "form-select"})
    )
    employer_name = forms.CharField(
        label=_("Employer or school"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs=_INPUT),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs=_INPUT),
    )
    city = forms.CharField(
        label=_("City"), max_length=30, required=False, widget=forms.TextInput(attrs=_INPUT)
    )
    monthly_wage = forms.IntegerField(
        label=_("Monthly wage (yuan)"),
        min_value=1,
        max_value=200_000,
        required=False,
        widget=forms.NumberInput(attrs={**_INPUT, "inputmode": "numeric"}),
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={**_INPUT, "type": "date"}),
    )
    evidence_kind = forms.ChoiceField(
        label=_("Evidence"),
        choices=[("", "—"), *EVIDENCE_LABELS.items()],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    evidence_file = forms.FileField(
        label=_("File or photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={**_INPUT, "accept": "image/*,.pdf,.docx"}),
    )
    evidence_valid_until = forms.DateField(label=_("Valid until"), required=False,
                                           widget=forms.DateInput(attrs={**_INPUT, "type": "date"}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [("", "—")] + [
            (c.pk, f"{c.pk} {c.name}") for c in DestinationCode.objects.order_by("code")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("evidence_file") and not data.get("evidence_kind"):
            self.add_error("evidence_kind", _("Choose what kind of document this is."))
        return data

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a refusal of the service at the field it names (else above the form)."""
        field = {"evidence": "evidence_file"}.get(exc.field or "", exc.field)
        self.add_error(field if field in self.fields else None, exc.message)

    def destination_input(self) -> DestinationInput:
        d = self.cleaned_data
        return DestinationInput(
            code=d["code"], employer_name=d["employer_name"], credit_code=d["credit_code"],
            city=d["city"], monthly_wage=d["monthly_wage"], start_date=d["start_date"],
        )  # fmt: skip

    def evidence(self) -> list[EvidenceUpload]:
        d = self.cleaned_data
        if not d.get("evidence_file"):
            return []
        return [EvidenceUpload(kind=d["evidence_kind"], file=d["evidence_file"],
                               valid_until=d.get("evidence_valid_until"))]  # fmt: skip

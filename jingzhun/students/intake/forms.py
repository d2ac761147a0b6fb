from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhun.core.sheetreader import PREVIEW_ROWS
from jingzhun.core.tabular import CSV_SUFFIXES, EXCEL_SUFFIXES
from jingzhun.students.intake.kinds import KindSpec
from jingzhun.students.intake.models import ImportBatch

ACCEPT = ",".join(sorted(EXCEL_SUFFIXES | CSV_SUFFIXES))
# The header row is chosen among the rows the reader keeps for the preview.
MAX_HEADER_ROW = PREVIEW_ROWS - 5


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Data"))
    source = forms.CharField(label=_("Source system (optional)"), required=False, max_length=60,
                             help_text=_("A saved column mapping for this source is reused."))  # fmt: skip
    file = forms.FileField(
        label=_("File (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, kinds: list[KindSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.slug, k.label) for k in kinds]  # type: ignore[attr-defined]


class MappingForm(forms.Form):
    """Sheet, header row and one field choice per column of the header row."""

    sheet = forms.ChoiceField(label=_("Sheet"))
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=MAX_HEADER_ROW)
    save_for_source = forms.CharField(
        label=_("Save this mapping for source"), required=False, max_length=60
    )

    def __init__(
        self, *args: Any, kind: KindSpec, sheets: list[str], headers: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(s, s) for s in sheets]  # type: ignore[attr-defined]
        options = [
            ("", _("(ignore)")),
            *[(f.name, f.label + (" *" if f.required else "")) for f in kind.fields],
        ]
        self.columns = []
        for index, header in enumerate(headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or f"#{index + 1}", choices=options, required=False
            )
            self.columns.append(name)

    def mapping(self) -> dict[int, str]:
        return {
            int(n.removeprefix("col_")): self.cleaned_data[n]
            for n in self.columns
            if self.cleaned_data.get(n)
        }


class ApplyForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to apply"), choices=ImportBatch.Mode.choices, widget=forms.RadioSelect
    )

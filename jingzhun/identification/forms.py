"""The rule editor: a rule's header and a list of conditions joined by 'all' or 'any'.

Conditions nested deeper than one group stay editable as JSON in the back office; the
editor shows them read-only rather than flattening them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingzhun.identification import rules as rule_engine
from jingzhun.identification.catalogue import FEATURES, FEATURES_BY_NAME
from jingzhun.identification.models import Level, Rule
from jingzhun.identification.rules import OP_WORDS, OPS_BY_KIND
from jingzhun.identification.selectors import staff_types

MATCH_CHOICES = [("all", _("all of these conditions hold")), ("any", _("any of these holds"))]
OP_CHOICES = [(op, OP_WORDS[op])
              for op in dict.fromkeys(op for ops in OPS_BY_KIND.values() for op in ops)]  # fmt: skip


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if select else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("aria-label", str(field.label))  # fmt: skip


class RuleHeaderForm(BootstrapForm):
    name = forms.CharField(label=_("Rule name"), max_length=100)
    difficulty_type = forms.ModelChoiceField(label=_("Difficulty type"), queryset=staff_types())
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int)
    match = forms.ChoiceField(label=_("Match"), choices=MATCH_CHOICES, initial="all")
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    effective_to = forms.DateField(
        label=_("Effective to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("The end date is before the start date."))
        return data


class TaggedSelect(forms.Select):
    """A select whose options carry a data attribute (`tags`: value → attribute value), so
    the rule form's script can match operators to the chosen field's kind."""

    def __init__(self, attribute: str, tags: dict[str, str]) -> None:
        super().__init__()
        self.attribute, self.tags = attribute, tags

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"][self.attribute] = self.tags.get(str(option["value"]), "")
        return option


FIELD_KINDS = {f.name: f.kind.value for f in FEATURES}
OP_KINDS = {op: " ".join(kind.value for kind, ops in OPS_BY_KIND.items() if op in ops)
            for op, _word in OP_CHOICES}  # fmt: skip


class ConditionForm(BootstrapForm):
    field = forms.ChoiceField(
        label=_("Field"),
        choices=[("", "—"), *[(f.name, f.label) for f in FEATURES]],
        required=False,
        widget=TaggedSelect("data-kind", FIELD_KINDS),
    )
    op = forms.ChoiceField(
        label=_("Operator"),
        choices=OP_CHOICES,
        required=False,
        widget=TaggedSelect("data-kinds", OP_KINDS),
    )
    value = forms.CharField(label=_("Value"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = data.get("field")
        if not name:
            return data  # an empty row is ignored
        feature = FEATURES_BY_NAME[name]
        op = data.get("op") or ""
        if op not in OPS_BY_KIND[feature.kind]:
            self.add_error(
                "op",
                _("This field takes: %(ops)s") % {"ops": rule_engine.operator_words(feature.kind)},
            )
            return data
        try:
            value = rule_engine.parse_value(feature, op, data.get("value", ""))
            leaf = {"field": name, "op": op} | ({} if value is None else {"value": value})
            rule_engine.validate(leaf)
        except rule_engine.RuleError as exc:
            self.add_error("value", str(exc))
            return data
        data["leaf"] = leaf
        return data


ConditionFormSet = forms.formset_factory(ConditionForm, extra=2, max_num=12, absolute_max=12)


def condition_of(header: RuleHeaderForm, conditions: Any) -> dict[str, Any] | None:
    """The condition tree from valid forms; None (with a formset error) if no row is filled."""
    leaves = [f.cleaned_data["leaf"] for f in conditions.forms if f.cleaned_data.get("leaf")]
    if not leaves:
        conditions._non_form_errors = conditions.error_class([_("Add at least one condition.")])
        return None
    if len(leaves) == 1:
        return leaves[0]
    return {header.cleaned_data["match"]: leaves}


def is_flat(condition: dict[str, Any]) -> bool:
    """Editable here: one leaf, or one group of leaves."""
    for key in ("all", "any"):
        if key in condition:
            return all("all" not in c and "any" not in c for c in condition[key])
    return True


def initial_for(rule: Rule) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    condition = rule.condition
    match = "any" if "any" in condition else "all"
    leaves = condition.get(match, [condition]) if ("all" in condition or "any" in condition) else [condition]  # fmt: skip
    header = {
        "name": rule.name, "difficulty_type": rule.difficulty_type_id, "level": rule.level,
        "match": match, "effective_from": rule.effective_from, "effective_to": rule.effective_to,
    }  # fmt: skip
    rows = [
        {"field": leaf["field"], "op": leaf["op"],
         "value": rule_engine.value_text(FEATURES_BY_NAME[leaf["field"]], leaf["op"], leaf.get("value"))}
        for leaf in leaves
    ]  # fmt: skip
    return header, rows

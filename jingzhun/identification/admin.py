"""Back-office editing of identification reference data: difficulty types and rules.

A rule's condition is validated by the same engine that evaluates it, so a saved rule can
always run; every edit is audited (AuditedAdmin).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from jingzhun.core.admin import AuditedAdmin
from jingzhun.identification import rules as rule_engine
from jingzhun.identification.models import DifficultyType, Rule


@admin.register(DifficultyType)
class DifficultyTypeAdmin(AuditedAdmin):
    list_display = ["code", "name", "sensitivity"]


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = [
            "institution", "name", "difficulty_type", "level", "condition", "version",
            "effective_from", "effective_to", "author", "is_active",
        ]  # fmt: skip

    def clean_condition(self) -> Any:
        condition = self.cleaned_data["condition"]
        try:
            rule_engine.validate(condition)
        except rule_engine.RuleError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return condition


@admin.register(Rule)
class RuleAdmin(AuditedAdmin):
    form = RuleForm
    list_display = [
        "name",
        "difficulty_type",
        "level",
        "version",
        "effective_from",
        "effective_to",
        "is_active",
    ]
    list_filter = ["is_active", "difficulty_type", "level", "institution"]
    search_fields = ["name"]

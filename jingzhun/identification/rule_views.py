"""The rule set (employment office): read in words, edit as a new version, test before saving."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.identification import rules as rule_engine
from jingzhun.identification import services
from jingzhun.identification.access import RunnerRequiredMixin
from jingzhun.identification.catalogue import FEATURES
from jingzhun.identification.forms import (
    ConditionFormSet,
    RuleHeaderForm,
    condition_of,
    initial_for,
    is_flat,
)
from jingzhun.identification.models import Rule
from jingzhun.identification.selectors import (
    rule_list,
)


class RuleListView(RunnerRequiredMixin, View):
    """The rule set in words: current versions, then the history of each."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rules = [(r, rule_engine.describe(r.condition)) for r in rule_list(actor=self.actor)]
        return render(request, "identification/rule_list.html", {"rules": rules})


class RuleEditView(RunnerRequiredMixin, View):
    """New rule or the next version of one; "test this rule" previews its hits without saving."""

    def _rule(self, pk: int | None) -> Rule | None:
        return get_object_or_404(rule_list(actor=self.actor), pk=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        rule = self._rule(pk)
        if rule is not None and not is_flat(rule.condition):
            return self._render(request, rule, None, None, nested=True)
        header_initial, rows = (
            initial_for(rule) if rule else ({"effective_from": services.now_date()}, [])
        )
        header = RuleHeaderForm(initial=header_initial)
        conditions = ConditionFormSet(initial=rows, prefix="c")
        return self._render(request, rule, header, conditions)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        rule = self._rule(pk)
        header = RuleHeaderForm(request.POST)
        conditions = ConditionFormSet(request.POST, prefix="c")
        preview = None
        if header.is_valid() & conditions.is_valid():
            condition = condition_of(header, conditions)
            if condition is not None and request.POST.get("action") == "preview":
                preview = services.rule_preview_shown(
                    actor=self.actor, condition=condition, as_of=services.now_date(),
                    request=request,
                )  # fmt: skip
                if request.headers.get("HX-Request"):
                    return render(
                        request, "identification/_rule_preview.html", {"preview": preview}
                    )
            elif condition is not None:
                try:
                    saved = services.rule_save(
                        actor=self.actor, condition=condition, replaces=rule, request=request,
                        **{k: header.cleaned_data[k] for k in ("name", "difficulty_type", "level", "effective_from", "effective_to")},
                    )  # fmt: skip
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Rule “%(name)s” saved as version %(version)s.")
                                     % {"name": saved.name, "version": saved.version})  # fmt: skip
                    return redirect("identification:rule-list")
        if request.headers.get("HX-Request"):
            return render(request, "identification/_rule_preview.html", {"invalid": True})
        return self._render(request, rule, header, conditions, preview=preview)

    def _render(self, request: HttpRequest, rule: Rule | None, header: Any, conditions: Any,
                preview: Any = None, nested: bool = False) -> HttpResponse:  # fmt: skip
        fields = [
            (f, rule_engine.operator_words(f.kind), rule_engine.value_hint(f))
            for f in FEATURES
        ]  # fmt: skip
        context = {"rule": rule, "header": header, "conditions": conditions, "preview": preview,
                   "nested": nested, "fields": fields,
                   "described": rule_engine.describe(rule.condition) if rule else ""}  # fmt: skip
        return render(request, "identification/rule_form.html", context)


class RuleDeactivateView(RunnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = get_object_or_404(rule_list(actor=self.actor), pk=pk, is_active=True)
        services.rule_deactivate(actor=self.actor, rule=rule, request=request)
        messages.success(request, _("Rule “%(name)s” no longer runs.") % {"name": rule.name})
        return redirect("identification:rule-list")

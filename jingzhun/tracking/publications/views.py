"""政策与流程 in the console: the employment office writes, previews, publishes and
withdraws articles. Views parse and call one service or selector."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import Department, RoleAssignment
from jingzhun.tracking.publications import permissions, selectors, services
from jingzhun.tracking.publications.forms import (
    ArticleForm,
    StepFormSet,
    article_input,
    initial_of,
    steps_initial,
)
from jingzhun.tracking.publications.markdown import render_markdown
from jingzhun.tracking.publications.models import PolicyArticle

PAGE_SIZE = 20


class _OfficeView(RoleRequiredMixin, View):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_publish(actor)

    @property
    def institution_id(self) -> int:
        institution_id = self.actor.institution_id
        assert institution_id is not None  # can_publish requires one
        return institution_id

    def article(self, pk: int) -> PolicyArticle:
        try:
            return selectors.article_get(actor=self.actor, pk=pk)
        except PolicyArticle.DoesNotExist:
            raise Http404 from None


class ArticleListView(_OfficeView):
    def get(self, request: HttpRequest) -> HttpResponse:
        department_id = int_param(request.GET.get("department"))
        filters = selectors.ArticleFilters(
            query=text_param(request.GET.get("q"), max_length=60),
            kind=text_param(request.GET.get("kind"), max_length=20),
            status=text_param(request.GET.get("status"), max_length=20),
            department_id=department_id,
        )
        articles = selectors.article_list(actor=self.actor, filters=filters)
        page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
        kept = {"q": filters.query, "kind": filters.kind, "status": filters.status,
                "department": department_id or ""}  # fmt: skip
        counts = selectors.article_counts(actor=self.actor, filters=filters)
        context: dict[str, Any] = {
            "page": page,
            "filters": filters,
            "counts": counts,
            "kinds": PolicyArticle.Kind.choices,
            "status_tabs": [(v, label, counts[v]) for v, label in PolicyArticle.Status.choices],
            "departments": Department.objects.filter(institution_id=self.institution_id)
            .order_by("name"),
            "querystring": urlencode({k: v for k, v in kept.items() if v}),
            "status_querystring": urlencode({k: v for k, v in kept.items() if v and k != "status"}),
        }  # fmt: skip
        return render(request, "tracking/article_list.html", context)


class ArticleEditView(_OfficeView):
    """New (no pk) or edit: the article and its steps in one form."""

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        article = self.article(pk) if pk is not None else None
        form = ArticleForm(
            initial=initial_of(article) if article else {}, institution_id=self.institution_id
        )
        steps = StepFormSet(initial=steps_initial(article) if article else [], prefix="steps")
        return self._render(request, article, form, steps)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        article = self.article(pk) if pk is not None else None
        form = ArticleForm(request.POST, institution_id=self.institution_id)
        steps = StepFormSet(request.POST, prefix="steps")
        if form.is_valid() and steps.is_valid():
            try:
                saved = services.article_save(
                    actor=self.actor, article=article, data=article_input(form, steps),
                    request=request,
                )  # fmt: skip
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
                if request.POST.get("then") == "preview":
                    return redirect("tracking:article-preview", pk=saved.pk)
                return redirect("tracking:article-edit", pk=saved.pk)
        return self._render(request, article, form, steps)

    def _render(self, request: HttpRequest, article: PolicyArticle | None, form: ArticleForm,
                steps: Any) -> HttpResponse:  # fmt: skip
        return render(request, "tracking/article_edit.html",
                      {"article": article, "form": form, "steps": steps})  # fmt: skip


class ArticlePreviewView(_OfficeView):
    """The article as a student will read it, whatever its status."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = self.article(pk)
        context = {"article": article, "body": render_markdown(article.body), "preview": True}
        return render(request, "tracking/article_preview.html", context)


class ArticleStepView(_OfficeView):
    """Publish or withdraw (POST, confirmed in the page)."""

    http_method_names = ["post"]
    STEPS = {"publish": services.article_publish, "unpublish": services.article_unpublish}

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        if step not in self.STEPS:
            raise Http404
        article = self.article(pk)
        try:
            self.STEPS[step](actor=self.actor, article=article, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            done = _("Published “%(title)s”: students can read it now.") if step == "publish" \
                else _("Withdrew “%(title)s”: students no longer see it.")  # fmt: skip
            messages.success(request, done % {"title": article.title})
        return redirect("tracking:article-preview", pk=article.pk)

"""政策与办事流程 on the portal: the student's list (search, kind, 新 badges) and one article
with its steps. Reads only: the selectors decide what a student may see."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views import View

from jingzhun.core.http import text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.tracking.publications import services
from jingzhun.tracking.publications.markdown import render_markdown
from jingzhun.tracking.publications.models import PolicyArticle
from jingzhun.tracking.publications.search import MAX_QUERY
from jingzhun.tracking.publications.selectors import own_student, policy_get, policy_list

PAGE_SIZE = 10


class _StudentView(RoleRequiredMixin, View):
    allowed_roles = {Role.STUDENT}

    def student(self) -> Student:
        student = own_student(actor=self.actor)
        if student is None:
            raise Http404
        return student


class PolicyListView(_StudentView):
    def get(self, request: HttpRequest) -> HttpResponse:
        student = self.student()
        query = text_param(request.GET.get("q"), max_length=MAX_QUERY)
        kind = text_param(request.GET.get("kind"), max_length=20)
        kind = kind if kind in PolicyArticle.Kind.values else ""
        visit = services.policy_visit_record(student=student)
        articles = policy_list(student=student, since=visit.previous_at, query=query, kind=kind)
        page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
        context: dict[str, Any] = {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": PolicyArticle.Kind.choices,
            "new_count": policy_list(student=student, since=visit.previous_at)
            .filter(Q(is_new=True))
            .count(),
            "querystring": urlencode({k: v for k, v in (("q", query), ("kind", kind)) if v}),
        }  # fmt: skip
        return render(request, "portal/policy_list.html", context)


class PolicyDetailView(_StudentView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        student = self.student()
        try:
            article = policy_get(student=student, pk=pk)
        except PolicyArticle.DoesNotExist:
            raise Http404 from None
        services.policy_read_mark(student=student, article=article)
        context = {"article": article, "body": render_markdown(article.body), "preview": False}
        return render(request, "portal/policy_detail.html", context)

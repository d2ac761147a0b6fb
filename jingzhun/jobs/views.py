"""Employers and postings in the console: lists with filters and counts, detail, vetting."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, text_param
from jingzhun.core.masking import mask_phone
from jingzhun.jobs import permissions, selectors, services
from jingzhun.jobs.models import Education, Employer
from jingzhun.jobs.places import city_name
from jingzhun.jobs.push_views import push_context
from jingzhun.jobs.recommendations import recommendations_for, stored_for
from jingzhun.jobs.runs import recommendation_run_start
from jingzhun.jobs.salary import salary_shown
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.students.selectors import student_get

PAGE = 50


class EmployerReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_employers(actor)


class EmployerManagerMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_manage_employers(actor)


class PostingReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_postings(actor)


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE).get_page(int_param(request.GET.get("page")) or 1)


class EmployerListView(EmployerReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = selectors.EmployerFilters(
            q=text_param(request.GET.get("q"), max_length=100),
            vetting=text_param(request.GET.get("vetting"), max_length=12),
        )
        page = _page(request, selectors.employer_list(actor=self.actor, filters=filters)
                     .prefetch_related("contacts"))  # fmt: skip
        for employer in page:
            employer.contacts_shown = [
                (c.name, c.title, mask_phone(c.phone)) for c in employer.contacts.all()
            ]
        query = urlencode(
            [(k, v) for k, v in (("q", filters.q), ("vetting", filters.vetting)) if v]
        )
        context = {
            "page": page, "filters": filters, "querystring": query,
            "vettings": Employer.Vetting.choices,
            "can_vet": permissions.can_manage_employers(self.actor),
        }  # fmt: skip
        return render(request, "jobs/employer_list.html", context)


class EmployerVetView(EmployerManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        employer = selectors.employer_get(actor=self.actor, pk=pk)
        if employer is None:
            raise Http404
        try:
            services.employer_vet(
                actor=self.actor, employer=employer, request=request,
                vetting=text_param(request.POST.get("vetting"), max_length=12),
                reason=text_param(request.POST.get("reason"), max_length=2000),
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Vetting saved: %(name)s") % {"name": employer.name})
        return redirect("jobs:employer-list")


def _posting_filters(request: HttpRequest) -> selectors.PostingFilters:
    education = int_param(request.GET.get("education"), minimum=0, maximum=6)
    state = text_param(request.GET.get("state"), max_length=10)
    city = text_param(request.GET.get("city"), max_length=6)
    return selectors.PostingFilters(
        q=text_param(request.GET.get("q"), max_length=100),
        city=city if city.isdigit() and len(city) == 6 else "",
        education=education,
        salary_from=int_param(request.GET.get("salary_from"), minimum=0, maximum=10_000_000),
        salary_to=int_param(request.GET.get("salary_to"), minimum=0, maximum=10_000_000),
        employer=int_param(request.GET.get("employer")),
        state=state if state in {selectors.ACTIVE, selectors.EXPIRED, selectors.ALL} else selectors.ACTIVE,
        flags=tuple(f for f in request.GET.getlist("flag")[:3] if f in selectors.FLAGS),
    )  # fmt: skip


def _query(filters: selectors.PostingFilters) -> str:
    pairs: list[tuple[str, Any]] = [
        (k, getattr(filters, k))
        for k in ("q", "city", "education", "salary_from", "salary_to", "employer", "state")
        if getattr(filters, k) not in (None, "")
    ]
    return urlencode(pairs + [("flag", f) for f in filters.flags])


class PostingListView(PostingReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _posting_filters(request)
        page = _page(request, selectors.posting_list(actor=self.actor, filters=filters))
        for posting in page:
            posting.salary_shown = salary_shown(
                posting.salary_min, posting.salary_max, posting.salary_months
            )
            posting.city_shown = (
                city_name(posting.city_code) if posting.city_code else posting.city_text
            )
        cities = [(c, city_name(c)) for c in selectors.posting_cities(actor=self.actor)]
        can_run = permissions.can_manage_employers(self.actor)
        context = {
            "page": page, "filters": filters, "querystring": _query(filters), "cities": cities,
            "educations": Education.choices, "can_run": can_run,
            "last_run": selectors.recommendation_run_latest(actor=self.actor) if can_run else None,
            "states": [(selectors.ACTIVE, _("Active")), (selectors.EXPIRED, _("Expired")), (selectors.ALL, _("All"))],
            "flags": [("disability_friendly", _("Disability-friendly")), ("internship", _("Internship (见习)")),
                      ("grassroots", _("Grassroots project"))],
        }  # fmt: skip
        return render(request, "jobs/posting_list.html", context)


class PostingDetailView(PostingReaderMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        posting = selectors.posting_get(actor=self.actor, pk=pk)
        if posting is None:
            raise Http404
        context = {
            "posting": posting,
            "salary": salary_shown(posting.salary_min, posting.salary_max, posting.salary_months),
            "city": city_name(posting.city_code) if posting.city_code else posting.city_text,
            "can_read_employers": permissions.can_read_employers(self.actor),
            "can_push": permissions.can_push(self.actor),
        }
        return render(request, "jobs/posting_detail.html", context)


class StudentRecommendationsView(PostingReaderMixin, View):
    """The postings that fit one student best, with the reason for each (computed now)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        student = student_get(actor=self.actor, pk=pk)  # 404 outside the actor's scope
        found, computed_at = stored_for(student=student), None
        if found:
            computed_at = found[0].computed_at
        else:
            found = recommendations_for(student=student)
        rows = [
            (r, salary_shown(r.posting.salary_min, r.posting.salary_max, r.posting.salary_months),
             city_name(r.posting.city_code) if r.posting.city_code else r.posting.city_text)
            for r in found
        ]  # fmt: skip
        context = {"student": student, "rows": rows, "computed_at": computed_at,
                   **push_context(actor=self.actor, student=student)}  # fmt: skip
        return render(request, "jobs/student_recommendations.html", context)


class RecommendationRunStartView(EmployerManagerMixin, View):
    """Compute the recommendations of every active case in the background."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            recommendation_run_start(actor=self.actor, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Recommendations for every active case are being computed.")
            )
        return redirect("jobs:posting-list")

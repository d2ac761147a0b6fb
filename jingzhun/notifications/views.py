"""The in-app side: the bell's count, the list, marking read. Every user, whatever their role,
sees only their own notifications (another user's answers 404, like a missing one)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jingzhun.core.http import next_url, safe_redirect_target
from jingzhun.core.middleware import passive_session
from jingzhun.notifications import selectors, services

PAGE_SIZE = 20
LIST = "notifications:list"


class NotificationListView(LoginRequiredMixin, View):
    """通知: the user's notifications, newest first, all or unread only, paged."""

    def get(self, request: HttpRequest) -> HttpResponse:
        show = "unread" if request.GET.get("show") == "unread" else "all"
        rows = selectors.notification_list(user=request.user, unread_only=show == "unread")  # type: ignore[arg-type]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context: dict[str, Any] = {
            "page": page,
            "show": show,
            "unread": selectors.unread_count(user=request.user),  # type: ignore[arg-type]
            "querystring": f"show={show}",
        }
        return render(request, "notifications/notification_list.html", context)


class NotificationBellView(LoginRequiredMixin, View):
    """The bell's fragment with the unread count; htmx polls it from the top bar."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unread = selectors.unread_count(user=request.user)  # type: ignore[arg-type]
        response = render(request, "notifications/_bell.html", {"unread": unread})
        response["Cache-Control"] = "no-store"
        # Polled every minute from every open page: it must not keep an idle session alive.
        return passive_session(response)


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one notification read; with `open`, then follow its link (paths on this site)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = selectors.notification_get(user=request.user, pk=pk)  # type: ignore[arg-type]
        if notification is None:
            raise Http404
        services.notification_mark_read(user=request.user, notification=notification)  # type: ignore[arg-type]
        if request.POST.get("open"):
            return redirect(safe_redirect_target(request, notification.url, LIST))
        messages.success(request, _("Marked “%(title)s” as read.") % {"title": notification.title})
        return redirect(next_url(request, LIST))


class NotificationReadAllView(LoginRequiredMixin, View):
    """Mark every unread notification of the user read, saying how many."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
        if count:
            messages.success(request, ngettext(
                "Marked %(count)s notification as read.",
                "Marked %(count)s notifications as read.", count,
            ) % {"count": count})  # fmt: skip
        else:
            messages.info(request, _("There was nothing unread."))
        return redirect(next_url(request, LIST))

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.http import next_url
from jingzhun.org.forms import LoginForm
from jingzhun.org.middleware import ACTIVE_ROLE_SESSION_KEY
from jingzhun.org.services import password_changed, role_switch


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; required first for an account with a one-time password."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=self.request.user, request=self.request)
        messages.success(self.request, _("Your password was changed."))
        return response


class RoleSwitchView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        assignment = role_switch(
            acting_user=request.user,
            assignment_id=request.POST.get("assignment", ""),
            request=request,
        )
        request.session[ACTIVE_ROLE_SESSION_KEY] = assignment.pk
        return HttpResponseRedirect(next_url(request, "home"))

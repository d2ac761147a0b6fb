from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from jingzhun.analytics.views import HomeView
from jingzhun.api.api import api
from jingzhun.org import views as org_views

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("logout/", org_views.LogoutView.as_view(), name="logout"),
    path("role/", org_views.RoleSwitchView.as_view(), name="role-switch"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("students/", include("jingzhun.students.urls")),
    path("identification/", include("jingzhun.identification.urls")),
    path("portal/", include("jingzhun.portal.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

from django.urls import path

from jingzhun.students import views
from jingzhun.students.intake import setup_views
from jingzhun.students.intake import views as intake

app_name = "students"

# The list (`students:list`, its export `students:export`) and the student's file
# (`students:detail`, `students:detail-tab`) show the later stages too (case status, timeline),
# so the case file app serves them:
# `config/urls.py` mounts `jingzhun.casefile.urls.student_patterns` in this namespace.
urlpatterns = [
    path("me/", views.StudentMeView.as_view(), name="me"),
    path("<int:pk>/reveal/", views.StudentRevealView.as_view(), name="reveal"),
    path("imports/", intake.ImportListView.as_view(), name="import-list"),
    path("imports/<int:pk>/", intake.ImportDetailView.as_view(), name="import-detail"),
    path(
        "imports/<int:pk>/configure/", intake.ImportConfigureView.as_view(), name="import-configure"
    ),
    path("imports/<int:pk>/apply/", intake.ImportApplyView.as_view(), name="import-apply"),
    path("imports/<int:pk>/retry/", intake.ImportRetryView.as_view(), name="import-retry"),
    path("imports/<int:pk>/errors.xlsx", intake.ImportErrorsView.as_view(), name="import-errors"),
    path("imports/<int:pk>/file/", intake.ImportFileView.as_view(), name="import-file"),
    path(
        "imports/<int:pk>/passwords.xlsx",
        setup_views.ImportPasswordsView.as_view(),
        name="import-passwords",
    ),
    path(
        "imports/<int:pk>/propose-units/",
        setup_views.ImportProposeUnitsView.as_view(),
        name="import-propose-units",
    ),
    path("setup/", setup_views.SetupHomeView.as_view(), name="setup"),
    path(
        "setup/templates/<slug:kind>.xlsx",
        setup_views.SetupTemplateView.as_view(),
        name="setup-template",
    ),
]

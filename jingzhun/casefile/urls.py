"""The case list under `casefile:`; the student list and file under the names they always had.

`student_patterns` is mounted by `config/urls.py` inside the `students:` namespace (beside the
registry's own routes, which `students` cannot extend with later stages itself).
"""

from django.urls import path

from jingzhun.casefile import views

app_name = "casefile"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case-list"),
    path("export.xlsx", views.CaseExportView.as_view(), name="case-export"),
]

student_patterns = [
    path("", views.StudentFileListView.as_view(), name="list"),
    path("export.xlsx", views.StudentFileExportView.as_view(), name="export"),
    path("<int:pk>/", views.StudentFileView.as_view(), name="detail"),
    path("<int:pk>/tab/<slug:tab>/", views.StudentFileView.as_view(), name="detail-tab"),
]

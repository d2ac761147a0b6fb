from django.urls import path

from jingzhun.jobs import push_views, views

app_name = "jobs"

urlpatterns = [
    path("", views.PostingListView.as_view(), name="posting-list"),
    path("postings/<int:pk>/", views.PostingDetailView.as_view(), name="posting-detail"),
    path("postings/<int:pk>/push/", push_views.PostingPushView.as_view(), name="posting-push"),
    path(
        "students/<int:pk>/recommendations/",
        views.StudentRecommendationsView.as_view(),
        name="student-recommendations",
    ),
    path("students/<int:pk>/push/", push_views.StudentPushView.as_view(), name="student-push"),
    path("pushes/", push_views.PushListView.as_view(), name="push-list"),
    path("pushes/threshold/", push_views.PushThresholdView.as_view(), name="push-threshold"),
    path(
        "recommendations/run/",
        views.RecommendationRunStartView.as_view(),
        name="recommendation-run",
    ),
    path("employers/", views.EmployerListView.as_view(), name="employer-list"),
    path("employers/<int:pk>/vet/", views.EmployerVetView.as_view(), name="employer-vet"),
]

from django.urls import path

from jingzhun.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.PostingListView.as_view(), name="posting-list"),
    path("postings/<int:pk>/", views.PostingDetailView.as_view(), name="posting-detail"),
    path(
        "students/<int:pk>/recommendations/",
        views.StudentRecommendationsView.as_view(),
        name="student-recommendations",
    ),
    path(
        "recommendations/run/",
        views.RecommendationRunStartView.as_view(),
        name="recommendation-run",
    ),
    path("employers/", views.EmployerListView.as_view(), name="employer-list"),
    path("employers/<int:pk>/vet/", views.EmployerVetView.as_view(), name="employer-vet"),
]

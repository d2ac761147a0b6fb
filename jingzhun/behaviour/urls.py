from django.urls import path

from jingzhun.behaviour import views

app_name = "behaviour"

urlpatterns = [
    path("snapshots/", views.SnapshotListView.as_view(), name="snapshot-list"),
    path("computations/<int:pk>/retry/", views.BuildRetryView.as_view(), name="build-retry"),
]

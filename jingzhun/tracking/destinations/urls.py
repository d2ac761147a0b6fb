"""Destination pages, added to `tracking/urls.py`."""

from django.urls import path

from jingzhun.tracking.destinations import report_views, views

urlpatterns = [
    path("destinations/", views.DestinationListView.as_view(), name="destination-list"),
    path(
        "destinations/verify/",
        views.DestinationBulkVerifyView.as_view(),
        name="destination-bulk-verify",
    ),
    path(
        "destinations/new/<int:student_pk>/",
        views.DestinationRegisterView.as_view(),
        name="destination-new",
    ),
    path(
        "destinations/<int:pk>/", views.DestinationDetailView.as_view(), name="destination-detail"
    ),
    path(
        "destinations/<int:pk>/<slug:step>/",
        views.DestinationStepView.as_view(),
        name="destination-step",
    ),
    path(
        "destinations/evidence/<int:pk>/",
        views.EvidenceDownloadView.as_view(),
        name="destination-evidence",
    ),
    path(
        "destinations/checks/",
        report_views.DestinationChecksView.as_view(),
        name="destination-checks",
    ),
    path(
        "destinations/missing/",
        views.DestinationMissingView.as_view(),
        name="destination-missing",
    ),
    path("placement-rate/", report_views.PlacementRateView.as_view(), name="placement-rate"),
    path(
        "placement-rate/export/",
        report_views.PlacementRateExportView.as_view(),
        name="placement-rate-export",
    ),
]

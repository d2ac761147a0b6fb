from django.urls import URLPattern, URLResolver, path

from jingzhun.tracking.alerts import views as alert_views
from jingzhun.tracking.batches import views as batch_views

app_name = "tracking"

# Each area (destinations, alerts, batches, follow-ups, handover) adds its pages here.
urlpatterns: list[URLPattern | URLResolver] = []

urlpatterns += [
    path("alerts/", alert_views.AlertListView.as_view(), name="alert-list"),
    path("alerts/acknowledge/", alert_views.AlertBulkAcknowledgeView.as_view(), name="alert-bulk-acknowledge"),
    path("alerts/check/", alert_views.AlertCheckStartView.as_view(), name="alert-check-start"),
    path("alerts/<int:pk>/<slug:step>/", alert_views.AlertStepView.as_view(), name="alert-step"),
    path("batches/", batch_views.BatchNewView.as_view(), name="batch-new"),
    path("batches/<int:pk>/", batch_views.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/retry/", batch_views.BatchRetryView.as_view(), name="batch-retry"),
    path("batches/<int:pk>/export/", batch_views.BatchExportView.as_view(), name="batch-export"),
]  # fmt: skip

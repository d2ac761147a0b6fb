from django.urls import URLPattern, URLResolver, path

from jingzhun.tracking.alerts import views as alert_views
from jingzhun.tracking.batches import views as batch_views
from jingzhun.tracking.destinations.urls import urlpatterns as destination_patterns
from jingzhun.tracking.followups import views as followup_views
from jingzhun.tracking.handover import views as handover_views
from jingzhun.tracking.publications import urls as publication_urls
from jingzhun.tracking.satisfaction import urls as satisfaction_urls

app_name = "tracking"

# Each area (destinations, alerts, batches, follow-ups, handover) adds its pages here.
urlpatterns: list[URLPattern | URLResolver] = [
    *destination_patterns,
    *publication_urls.urlpatterns,
    *satisfaction_urls.urlpatterns,
    path("followups/", followup_views.FollowUpListView.as_view(), name="followup-list"),
    path(
        "followups/<int:pk>/", followup_views.FollowUpRecordView.as_view(), name="followup-record"
    ),
    path("handover/", handover_views.HandoverListView.as_view(), name="handover-list"),
    path("handover/new/", handover_views.HandoverCreateView.as_view(), name="handover-create"),
    path("handover/<int:pk>/", handover_views.HandoverDetailView.as_view(), name="handover-detail"),
    path(
        "handover/<int:pk>/export.xlsx",
        handover_views.HandoverExportView.as_view(),
        name="handover-export",
    ),
    path(
        "handover/<int:pk>/replies/",
        handover_views.HandoverRepliesUploadView.as_view(),
        name="handover-replies",
    ),
    path(
        "handover/<int:pk>/<slug:step>/",
        handover_views.HandoverStepView.as_view(),
        name="handover-step",
    ),
    path(
        "handover/entries/<int:pk>/reply/",
        handover_views.HandoverReplyView.as_view(),
        name="handover-reply",
    ),
]
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

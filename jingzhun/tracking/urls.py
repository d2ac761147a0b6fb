from django.urls import URLPattern, URLResolver

from jingzhun.tracking.publications import urls as publication_urls
from jingzhun.tracking.satisfaction import urls as satisfaction_urls

app_name = "tracking"

# Each area (destinations, alerts, batches, follow-ups, handover) adds its pages here.
urlpatterns: list[URLPattern | URLResolver] = [
    *publication_urls.urlpatterns,
    *satisfaction_urls.urlpatterns,
]

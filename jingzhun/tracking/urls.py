from django.urls import URLPattern, URLResolver

from jingzhun.tracking.destinations.urls import urlpatterns as destination_patterns

app_name = "tracking"

# Each area (destinations, alerts, batches, follow-ups, handover) adds its pages here.
urlpatterns: list[URLPattern | URLResolver] = [*destination_patterns]

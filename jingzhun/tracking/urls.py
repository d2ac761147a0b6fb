from django.urls import URLPattern, URLResolver

app_name = "tracking"

# Each area (destinations, alerts, batches, follow-ups, handover) adds its pages here.
urlpatterns: list[URLPattern | URLResolver] = []

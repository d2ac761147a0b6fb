from django.urls import path

from jingzhun.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("bell/", views.NotificationBellView.as_view(), name="bell"),
    path("<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="read-all"),
]

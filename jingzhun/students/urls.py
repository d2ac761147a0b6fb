from django.urls import path

from jingzhun.students import views

app_name = "students"

urlpatterns = [
    path("", views.StudentListView.as_view(), name="list"),
    path("me/", views.StudentMeView.as_view(), name="me"),
    path("<int:pk>/", views.StudentDetailView.as_view(), name="detail"),
    path("<int:pk>/tab/<slug:tab>/", views.StudentDetailView.as_view(), name="detail-tab"),
    path("<int:pk>/reveal/", views.StudentRevealView.as_view(), name="reveal"),
]

from django.urls import path

from warden.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("download", views.download, name="download"),
    path("background", views.background, name="background"),
]

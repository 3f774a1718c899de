from django.urls import path

from warden.region import views

app_name = "region"
urlpatterns = [
    path("", views.region_view, name="view"),
    path("import/", views.import_view, name="import"),
    path("case/<int:pk>/", views.case_panel_view, name="case_panel"),
]

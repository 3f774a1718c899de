from django.urls import path

from warden.ogl import views

app_name = "ogl"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("load/", views.load_view, name="load"),
    path("registrations/", views.registrations_view, name="registrations"),
    path("returns/", views.returns_view, name="returns"),
    path("registrations/<int:pk>/returns/", views.file_return_view, name="file_return"),
    path("registrations/<int:pk>/", views.registration_view, name="registration"),
    path("registrations/<int:pk>/uses/", views.report_use_view, name="report_use"),
    path("registrations/<int:pk>/status/", views.status_view, name="status"),
    path("<str:reference>/", views.detail_view, name="detail"),
    path("<str:reference>/register/", views.register_view, name="register"),
]

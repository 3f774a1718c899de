from django.urls import path

from warden.legislation import views

app_name = "legislation"
urlpatterns = [
    path("", views.index, name="index"),
    path("countries/", views.countries, name="countries"),
    path("lookup/", views.rating_lookup, name="lookup"),
    path("countries/<str:code>/", views.country, name="country"),
    path("impact/<int:pk>/", views.run_detail, name="run"),
    path("impact/<int:pk>/action/", views.run_action, name="run_action"),
    path("what-if/", views.what_if, name="what_if"),
]

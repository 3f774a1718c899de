from django.urls import path

from warden.transparency import views

app_name = "transparency"
urlpatterns = [
    path("transparency/", views.dashboard, name="dashboard"),
    path("transparency/<slug:slug>.csv", views.figure_csv, name="csv"),
    path("verify/", views.verify_form, name="verify_form"),
    # The code is matched loosely here and checked in verification.lookup, so a malformed code gets the
    # same "unknown code" page as an unknown one rather than a different 404.
    path("verify/<str:code>/", views.verify, name="verify"),
    path("cases/<int:pk>/refusal-letter.pdf", views.refusal_letter_pdf, name="refusal_letter"),
]

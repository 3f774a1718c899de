from django.urls import path

from warden.licences import views

app_name = "licences"
urlpatterns = [
    path("", views.licence_list, name="list"),
    path("<int:pk>/", views.licence_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.licence_action, name="act"),
    path("<int:pk>/licence.pdf", views.licence_pdf, name="pdf"),
    path("<int:pk>/returns/", views.returns_import, name="returns"),
    path("<int:pk>/amend/", views.propose_amendment, name="amend"),
]

from django.urls import path

from warden.denials import views

app_name = "denials"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("import/", views.import_view, name="import"),
    path("export/", views.export_view, name="export"),
    path("flags/<int:pk>/consult/", views.consult_view, name="consult"),
    path("consultations/<int:pk>/answer/", views.answer_view, name="answer"),
    path("consultations/<int:pk>/notice/", views.notice_view, name="notice"),
]

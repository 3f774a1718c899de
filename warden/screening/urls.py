from django.urls import path

from warden.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("matches/<int:pk>/decide/", views.decide_view, name="decide"),
    path("cases/<int:pk>/rescreen/", views.rescreen_view, name="rescreen"),
]

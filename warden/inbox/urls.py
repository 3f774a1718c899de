from django.urls import path

from warden.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<int:pk>/open/", views.open_view, name="open"),
    path("read-all/", views.read_all_view, name="read_all"),
    path("mail/", views.mail_view, name="mail"),
    path("bulletins/<int:pk>/", views.bulletin_view, name="bulletin"),
    path("bulletins/<int:pk>/acknowledge/", views.acknowledge_view, name="acknowledge"),
]

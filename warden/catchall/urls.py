from django.urls import path

from warden.catchall import views

app_name = "catchall"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/", views.new_view, name="new"),
    path("notices/", views.notices_view, name="notices"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/decide/", views.decide_view, name="decide"),
    path("<int:pk>/link/", views.link_view, name="link"),
    path("<int:pk>/letter/", views.letter_view, name="letter"),
    path("<int:pk>/customs/", views.customs_view, name="customs"),
]

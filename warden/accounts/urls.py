from django.urls import path

from warden.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("account/tokens/", views.tokens_view, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.revoke_token_view, name="revoke_token"),
    path("people/", views.people_view, name="people"),
    path("people/<int:pk>/deactivate/", views.deactivate_view, name="deactivate"),
]

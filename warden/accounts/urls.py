from django.urls import path

from warden.accounts import password_views, second_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/code/", second_factor_views.code_view, name="second_factor"),
    path("account/two-step/", second_factor_views.own_set_up_view, name="own_second_factor"),
    path("people/<int:pk>/reset-two-step/", second_factor_views.reset_view, name="reset_second_factor"),
    path("account/password/", password_views.password_change_view, name="password_change"),
    path("account/reset/", password_views.reset_request_view, name="reset"),
    path("account/reset/sent/", password_views.reset_sent_view, name="reset_sent"),
    path("account/reset/<uidb64>/<token>/", password_views.reset_confirm_view, name="reset_confirm"),
    path("account/tokens/", views.tokens_view, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.revoke_token_view, name="revoke_token"),
    path("people/", views.people_view, name="people"),
    path("people/<int:pk>/", views.person_view, name="person"),
    path("people/addresses/unlock/", views.unlock_address_view, name="unlock_address"),
    path("people/<int:pk>/deactivate/", views.deactivate_view, name="deactivate"),
    path("people/<int:pk>/reactivate/", views.reactivate_view, name="reactivate"),
    path("people/<int:pk>/unlock/", views.unlock_view, name="unlock"),
    path("people/<int:pk>/reset-password/", views.send_reset_view, name="send_reset"),
]

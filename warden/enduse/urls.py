from django.urls import path

from warden.enduse import views

app_name = "enduse"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("plan/", views.plan_view, name="plan"),
    path("<int:pk>/", views.check_view, name="check"),
    path("<int:pk>/record/", views.record_view, name="record"),
    path("<int:pk>/take/", views.take_view, name="take"),
    path("evidence/<int:pk>/", views.evidence_view, name="evidence"),
    path("<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("flags/<int:pk>/suspend/", views.suspend_view, name="suspend"),
    path("flags/<int:pk>/clear/", views.clear_view, name="clear"),
]

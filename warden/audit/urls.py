from django.urls import path

from warden.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("entry/<int:seq>/", views.entry, name="entry"),
    path("entry/<int:seq>/proof.json", views.entry_proof, name="entry_proof"),
    path("consistency.json", views.consistency_proof, name="consistency"),
    path("checkpoint", views.latest_checkpoint, name="checkpoint"),
    path("checkpoint/new", views.make_checkpoint, name="make_checkpoint"),
    path("public-key", views.public_key, name="public_key"),
]

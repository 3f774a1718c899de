from django.urls import path

from warden.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("new/", views.new_application, name="new"),
    path("new/upload/", views.upload_application, name="upload"),
    path("new/goods-line/", views.goods_line, name="goods_line"),
    path("new/party/", views.party_line, name="party_line"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_application, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.case_action, name="act"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document_download, name="document"),
]

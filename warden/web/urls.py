from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "web"


def _placeholder(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Warden")


urlpatterns = [path("", _placeholder, name="home")]

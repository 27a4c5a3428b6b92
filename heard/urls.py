from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from heard.console import login


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers that ask for /favicon.ico without reading the page's <link>."""
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("login/", login.LoginView.as_view(), name="login"),  # throttled per name and address
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("training/", include("heard.training.urls")),
    path("insights/", include("heard.insights.urls")),
    path("api/", include("heard.api.urls")),
    path("", include("heard.portal.urls")),
    path("", include("heard.console.urls")),
]

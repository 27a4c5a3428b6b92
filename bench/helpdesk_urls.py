"""django-helpdesk's pages, mounted as its documentation says: its emails link to them."""

from django.urls import include, path

urlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]

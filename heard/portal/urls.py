from django.urls import path

from heard.portal import views

app_name = "portal"
urlpatterns = [
    path("survey/<str:token>/", views.survey, name="survey"),
]

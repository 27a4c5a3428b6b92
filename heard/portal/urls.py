from django.urls import path

from heard.portal.views import survey, unsubscribe

app_name = "portal"
urlpatterns = [
    path("survey/<str:token>/", survey.survey, name="survey"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]

from django.urls import path

from heard.portal.views import (
    account,
    follow_up,
    preferences,
    requests,
    signin,
    survey,
    unsubscribe,
)

app_name = "portal"
urlpatterns = [
    path("follow-up/<str:token>/", follow_up.follow_up, name="follow_up"),
    path("survey/<str:token>/", survey.survey, name="survey"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    # The customer's portal: signing in by a link sent by email, then their own pages.
    path("portal/", signin.sign_in, name="sign_in"),
    path("portal/link/<str:token>/", signin.link, name="link"),
    path("portal/sign-out/", signin.sign_out, name="sign_out"),
    path("portal/requests/", requests.request_list, name="requests"),
    path("portal/requests/new/", requests.new_request, name="new_request"),
    path("portal/requests/<int:pk>/", requests.request_detail, name="request"),
    path(
        "portal/requests/<int:pk>/files/<int:attachment_pk>/",
        requests.attachment,
        name="attachment",
    ),
    path("portal/preferences/", preferences.preferences, name="preferences"),
    path("portal/account/", account.account, name="account"),
    path("portal/account/my-data.json", account.export, name="export"),
    path("portal/account/forget/", account.forget, name="forget"),
]

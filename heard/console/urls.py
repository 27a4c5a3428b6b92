from django.urls import path

from heard.console import forgetting, moments, views

app_name = "console"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", views.reply, name="reply"),
    path("tickets/<int:pk>/coach/", views.coach_reply, name="coach"),
    path("tickets/<int:pk>/note/", views.note, name="note"),
    path("tickets/<int:pk>/update/", views.update, name="update"),
    path(
        "tickets/<int:pk>/messages/<int:message_pk>/emotion/",
        views.correct_emotion,
        name="correct_emotion",
    ),
    path(
        "tickets/<int:pk>/emails/<int:raw_pk>.eml", views.original_email, name="original_email"
    ),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "tickets/<int:pk>/attachments/<int:attachment_pk>/preview/",
        views.attachment_preview,
        name="attachment_preview",
    ),
    path("tickets/<int:pk>/assign-to-me/", views.assign_to_me, name="assign_to_me"),
    path("tickets/<int:pk>/merge/", views.merge, name="merge"),
    path("tickets/<int:pk>/move/", views.move, name="move"),
    path("next/", views.next_ticket, name="next_ticket"),
    path("lead/", views.lead, name="lead"),
    path("notifications/", views.notifications, name="notifications"),
    path("moments/", moments.moments, name="moments"),
    path("moments/<int:pk>/", moments.moment, name="moment"),
    path("moments/<int:pk>/approve/", moments.approve, name="moment_approve"),
    path(
        "moments/<int:pk>/greetings/<int:greeting_pk>/skip/", moments.skip, name="moment_skip"
    ),
    path("forget-requests/", forgetting.forget_requests, name="forget_requests"),
    path(
        "forget-requests/<int:pk>/confirm/",
        forgetting.confirm_forgetting,
        name="confirm_forgetting",
    ),
]

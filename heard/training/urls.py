from django.urls import path

from heard.training import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("cases/<slug:slug>/exercise/", views.start_exercise, name="start_exercise"),
    path("cases/<slug:slug>/role-play/", views.start_role_play, name="start_role_play"),
    path("cases/<slug:slug>/live/", views.start_live, name="start_live"),
    path("exercises/<int:pk>/", views.exercise, name="exercise"),
    path("exercises/<int:pk>/feelings/", views.exercise_feelings, name="exercise_feelings"),
    path("exercises/<int:pk>/reply/", views.exercise_reply, name="exercise_reply"),
    path("role-plays/<int:pk>/", views.role_play, name="role_play"),
    path("role-plays/<int:pk>/reply/", views.role_play_reply, name="role_play_reply"),
    path("live/<int:pk>/", views.live, name="live"),
    path("live/<int:pk>/say/", views.live_say, name="live_say"),
    path("live/<int:pk>/switch/", views.live_switch, name="live_switch"),
    path("live/<int:pk>/end/", views.live_end, name="live_end"),
    path("attempts/", views.attempts, name="attempts"),
    path("progress/", views.progress_page, name="progress"),
    path("team/", views.team, name="team"),
    path("team/assign/", views.assign, name="assign"),
    path("team/ticket-case/", views.ticket_case_lookup, name="ticket_case_lookup"),
    path("tickets/<int:pk>/case/", views.ticket_case, name="ticket_case"),
    path("why-empathy-pays/", views.why_empathy_pays, name="pays"),
]

from django.urls import path

from heard.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("speed/", views.speed, name="speed"),
    path("empathy/", views.empathy, name="empathy"),
    path("de-escalation/", views.deescalation, name="deescalation"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
]

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "heard.desk"
    label = "desk"
    verbose_name = "Desk"

from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "heard.console"
    label = "console"
    verbose_name = "Agent console"

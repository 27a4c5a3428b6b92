from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "heard.desk"
    label = "desk"
    verbose_name = "Desk"

    def ready(self) -> None:
        from heard import checks  # noqa: F401  (registers the system checks)

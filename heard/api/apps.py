from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "heard.api"
    label = "api"
    verbose_name = "API and webhooks"

    def ready(self) -> None:
        from heard.api import kinds  # noqa: F401 (declares the staff notice)
        from heard.api.webhooks import receivers

        receivers.connect()

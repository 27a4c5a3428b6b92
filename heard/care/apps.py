from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "heard.care"
    label = "care"
    verbose_name = "Care"

    def ready(self) -> None:
        from heard.care import demo, kinds  # noqa: F401 (kinds: declares the care app's emails)
        from heard.desk import signals

        signals.demo_loaded.connect(demo.seed_surveys, dispatch_uid="care.demo")

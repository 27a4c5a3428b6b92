from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "heard.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from heard.desk import signals
        from heard.insights import demo, kinds  # noqa: F401 (kinds: declares the weekly digest)

        signals.demo_loaded.connect(demo.seed_insights, dispatch_uid="insights.demo")

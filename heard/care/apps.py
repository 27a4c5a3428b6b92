from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "heard.care"
    label = "care"
    verbose_name = "Care"

    def ready(self) -> None:
        from heard.care import demo, kinds, receivers  # noqa: F401 (kinds: declares the emails)
        from heard.care.moments.demo import seed_moments
        from heard.desk import signals

        signals.demo_loaded.connect(demo.seed_surveys, dispatch_uid="care.demo")
        signals.demo_loaded.connect(seed_moments, dispatch_uid="care.moments.demo")
        signals.customer_forgotten.connect(
            receivers.forget_customer_care, dispatch_uid="care.forget"
        )

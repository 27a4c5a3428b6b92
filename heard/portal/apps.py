from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "heard.portal"
    label = "portal"
    verbose_name = "Customer portal"

    def ready(self) -> None:
        from heard.desk import signals
        from heard.portal import kinds, receivers  # noqa: F401 (kinds: declares the portal's emails)

        signals.customer_forgotten.connect(
            receivers.forget_sign_in_links, dispatch_uid="portal.forget"
        )

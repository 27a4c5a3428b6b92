from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "heard.mail"
    label = "mail"
    verbose_name = "Mail"

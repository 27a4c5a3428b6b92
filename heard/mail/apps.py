from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "heard.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self) -> None:
        from heard.desk import signals
        from heard.mail import receivers

        signals.agent_replied.connect(receivers.email_agent_reply, dispatch_uid="mail.reply")
        signals.ticket_escalated.connect(
            receivers.email_escalation_to_lead, dispatch_uid="mail.escalation"
        )
        signals.tickets_merged.connect(receivers.follow_merged_ticket, dispatch_uid="mail.merge")
        signals.written_again_unanswered.connect(
            receivers.update_waiting_customers, dispatch_uid="mail.update"
        )
        signals.customer_forgotten.connect(
            receivers.forget_customer_mail, dispatch_uid="mail.forget"
        )

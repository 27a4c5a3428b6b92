from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "heard.training"
    label = "training"
    verbose_name = "Training studio"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from heard.desk import signals
        from heard.training import demo, receivers

        signals.agent_replied.connect(receivers.coach_sent_reply, dispatch_uid="training.reply")
        signals.demo_loaded.connect(demo.seed_training, dispatch_uid="training.demo")
        post_migrate.connect(receivers.load_cases, sender=self, dispatch_uid="training.cases")

# Written by hand (as `makemigrations care --dry-run` shows it) for heard.care.models.FollowUp.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
        ("desk", "0010_customer_updates_team_follow_ups"),
        ("mail", "0005_kinds_unsubscribe_web"),
    ]

    operations = [
        migrations.CreateModel(
            name="FollowUp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "answer",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("better", "Better now"),
                            ("not_yet", "Not yet"),
                            ("broken", "Still broken"),
                        ],
                        max_length=8,
                    ),
                ),
                (
                    "words",
                    models.TextField(
                        blank=True, help_text="What the customer added to their answer."
                    ),
                ),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "email",
                    models.OneToOneField(
                        blank=True,
                        help_text="Empty when it was not sent (no address, or the caps on automatic mail).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="follow_up",
                        to="mail.outboundemail",
                    ),
                ),
                (
                    "ticket",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follow_up",
                        to="desk.ticket",
                    ),
                ),
            ],
        ),
    ]

# Written by hand (as `makemigrations care --dry-run` shows it) for heard.care.models.moment:
# proactive moments, their greetings, voucher codes and the greetings' audit rows.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0002_follow_ups"),
        ("desk", "0010_customer_updates_team_follow_ups"),
        ("mail", "0005_kinds_unsubscribe_web"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Moment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("occasion", models.CharField(choices=[("birthday", "Birthday"), ("anniversary", "Anniversary of becoming a customer"), ("date", "A day the team sets")], max_length=12)),
                ("years", models.PositiveSmallIntegerField(blank=True, help_text="Anniversary: how many years as a customer (e.g. 10).", null=True)),
                ("date", models.DateField(blank=True, help_text="A day the team sets: the day (its year ignored if yearly).", null=True)),
                ("yearly", models.BooleanField(default=True, help_text="A day the team sets: every year.")),
                ("plan_days", models.PositiveSmallIntegerField(default=3, help_text="Greetings are planned this many days before the day, so a lead can approve.", validators=[django.core.validators.MaxValueValidator(60)])),
                ("active_months", models.PositiveSmallIntegerField(default=24, help_text="An active customer opened a ticket within this many months.", validators=[django.core.validators.MinValueValidator(1)])),
                ("gift_kind", models.CharField(choices=[("none", "No gift: the greeting alone"), ("credit", "Free credit"), ("minutes", "Free minutes, messages or data"), ("voucher", "A voucher code from the moment's list")], default="none", max_length=8)),
                ("gift_text", models.CharField(blank=True, help_text="The gift as the greeting names it, e.g. '50 free minutes, 50 SMS and 300 MB'.", max_length=200)),
                ("gift_cost_cents", models.PositiveIntegerField(default=0, help_text="What one gift costs us.")),
                ("currency", models.CharField(default="EUR", max_length=3)),
                ("subject", models.CharField(help_text="The email's subject; may use {name}.", max_length=200)),
                ("greeting", models.TextField(help_text="The greeting, with {name} (how they like to be called) and {gift} (the gift as named above). Coached: wording that would hurt is refused.")),
                ("monthly_budget_cents", models.PositiveIntegerField(default=0, help_text="The most the gifts of one month may cost, in cents.")),
                ("per_customer_per_year", models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)])),
                ("auto_approve_under", models.PositiveSmallIntegerField(default=0, help_text="A batch of at most this many greetings that fits the budget is approved without a lead; 0: a lead always approves.")),
                ("active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("team", models.ForeignKey(blank=True, help_text="Whose customers: those with a ticket in this team. Empty: every team's (then only an administrator approves).", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="moments", to="desk.team")),
            ],
            options={
                "ordering": ["name", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Greeting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("occasion_date", models.DateField(help_text="The day, in the customer's time zone.")),
                ("send_at", models.DateTimeField(help_text="When it goes: that day, in the morning, their time.")),
                ("state", models.CharField(choices=[("held", "Held"), ("awaiting", "Awaiting approval"), ("approved", "Approved"), ("sent", "Sent"), ("skipped", "Skipped"), ("failed", "Failed")], max_length=10)),
                ("why", models.CharField(blank=True, help_text="Why it is held or skipped.", max_length=300)),
                ("cost_cents", models.PositiveIntegerField(default=0)),
                ("currency", models.CharField(default="EUR", max_length=3)),
                ("approved_at", models.DateTimeField(blank=True, null=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("gift_state", models.CharField(choices=[("none", "No gift"), ("pending", "Pending"), ("delivered", "Delivered"), ("retrying", "Retrying"), ("failed", "Failed")], default="none", max_length=10)),
                ("gift_attempts", models.PositiveSmallIntegerField(default=0)),
                ("gift_error", models.TextField(blank=True)),
                ("gift_reference", models.CharField(blank=True, max_length=200)),
                ("gift_code", models.CharField(blank=True, help_text="What the customer uses to claim the gift, if any.", max_length=100)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("approved_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("customer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="greetings", to="desk.customer")),
                ("email", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="greeting", to="mail.outboundemail")),
                ("held_for", models.ForeignKey(blank=True, help_text="The ticket it waits on, if that is why it is held.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="desk.ticket")),
                ("moment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="greetings", to="care.moment")),
            ],
        ),
        migrations.CreateModel(
            name="Voucher",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=100, unique=True)),
                ("assigned_at", models.DateTimeField(blank=True, null=True)),
                ("greeting", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="voucher", to="care.greeting")),
                ("moment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="vouchers", to="care.moment")),
            ],
        ),
        migrations.CreateModel(
            name="GreetingEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("what", models.CharField(max_length=40)),
                ("note", models.CharField(blank=True, max_length=300)),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("greeting", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="care.greeting")),
            ],
            options={
                "indexes": [models.Index(fields=["greeting", "at"], name="care_greeti_greetin_0365c4_idx")],
            },
        ),
        migrations.AddIndex(
            model_name="greeting",
            index=models.Index(condition=models.Q(("state", "approved")), fields=["send_at"], name="greeting_due"),
        ),
        migrations.AddIndex(
            model_name="greeting",
            index=models.Index(fields=["moment", "state", "occasion_date"], name="care_greeti_moment__ce5284_idx"),
        ),
        migrations.AddIndex(
            model_name="greeting",
            index=models.Index(fields=["customer", "occasion_date"], name="care_greeti_custome_670209_idx"),
        ),
        migrations.AddConstraint(
            model_name="greeting",
            constraint=models.UniqueConstraint(fields=("moment", "customer", "occasion_date"), name="one_greeting_an_occasion"),
        ),
        migrations.AddIndex(
            model_name="voucher",
            index=models.Index(condition=models.Q(("assigned_at__isnull", True)), fields=["moment", "id"], name="voucher_unused"),
        ),
    ]

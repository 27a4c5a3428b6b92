from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0012_greetings_consent_label'),
    ]

    operations = [
        migrations.AddField(
            model_name='ticket',
            name='promised_reply_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]

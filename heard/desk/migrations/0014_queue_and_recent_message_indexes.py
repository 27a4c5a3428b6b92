"""Indexes the forecast and the care-order queue use at 100,000 tickets, and the API's consent
source.

ticket_care_queue was partial on the active statuses, which SQLite never used: it proves a
partial index's `status IN (...)` only against values written into the SQL, and Django binds
them as parameters, so it read the team's tickets one row at a time and sorted them. Now the
status is a column of the index (one range per status, read in care order), with awaiting_since
last for the forecast's count of who is ahead. message_recent serves the forecast's replies in
its window and the first message in it, which scanned every message of the team's tickets.
On PostgreSQL the indexes are built and dropped CONCURRENTLY (heard.lib.migrations): writes go
on while a large desk is indexed.
"""

from django.db import migrations, models

from heard.lib.migrations import AddIndexOnline, RemoveIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ('desk', '0013_promise'),
    ]

    operations = [
        RemoveIndexOnline(
            model_name='ticket',
            name='ticket_care_queue',
        ),
        AddIndexOnline(
            model_name='ticket',
            index=models.Index(fields=['team', 'status', 'care_at', 'created_at', 'awaiting_since'], name='ticket_care_queue'),
        ),
        AddIndexOnline(
            model_name='message',
            index=models.Index(fields=['created_at', 'direction', 'ticket'], name='message_recent'),
        ),
        migrations.AlterField(
            model_name='consent',
            name='source',
            field=models.CharField(help_text='How: portal, email, agent, admin, api, demo, migration', max_length=32),
        ),
    ]

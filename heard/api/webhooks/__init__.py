"""Webhooks: what happened on a team's tickets, POSTed to the addresses its lead chose.

- `receivers` listens to what the desk and care announce (their signals, and the desk's rows
  being saved) and, for a team that subscribes to the event, queues `announce` as a job, which
  runs after the change commits (a change that rolls back announces nothing).
- `events` builds each event's payload once, from the rows as they stand, as the API shows
  them (`WebhookEvent`, one per thing that happened: announcing twice adds nothing), and a
  `Delivery` for each subscription listening.
- `delivery` sends one delivery: a JSON POST signed with HMAC-SHA256 over "timestamp.body",
  each attempt logged with the answer's status code; retried with backoff; a subscription whose
  deliveries fail for good HEARD_WEBHOOK_DISABLE_AFTER times in a row is disabled and the people
  who manage it are told, in the app and by email.

Verifying a delivery, at the receiving end (Python):

    import hashlib, hmac, time

    def verify(secret: str, headers, body: bytes) -> bool:
        stamp = headers["X-Heard-Timestamp"]
        signed = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
        expected = "sha256=" + signed.hexdigest()
        fresh = abs(time.time() - int(stamp)) < 300  # refuse replays of old deliveries
        return fresh and hmac.compare_digest(expected, headers["X-Heard-Signature"])
"""

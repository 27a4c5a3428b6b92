"""Email Heard writes: `compose` builds a message, `outbound` queues, caps and delivers it (with
retries and the per-address limits), `acknowledge` writes a new ticket's acknowledgement,
`digest` gathers staff notices held back into one email, and `signing` makes Heard's own
Message-IDs and reply addresses, signed so that a reply can be threaded and not forged.

Sending may import `heard.mail.models`, `heard.mail.parsing` (to recognise machine senders),
the engine, and the desk's models and actions; never the transports or filing.
"""

"""How email reaches Heard: the SMTP receiver (`smtp`, `heard smtpd`), IMAP polling (`imap`,
`heard imap-poll`) and mail files and mbox archives (`files`, `heard ingest`).

Each transport only moves bytes: it hands every email to `heard.mail.filing.receive()`, which
commits the raw bytes before anything else, and never parses or files mail itself. Transports may
import `heard.mail.filing`, `heard.mail.models` and settings, and nothing from `heard.desk` but
what deciding which recipients to accept needs.
"""

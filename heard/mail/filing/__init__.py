"""Filing a received email: `store.receive()` commits the raw bytes (every transport calls it,
as `heard.mail.filing.receive`), `processing` parses a stored email and files it into a ticket
(or as unreadable or automated mail), and `matching` finds the ticket a reply belongs to.

Filing may import `heard.mail.parsing`, `heard.mail.models`, `heard.mail.sending.signing` (to
recognise Heard's own signed ids) and `heard.mail.sending.acknowledge` (a new ticket's
acknowledgement is queued in the transaction that files its email), and writes the desk's rows
only through `heard.desk.actions`; it sends nothing itself.
"""

from heard.mail.filing.store import StorageError, receive

__all__ = ["StorageError", "receive"]

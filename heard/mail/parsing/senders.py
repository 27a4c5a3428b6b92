"""Senders that are machines: system mailboxes and the empty envelope sender."""

from __future__ import annotations

import re

# Local parts of mailboxes that only machines write from, also with a suffix ("noreply-dmarc").
_SYSTEM_LOCAL_PART = re.compile(
    r"^(?:mailer[-_.]?daemon|post[-_.]?master|no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:$|[-_+])",
    re.IGNORECASE,
)


def is_system_address(address: str) -> bool:
    """True for mailer-daemon, postmaster, no-reply, noreply, do-not-reply and the like."""
    local_part = address.rpartition("@")[0] or address
    return bool(_SYSTEM_LOCAL_PART.match(local_part.strip()))


def is_null_sender(envelope_sender: str | None) -> bool:
    """True for the empty envelope sender ("<>" or ""), the mark of bounces and other reports."""
    return envelope_sender is not None and "".join(envelope_sender.split()) in {"", "<>"}

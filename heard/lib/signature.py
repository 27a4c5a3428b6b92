"""How Heard signs what it POSTs to other systems (webhooks, gift requests to a billing system):
HMAC-SHA256 of "timestamp.body" with a shared secret, so the receiver can check both who sent
it and that it is recent (refusing replays). The verification snippet is in heard/api/webhooks.
"""

from __future__ import annotations

import hashlib
import hmac


def signature_headers(secret: str, body: bytes, at: float) -> dict[str, str]:
    """`X-Heard-Timestamp` (`at`, whole Unix seconds) and `X-Heard-Signature: sha256=<hex>`."""
    stamp = str(int(at))
    digest = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Heard-Timestamp": stamp, "X-Heard-Signature": f"sha256={digest}"}

"""A received email handed back exactly as it arrived, as a .eml download."""

from __future__ import annotations

from django.http import HttpResponse

from heard.mail.models import RawEmail


def original(raw: RawEmail, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(raw.data), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

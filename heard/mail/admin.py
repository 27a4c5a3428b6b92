"""Django admin: every email received (with its original bytes) and sent, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from heard.mail import downloads
from heard.mail.models import OutboundEmail, RawEmail


class ReadOnly(admin.ModelAdmin):
    """Mail is a record of what happened: nobody edits it by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RawEmail)
class RawEmailAdmin(ReadOnly):
    list_display = ("pk", "received_at", "source", "envelope_from", "intake", "ticket", "size")
    list_filter = ("intake", "source")
    search_fields = ("header_message_id", "envelope_from", "sha256")
    exclude = ("data",)
    readonly_fields = ("original",)

    @admin.display(description="Original")
    def original(self, raw: RawEmail) -> str:
        url = reverse("admin:mail_rawemail_original", args=[raw.pk])
        return format_html('<a href="{}">Download the email as received (.eml)</a>', url)

    def get_urls(self) -> list[Any]:
        download = self.admin_site.admin_view(self.download)
        original = path("<int:pk>/original/", download, name="mail_rawemail_original")
        return [original, *super().get_urls()]

    def download(self, request: HttpRequest, pk: int) -> HttpResponse:
        return downloads.original(RawEmail.objects.get(pk=pk), f"email-{pk}.eml")


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnly):
    list_display = ("pk", "created_at", "kind", "to_address", "delivery", "attempts", "ticket")
    list_filter = ("kind", "delivery")
    search_fields = ("to_address", "header_message_id", "subject")

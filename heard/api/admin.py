"""Django admin: API tokens (made through the action, shown once, revoked, never edited) and
webhooks with their delivery log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from heard.api import actions
from heard.api.models import ApiToken, Attempt, Delivery, Event, Subscription
from heard.desk.errors import DeskError


class TokenCreateForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name", "agent", "scope", "team", "expires_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agent = data.get("agent")
        if agent is not None:
            try:
                actions.check_token(
                    agent, data.get("scope", ""), data.get("team"), data.get("expires_at")
                )
            except DeskError as error:
                raise forms.ValidationError(str(error)) from None
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "agent", "scope", "team", "prefix", "state", "last_used_at")
    list_filter = ("scope", "team")
    list_select_related = ("agent__user", "team")
    search_fields = ("name", "prefix", "agent__user__username")
    actions = ["revoke"]
    readonly_fields = (
        "name",
        "agent",
        "scope",
        "team",
        "expires_at",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )

    @admin.display(description="State")
    def state(self, token: ApiToken) -> str:
        return token.state()

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = TokenCreateForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        """A new token is made by the action (its digest kept, the token shown once)."""
        if change:
            return
        data = form.cleaned_data
        token, raw = actions.create_token(
            data["agent"],
            name=data["name"],
            scope=data["scope"],
            team=data.get("team"),
            expires_at=data.get("expires_at"),
            created_by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = token.pk
        request.heard_new_token = raw  # type: ignore[attr-defined]  # for response_add only

    def response_add(self, request: HttpRequest, obj: ApiToken, *args: Any) -> HttpResponse:
        raw = getattr(request, "heard_new_token", "")
        context = {**self.admin_site.each_context(request), "token": obj, "raw": raw}
        response = TemplateResponse(request, "api/admin_token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            actions.revoke_token(token, request.user)  # type: ignore[arg-type]
        messages.success(request, f"{queryset.count()} token(s) revoked.")


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ("team", "url", "events", "description", "active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("url") and data.get("events"):
            try:
                data["events"] = actions.check_webhook(data["url"], data["events"])
            except DeskError as error:
                raise forms.ValidationError(str(error)) from None
        return data


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("team", "url", "active", "failures_in_a_row", "disabled_at")
    list_filter = ("active", "team")
    list_select_related = ("team",)
    readonly_fields = (
        "secret",
        "created_by",
        "created_at",
        "failures_in_a_row",
        "disabled_at",
        "disabled_reason",
    )

    def save_model(
        self, request: HttpRequest, obj: Subscription, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        if change:
            actions.update_subscription(
                obj,
                url=data["url"],
                events=data["events"],
                description=data["description"],
                active=data["active"],
            )
            return
        made = actions.create_subscription(
            data["team"],
            url=data["url"],
            events=data["events"],
            description=data["description"],
            created_by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = made.pk


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ("at", "response_code", "error", "duration_ms")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: filter by webhook to see one subscription's."""

    list_display = ("event", "subscription", "state", "attempts", "response_code", "created_at")
    list_filter = ("state", "subscription")
    list_select_related = ("event", "subscription__team")
    inlines = [AttemptInline]
    readonly_fields = (
        "subscription",
        "event",
        "state",
        "attempts",
        "next_attempt_at",
        "response_code",
        "error",
        "created_at",
        "delivered_at",
    )
    exclude = ("claimed_until",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

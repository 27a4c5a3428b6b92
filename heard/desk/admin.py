"""Django admin: where an administrator configures teams, hours, SLA policies and agents."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import User
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from heard.desk import actions
from heard.desk.models import (
    Agent,
    Consent,
    Customer,
    CustomerEmail,
    Holiday,
    Macro,
    RoutingRule,
    SlaPolicy,
    Team,
    Ticket,
    TicketEvent,
)


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1


class SlaPolicyInline(admin.TabularInline):
    model = SlaPolicy
    extra = 0


class RoutingRuleInline(admin.TabularInline):
    """How new email reaches the team (heard.desk.routing): addresses first, then every team's
    other rules by position; the first that matches wins."""

    model = RoutingRule
    extra = 1
    fields = ("position", "kind", "value", "active")
    ordering = ("position", "pk")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "is_triage", "lead", "time_zone", "auto_assign")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RoutingRuleInline, SlaPolicyInline, HolidayInline]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "role", "max_open_tickets", "accepts_assignments")
    list_filter = ("role", "teams")
    filter_horizontal = ("teams",)
    list_select_related = ("user",)


class CustomerEmailInline(admin.TabularInline):
    model = CustomerEmail
    extra = 0


class ConsentInline(admin.TabularInline):
    """The consent history: rows are never changed or deleted; a new row records a change
    through `actions.record_consent`, with the source "admin" and the administrator."""

    model = Consent
    extra = 0
    fields = ("kind", "given", "at", "source", "by")
    readonly_fields = ("at", "source", "by")
    ordering = ("-at", "-pk")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "preferred_name", "language", "created_at")
    search_fields = ("name", "emails__address")
    inlines = [CustomerEmailInline, ConsentInline]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not Consent:
            super().save_formset(request, form, formset, change)
            return
        assert isinstance(request.user, User)  # the admin is for signed-in staff only
        for consent in formset.save(commit=False):
            actions.record_consent(
                form.instance, consent.kind, consent.given, "admin", by=request.user
            )


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "what", "before", "after", "note")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only here: tickets change through the console so every change is audited."""

    list_display = ("reference", "subject", "team", "status", "priority", "reply_due_at")
    list_filter = ("team", "status", "priority", "escalated")
    search_fields = ("subject", "customer__name")
    list_select_related = ("team",)
    inlines = [TicketEventInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ("name", "team")
    list_filter = ("team",)

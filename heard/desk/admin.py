"""Django admin: where an administrator configures teams, hours, SLA policies and agents."""

from __future__ import annotations

from django.contrib import admin

from heard.desk.models import (
    Agent,
    Customer,
    CustomerEmail,
    Holiday,
    Macro,
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


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "lead", "time_zone", "auto_assign")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SlaPolicyInline, HolidayInline]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "role", "max_open_tickets", "accepts_assignments")
    list_filter = ("role", "teams")
    filter_horizontal = ("teams",)
    list_select_related = ("user",)


class CustomerEmailInline(admin.TabularInline):
    model = CustomerEmail
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "preferred_name", "language", "created_at")
    search_fields = ("name", "emails__address")
    inlines = [CustomerEmailInline]


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

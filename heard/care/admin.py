from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from heard.care.models import Greeting, GreetingEvent, Moment, Survey, Voucher
from heard.care.moments import gifts


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read-only: answers come from customers, offers from the periodic job."""

    list_display = ["ticket", "created_at", "rating", "answered_at"]
    list_filter = ["rating"]
    search_fields = ["ticket__customer__name", "comment"]
    readonly_fields = ["ticket", "created_at", "email", "rating", "comment", "answered_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


class MomentForm(forms.ModelForm):
    """The rule, coached on clean (`Moment.clean`), and codes to add to its voucher list."""

    new_vouchers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Add voucher codes",
        help_text="One code per line. A code is given to one customer, once, ever.",
    )

    class Meta:
        model = Moment
        fields = [
            "name", "team", "active", "occasion", "years", "date", "yearly", "plan_days",
            "active_months", "gift_kind", "gift_text", "gift_cost_cents", "currency", "subject",
            "greeting", "monthly_budget_cents", "per_customer_per_year", "auto_approve_under",
        ]  # fmt: skip

    def codes(self) -> list[str]:
        return [line for line in self.cleaned_data.get("new_vouchers", "").splitlines() if line]

    def clean_new_vouchers(self) -> str:
        text: str = self.cleaned_data.get("new_vouchers", "")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        taken = Voucher.objects.filter(code__in=lines).values_list("code", flat=True)[:5]
        if taken:
            raise forms.ValidationError(f"Already on a list: {', '.join(taken)}.")
        if any(len(line) > 100 for line in lines):
            raise forms.ValidationError("A code is at most 100 characters.")
        return text


@admin.register(Moment)
class MomentAdmin(admin.ModelAdmin):
    """Moments: the rule. Its greetings are approved by a lead in the console (Moments)."""

    form = MomentForm
    list_display = [
        "name", "team", "occasion", "gift_kind", "monthly_budget_cents", "active", "unused_vouchers"
    ]
    list_filter = ["active", "occasion", "team"]
    fieldsets = [
        (None, {"fields": ["name", "team", "active"]}),
        ("Occasion", {"fields": ["occasion", "years", "date", "yearly", "plan_days"]}),
        (
            "Audience",
            {
                "fields": ["active_months"],
                "description": "Always and only customers who agreed to greetings and gifts.",
            },
        ),
        (
            "Gift",
            {"fields": ["gift_kind", "gift_text", "gift_cost_cents", "currency", "new_vouchers"]},
        ),
        ("Greeting", {"fields": ["subject", "greeting"]}),
        (
            "Budget and approval",
            {"fields": ["monthly_budget_cents", "per_customer_per_year", "auto_approve_under"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Moment]:
        unused = Count("vouchers", filter=Q(vouchers__assigned_at__isnull=True))
        return super().get_queryset(request).select_related("team").annotate(unused=unused)

    @admin.display(description="Unused vouchers")
    def unused_vouchers(self, moment: Moment) -> int:
        return getattr(moment, "unused", 0)

    def save_model(self, request: HttpRequest, obj: Moment, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        added = gifts.add_vouchers(obj, form.codes())
        if added:
            self.message_user(request, f"{added} voucher code{'s' if added != 1 else ''} added.")


class GreetingEventInline(admin.TabularInline):
    model = GreetingEvent
    extra = 0
    fields = ["at", "what", "note", "actor"]
    readonly_fields = ["at", "what", "note", "actor"]
    ordering = ["at", "pk"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Greeting)
class GreetingAdmin(admin.ModelAdmin):
    """The audit of every greeting and gift: read-only, never deleted here."""

    list_display = [
        "customer", "moment", "occasion_date", "state", "gift_state", "gift_attempts", "cost_cents"
    ]
    list_filter = ["state", "gift_state", "moment"]
    list_select_related = ["customer", "moment"]
    search_fields = ["customer__name", "gift_reference", "gift_code"]
    inlines = [GreetingEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in Greeting._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ["code", "moment", "greeting", "assigned_at"]
    list_filter = ["moment"]
    search_fields = ["code"]
    readonly_fields = ["greeting", "assigned_at"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None or getattr(obj, "assigned_at", None) is None

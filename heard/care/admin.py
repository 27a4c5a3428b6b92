from django.contrib import admin

from heard.care.models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read-only: answers come from customers, offers from the periodic job."""

    list_display = ["ticket", "created_at", "rating", "answered_at"]
    list_filter = ["rating"]
    search_fields = ["ticket__customer__name", "comment"]
    readonly_fields = ["ticket", "created_at", "email", "rating", "comment", "answered_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

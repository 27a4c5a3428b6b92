from django.contrib import admin

from heard.training.models import Assignment, Case, Exercise, LiveSession, RolePlay


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "industry", "feeling", "intensity", "source", "team"]
    list_filter = ["source", "industry", "feeling"]
    search_fields = ["title", "name", "slug"]
    readonly_fields = ["source", "created_by", "created_at"]

    def get_readonly_fields(self, request: object, obj: Case | None = None) -> list[str]:
        # A shipped case is rewritten from data/cases/ at every migrate: edit the file instead.
        if obj is not None and obj.source == "shipped":
            return [f.name for f in Case._meta.fields]
        return list(self.readonly_fields)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["case", "agent", "kind", "due_on", "done_at"]
    list_filter = ["kind"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["case", "agent", "started_at", "finished_at", "score"]
    readonly_fields = [f.name for f in Exercise._meta.fields]


@admin.register(RolePlay)
class RolePlayAdmin(admin.ModelAdmin):
    list_display = ["case", "agent", "started_at", "outcome", "score"]
    readonly_fields = [f.name for f in RolePlay._meta.fields]


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ["case", "host", "guest", "round", "created_at", "ended_at"]

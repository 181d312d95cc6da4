from django.contrib import admin

from jobs.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """What each periodic job did, read-only: the runs are the schedule's own record."""

    list_display = ["job", "slot", "started_at", "finished_at", "outcome"]
    list_filter = ["job"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

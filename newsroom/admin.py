from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .sessions import end_sessions

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    """Django's user admin, with a way to end a person's sessions: a lost laptop, a departure."""

    actions = ["log_out_everywhere"]

    @admin.action(description="Log selected users out everywhere", permissions=["change"])
    def log_out_everywhere(self, request, queryset):
        users = list(queryset)
        for user in users:
            end_sessions(user)
            self.log_change(request, user, "Logged out on every browser and device.")
        self.message_user(
            request,
            f"Logged {len(users)} user(s) out on every browser and device.",
            messages.SUCCESS,
        )

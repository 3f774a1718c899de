"""ModelBackend whose get_user (run on every authenticated request) joins the user's team and organisation:
the page header shows both, which would otherwise cost two more queries on every page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from warden.accounts.models import User


class WardenBackend(ModelBackend):
    """Authentication exactly as ModelBackend (passwords, is_active); get_user reads the header's rows too.
    The database is read on every request, so a deactivation takes effect at once in every worker."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = User.objects.select_related("team", "organisation").filter(pk=pk).first()
        return user if user is not None and self.user_can_authenticate(user) else None

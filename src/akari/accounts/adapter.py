from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from akari.core.i18n import current_language


class AccountAdapter(DefaultAccountAdapter):
    """New accounts start in the language the person signed up in."""

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = current_language()
        if commit:
            user.save()
        return user

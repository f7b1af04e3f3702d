"""Token authentication for the coalition booking API that also reads the caller's member rows.

DRF's ``TokenAuthentication`` reads the token and its user (one ORM query), and the view then
reads the user's member-person rows (:func:`akari.coalition.permissions.member_rows`, a second
ORM query). On the booking hot path both cost more Python time than the booking's own write, so
:class:`MemberTokenAuthentication` reads them in **one** raw query
(:func:`akari.coalition.selectors.token_holder`) and primes the per-request cache of
``member_rows``. Everything else is DRF's: the ``Authorization: Token <key>`` header parsing,
the same refusals (DRF's own code, on that slow path), 401 with ``WWW-Authenticate: Token``
for an unknown token or an inactive user, ``request.auth`` is the token row.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication

from akari.coalition import permissions, selectors


class MemberTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        found = selectors.token_holder(key)
        if found is None or not found[0].is_active:
            # An unknown token or an inactive user: DRF's own refusal (its message, 401).
            return super().authenticate_credentials(key)
        user, token, rows = found
        permissions.prime_member_rows(user, rows)
        return user, token

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from akari.core.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": items_for(request.user, request.path)}

"""Every demo role walks the site from the navigation: no page answers with a server error.

A breadth-first crawl (GET only, same-site links, at most a few hundred pages per role) over
the demo data: the NanoTerasu + SPring-8 catalogue, the three packs, open calls and proposals.
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.core.management import call_command
from django.test import Client

from akari.accounts.models import User
from tests.proposals.factories import research_fields

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/accounts/logout", "/static/", "/media/", "/admin/", "/api/v1/docs", "/language/")
MAX_PAGES = 250

ROLES = [
    None,
    "applicant@demo.akari.example",
    "student@demo.akari.example",
    "reviewer@demo.akari.example",
    "scientist@demo.akari.example",
    "office@demo.akari.example",
    "finance@demo.akari.example",
    "member-admin@demo.akari.example",
    "management@demo.akari.example",
]


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    research_fields()
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def crawl(client: Client) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            for link in HREF.findall(response.content.decode()):
                link = link.replace("&amp;", "&")
                if link not in seen:
                    queue.append(link)
    return seen


@pytest.mark.parametrize("email", ROLES)
def test_no_page_reachable_by_a_role_fails(demo, email):
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    seen = crawl(client)
    errors = {url: status for url, status in seen.items() if status >= 500}
    assert errors == {}
    assert len(seen) >= 30  # the crawl really walked the site (34-58 pages per role)
    assert seen["/"] == 200

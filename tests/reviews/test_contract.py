"""The proposals app's access rules read this app's rows by related name: a peer reviewer sees
a proposal only while a published, non-conflicted assignment exists; a technical reviewer sees
the proposals they review."""

from __future__ import annotations

from akari.proposals.permissions import visible_to
from akari.reviews import services
from akari.reviews.models import ReviewAssignment
from tests.reviews.factories import reviewer


def visible(person, proposal) -> bool:  # type: ignore[no-untyped-def]
    return visible_to(person).filter(pk=proposal.pk).exists()


def test_reviewers_see_proposals_exactly_while_assigned(scene):
    assert visible(scene.reviewer, scene.proposal)
    assert visible(scene.scientist, scene.proposal)
    assert not visible(scene.declared, scene.proposal)
    assert not visible(scene.conflicted, scene.proposal)

    newcomer = reviewer()
    scene.panel.members.add(newcomer)
    draft = services.assignment_add(proposal=scene.proposal, reviewer=newcomer, actor=scene.staff)
    assert not visible(newcomer, scene.proposal)  # a draft is the user office's only

    services.assignments_publish(call=scene.call, actor=scene.staff)
    assert visible(newcomer, scene.proposal)

    services.assignment_remove(
        assignment=ReviewAssignment.objects.get(pk=draft.pk), actor=scene.staff
    )
    assert not visible(newcomer, scene.proposal)


def test_navigation_predicates(scene):
    from akari.reviews.permissions import (
        shows_peer_reviews,
        shows_review_management,
        shows_technical_reviews,
    )

    people = [scene.applicant, scene.reviewer, scene.scientist, scene.staff]
    assert [shows_peer_reviews(p) for p in people] == [False, True, False, False]
    assert [shows_technical_reviews(p) for p in people] == [False, False, True, False]
    assert [shows_review_management(p) for p in people] == [False, False, False, True]


def test_the_review_pages_are_in_the_navigation_of_who_uses_them(scene, login):
    from django.urls import reverse

    entries = {
        "reviewer": reverse("reviews:assignments"),
        "scientist": reverse("reviews:technical-list"),
        "staff": reverse("reviews:calls"),
    }
    for role, url in entries.items():
        home = login(getattr(scene, role)).get("/").content.decode()
        for other_role, other_url in entries.items():
            assert (f'href="{other_url}"' in home) == (role == other_role), (role, other_url)
    anonymous = login(None).get("/").content.decode()
    assert not any(f'href="{url}"' in anonymous for url in entries.values())

"""What the selection committee keeps of its own: the waitlist.

Decisions themselves live on the proposal (its status, ``decided_at``) and on its beamline
requests (``units_awarded``), owned by the proposals app. The waitlist is stored rather than
derived because its order is the ranking *at the committee*: reviews, normalisation or a later
re-ranking must not reshuffle the people already told where they stand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from akari.core.models import TimeStampedModel


class WaitlistEntry(TimeStampedModel):
    """A waitlisted proposal's place on one beamline of a call (one row per beamline it asked
    for). Rank 1 is offered freed beamtime first. The row stays when the proposal is promoted or
    withdrawn: the proposal's status says whether it is still waiting."""

    call = models.ForeignKey(
        "proposals.Call",
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=_("call"),
    )
    beamline = models.ForeignKey(
        "facility.Beamline", on_delete=models.PROTECT, related_name="+", verbose_name=_("beamline")
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=_("proposal"),
    )
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["call", "beamline__code", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "beamline"], name="selection_waitlist_once_per_beamline"
            )
        ]
        indexes = [models.Index(fields=["call", "beamline", "rank"])]

    def __str__(self) -> str:
        return f"{self.call} {self.beamline.code} #{self.rank}: {self.proposal}"

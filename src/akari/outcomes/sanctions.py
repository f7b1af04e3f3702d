"""The sanction: an overdue publication obligation bars its responsible person from new
proposals, even as a team member (SPring-8's rule,
``obligations.paper.overdue_bars_new_proposals``).

:func:`blocking_obligations_of` is registered with
:func:`akari.proposals.rules.register_obligation_blocker` in ``OutcomesConfig.ready()``; the
proposals app asks it when a person is added to a draft's team and when a proposal is
submitted, for every team member (a member who became overdue after being added blocks the
submission). Registering the publication or a waiver by staff
lifts the bar at once (nothing is cached). The obligation's own policy decides whether it bars
(copied onto the obligation when it was created); the new proposal's policy decides whether the
bar applies to it (``rules._team_problems``).
"""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from akari.outcomes.models import Obligation


def blocking_obligations_of(person: Any) -> list[str]:
    if not getattr(person, "pk", None):
        return []
    overdue = Obligation.objects.filter(
        responsible=person,
        kind=Obligation.Kind.PUBLICATION,
        status=Obligation.Status.OVERDUE,
        bars_new_proposals=True,
    ).select_related("experiment__beamline")
    return [
        _(
            "the publication of experiment %(reference)s (%(beamline)s) was due on %(due)s and "
            "is overdue. Register the publication under Outcomes → My obligations, or ask the "
            "user office for an extension or a waiver."
        )
        % {
            "reference": o.experiment.reference,
            "beamline": o.experiment.beamline.code,
            "due": formats.date_format(o.due, "DATE_FORMAT"),
        }
        for o in overdue
    ]

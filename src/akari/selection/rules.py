"""Policy values the committee applies, read from the call's policy version (never constants).

* :func:`limits_for`: a beamline's :class:`~akari.selection.allocation.Limits` in a call
  (units available, caps from ``caps.*``, granularity from ``requests.*``, whether the programme
  keeps a waitlist from ``review.waitlist``).
* :func:`capped_routes`: the route codes counted against the priority + proprietary cap.
* :func:`group_key`: the "group" of the single-group cap.
"""

from __future__ import annotations

from akari.policies.schema import Pack
from akari.proposals.models import Call, CallBeamline
from akari.selection.allocation import Limits


def pack_of(call: Call) -> Pack:
    return call.policy_version.pack


def capped_routes(call: Call) -> frozenset[str]:
    pack = pack_of(call)
    return pack.caps.capped_routes(pack.routes, pack.fees)


def keeps_waitlist(call: Call) -> bool:
    review = pack_of(call).review
    return bool(review and review.waitlist)


def unit_kind(call: Call) -> str:
    """ "shift" or "hour": the programme's time unit."""
    return pack_of(call).time_unit.kind


def limits_for(call: Call, offered: CallBeamline) -> Limits:
    pack = pack_of(call)
    return Limits.from_policy(
        available=offered.units_available,
        capped_percent=pack.caps.priority_and_proprietary_max_percent,
        group_percent=pack.caps.single_group_max_percent,
        min_units=pack.requests.min_units,
        unit_multiple=pack.requests.unit_multiple,
        waitlist=keeps_waitlist(call),
    )


def group_key(*, organisation_id: int | None, pi_id: int | None) -> str:
    """The PI's primary affiliation organisation; the PI alone when they have none."""
    if organisation_id is not None:
        return f"org:{organisation_id}"
    return f"person:{pi_id}"

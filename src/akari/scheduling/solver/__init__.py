"""Beamtime scheduling as a pure function over plain data (no database, no Django).

:func:`solve` places each accepted proposal's award (``Award``: N shifts on one of the
beamlines that can serve it, contiguous unless the award allows splitting into pieces of at
least ``min_piece`` shifts) into the beamlines' user time, never over maintenance or outages
(not in ``available``), outside the team's unavailable dates (``blackouts``), inside its
time-designated / earliest-latest ``windows``, with the beamline's ``changeover`` free after each
experiment, within the policy ``caps`` (shifts of a class of awards per beamline), and keeping
the staff's ``pins`` where they are.

**Objective** (lexicographic: two CP-SAT solves): first the score-weighted shifts placed
(``score * shifts`` of every placed award), then, with that kept, the number of awards inside
their preferred dates, then fewer fragments of split awards. See :mod:`.formulation`.

**Model**: a time-indexed 0/1 formulation (one boolean per possible start of a contiguous
award; a split award as chunks of ``p .. 2p - 1`` shifts, ``p = min_piece``, which describe
every split schedule and keep the LP tight), decomposed into the connected components of
awards x beamlines that can serve them. The components are searched side by side, ``workers``
at a time, each by a single-worker CP-SAT on a deterministic-time budget proportional to its
size (fixed ``random_seed``), so the schedule depends only on the data, the seed and the
worker count, never on the machine's load. The search starts from the better of the greedy
schedule and the dives through the configuration LP (below), improved by the **pattern-pool
search** (:mod:`.pool`: sets of stretches, closed over split awards, re-chosen exactly by a
HiGHS 0/1 program over a pool of patterns; components of at most ``POOL_MAX_AWARDS`` awards),
and never returns less than it. CP-SAT then takes a look at the whole model (all of the budget
for a small one, an eighth for a large one); a large component the pool search did not run on
gets the rest as a large-neighbourhood search over 30-day windows. A component whose start
meets the configuration LP's bound is proven optimal and not searched.

**Proven bound**: the tighter of CP-SAT's best bound and the **configuration LP** of each
component (:mod:`.patterns`): a beamline's free user time falls into *stretches* (runs of user
shifts between machine studies, maintenance and pinned blocks), a block never crosses one, and
the LP chooses a *pattern* (the awards placed in it) per stretch; HiGHS solves it by column
generation with an exact pricing search, and the bound is the Lagrangian bound of its duals,
valid at any iteration. It is at most the LP relaxation of the time-indexed model (which
:mod:`.bound` still solves, for the tests) and its columns give the **dives**: fix the patterns
the LP takes, price again, repeat, then fill the rest first fit.

**Greedy baseline** (:func:`greedy`): rank order, first fit. **Checker** (:func:`violations`):
re-reads the instance to verify every hard constraint of a schedule. **Explanations**
(:func:`explain`): each unplaced award is tried alone to tell capacity (outranked) from a
hard constraint (caps, blackouts, windows, or no user-time window long enough).

Instance JSON format: see :mod:`.instance`.
"""

from .check import violations
from .greedy import greedy
from .instance import Award, Beamline, Cap, Instance, Pin, Placement
from .schedule import (
    BLACKOUTS,
    CAP,
    CAPACITY,
    NO_WINDOW,
    WINDOWS,
    Result,
    Unplaced,
    explain,
    fits_alone,
    solve,
)

__all__ = [
    "BLACKOUTS",
    "CAP",
    "CAPACITY",
    "NO_WINDOW",
    "WINDOWS",
    "Award",
    "Beamline",
    "Cap",
    "Instance",
    "Pin",
    "Placement",
    "Result",
    "Unplaced",
    "explain",
    "fits_alone",
    "greedy",
    "solve",
    "violations",
]

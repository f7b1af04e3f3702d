"""Export an experiment and its datasets as JSON a SciCat catalogue can import.

Mapping (SciCat's ``Proposal`` and ``Dataset`` models; field names as in SciCat's backend):

proposal
  ``proposalId`` = the experiment's reference (proposal number or booking reference);
  ``title``; ``pi_email``, ``pi_firstname``, ``pi_lastname`` = the lead; ``email`` = the lead;
  ``startTime``/``endTime`` = the beamtime block (ISO 8601, UTC); ``ownerGroup`` = the reference;
  ``accessGroups`` = the beamline code; ``type`` = the programme and route
  (``"spring8/normal"``); ``metadata`` holds facility, beamline and proprietary flag.
dataset (``type: "raw"``)
  ``pid`` = our identifier; ``sourceFolder`` = the location URI; ``size`` = bytes;
  ``owner``/``contactEmail``/``principalInvestigator`` = the lead; ``ownerGroup`` = the
  reference; ``accessGroups`` = the beamline code; ``creationTime`` = when it was recorded;
  ``proposalId``; ``creationLocation`` = facility/beamline; ``isPublished`` = embargo over;
  ``embargoDate`` (extra field, ``null`` = never public: proprietary data);
  ``license`` = ``"proprietary"`` or ``"CC-BY-4.0"``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from akari.beamtime.models import Experiment
from akari.core import clock


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def experiment_scicat(experiment: Experiment) -> dict[str, Any]:
    """``{"proposal": {...}, "datasets": [...]}`` for ``experiment`` (datasets prefetched or
    read here)."""
    lead = experiment.lead
    beamline = experiment.beamline
    facility = beamline.facility.code
    group = experiment.reference
    today = clock.today()
    proposal = {
        "proposalId": experiment.reference,
        "title": experiment.title or experiment.reference,
        "pi_email": lead.email,
        "pi_firstname": lead.given_name,
        "pi_lastname": lead.family_name,
        "email": lead.email,
        "firstname": lead.given_name,
        "lastname": lead.family_name,
        "startTime": _iso(experiment.start),
        "endTime": _iso(experiment.end),
        "ownerGroup": group,
        "accessGroups": [beamline.code],
        "type": f"{experiment.programme}/{experiment.route}",
        "metadata": {
            "facility": facility,
            "beamline": beamline.code,
            "proprietary": experiment.proprietary,
        },
    }
    datasets = [
        {
            "pid": d.pid,
            "type": "raw",
            "sourceFolder": d.location,
            "size": d.size_bytes,
            "owner": lead.display_name,
            "ownerEmail": lead.email,
            "contactEmail": lead.email,
            "principalInvestigator": lead.email,
            "ownerGroup": group,
            "accessGroups": [beamline.code],
            "creationTime": _iso(d.created_at),
            "creationLocation": f"{facility}/{beamline.code}",
            "proposalId": experiment.reference,
            "description": d.description,
            "isPublished": d.embargo_until is not None and d.embargo_until <= today,
            "embargoDate": d.embargo_until.isoformat() if d.embargo_until else None,
            "license": "proprietary" if d.embargo_until is None else "CC-BY-4.0",
        }
        for d in experiment.datasets.all()
    ]
    return {"proposal": proposal, "datasets": datasets}

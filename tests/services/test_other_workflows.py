"""The smaller workflows: match suggestions, company needs and membership enquiries (every
allowed and every illegal transition)."""

from __future__ import annotations

import itertools

import pytest

from akari.core.workflow import IllegalTransition, transition
from akari.services.models import CompanyNeed, MatchSuggestion, MembershipEnquiry
from akari.services.services import consultations as desk
from akari.services.services import matching
from tests.factories import UserFactory
from tests.services.factories import company_person, consultation, facility, office

pytestmark = pytest.mark.django_db


def _suggestion() -> MatchSuggestion:
    researcher = UserFactory()
    matching.profile_save(actor=researcher, data={"headline": "XAFS of batteries"})
    owner, organisation = company_person()
    need = matching.need_create(
        facility=facility(),
        organisation=organisation,
        title="Battery",
        description="XAFS of battery cathodes",
        actor=owner,
    )
    return need.suggestions.get()


def _enquiry() -> MembershipEnquiry:
    return desk.consultation_to_enquiry(
        consultation=consultation(topic="coalition"), actor=office()
    )


FACTORIES = {
    MatchSuggestion: _suggestion,
    CompanyNeed: lambda: _suggestion().need,
    MembershipEnquiry: _enquiry,
}
CASES = [
    (model, a, b, b in model.TRANSITIONS.get(a, set()))
    for model in FACTORIES
    for a, b in itertools.product(model.Status, model.Status)
]


@pytest.mark.parametrize(
    ("model", "source", "target", "allowed"),
    CASES,
    ids=[f"{m.__name__}:{a}->{b}" for m, a, b, _ in CASES],
)
def test_transition_table(model, source, target, allowed):
    item = FACTORIES[model]()
    model.objects.filter(pk=item.pk).update(status=source)
    item.refresh_from_db()
    if allowed:
        transition(item, target, actor=None)
    else:
        with pytest.raises(IllegalTransition):
            transition(item, target, actor=None)
    item.refresh_from_db()
    assert item.status == (target if allowed else source)

"""Service orders: the transition table (every allowed and illegal move), the mail-in flow from
request to invoice with prices from the rate cards, free and paid analysis, and refusals."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from akari.billing.models import Charge, Invoice
from akari.core import clock
from akari.core.models import StatusEvent
from akari.core.workflow import IllegalTransition, transition
from akari.notifications.models import Notification
from akari.services.models import ServiceOrder
from akari.services.services import orders
from tests.coalition.factories import member
from tests.services.factories import company_person, office, order, scientist

pytestmark = pytest.mark.django_db

S = ServiceOrder.Status
ALLOWED = {(a, b) for a, targets in ServiceOrder.TRANSITIONS.items() for b in targets}
ALL_PAIRS = list(itertools.product(S, S))
TODAY = dt.datetime(2026, 6, 1, 10, tzinfo=clock.TOKYO)
CHECKSUM = "a" * 64


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def _at(status: str) -> ServiceOrder:
    made = order()
    ServiceOrder.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    return made


def test_every_state_of_the_issue_is_reachable_and_terminal_states_are_final():
    for terminal in (S.INVOICED, S.CLOSED, S.DECLINED, S.CANCELLED):
        assert ServiceOrder.TRANSITIONS[terminal] == set()
    assert set(ServiceOrder.TRANSITIONS) == set(S)


@pytest.mark.parametrize(("source", "target"), sorted(ALLOWED))
def test_every_allowed_transition(source, target):
    item = _at(source)
    transition(item, target, actor=None)
    item.refresh_from_db()
    assert item.status == target


@pytest.mark.parametrize(("source", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_every_illegal_transition_changes_nothing(source, target):
    item = _at(source)
    events = StatusEvent.objects.count()
    with pytest.raises(IllegalTransition):
        transition(item, target, actor=None)
    item.refresh_from_db()
    assert item.status == source
    assert StatusEvent.objects.count() == events


def test_spring8_mail_in_from_request_to_invoice():
    staff = scientist()
    made = order(deadline=dt.date(2026, 7, 1), measurements=4)
    person = made.requester
    assert Notification.objects.filter(recipient=person, kind="services.order_status").count() == 1

    quoted = orders.order_quote(order=made, hours=Decimal(4), actor=staff)
    assert quoted.status == S.QUOTED
    line = quoted.quote_lines.get()
    # 720,000 JPY per 8-hour shift, pro rata: 4 hours = 360,000 JPY (tax included).
    assert (line.code, line.amount, line.tax_included) == (
        "measurement_service",
        Decimal(360000),
        True,
    )
    assert quoted.quote_total == Decimal(360000)

    orders.order_accept(order=made, actor=person)
    with pytest.raises(ValidationError):
        orders.order_ship(order=made, tracking_number="", actor=person)
    orders.order_ship(order=made, tracking_number="1234-5678-9012", carrier="Yamato", actor=person)
    with pytest.raises(ValidationError):
        orders.order_measured(order=made, actor=staff)  # not received yet (illegal)
    orders.order_receive(order=made, actor=staff)
    orders.order_measured(order=made, actor=staff)
    with pytest.raises(ValidationError):
        orders.order_deliver(
            order=made, data_url="https://data.example/x", sha256="abc", actor=staff
        )
    orders.order_deliver(
        order=made, data_url="https://data.example/so1", sha256=CHECKSUM.upper(), actor=staff
    )
    made.refresh_from_db()
    assert (made.status, made.data_sha256) == (S.DELIVERED, CHECKSUM)
    with pytest.raises(ValidationError):
        orders.order_invoice(order=made, actor=staff)  # samples first
    orders.order_samples_done(order=made, returned=True, tracking_number="R-1", actor=staff)
    invoiced = orders.order_invoice(order=made, actor=staff)
    assert invoiced.status == S.INVOICED
    invoice = Invoice.objects.get(pk=invoiced.invoice_id)
    assert invoice.status == Invoice.Status.DRAFT and invoice.customer == made.organisation
    assert invoice.run_key == f"service-order:{made.pk}:incl"
    charge = Charge.objects.get(key=f"service-order:{made.pk}:measurement_service")
    assert charge.invoice_line.invoice == invoice and charge.amount == Decimal(360000)
    statuses = [
        n.context["status"]
        for n in Notification.objects.filter(
            recipient=person, kind="services.order_status"
        ).order_by("pk")
    ]
    assert statuses == [
        "requested",
        "quoted",
        "accepted",
        "shipped",
        "received",
        "measured",
        "delivered",
        "returned",
        "invoiced",
    ]


def test_coalition_mail_in_is_priced_at_the_member_s_rate_and_refused_to_non_members():
    membership, (person,) = member("gold", joined_on=dt.date(2026, 4, 1))
    made = order(
        programme="nanoterasu-coalition", person=person, organisation=membership.organisation
    )
    quoted = orders.order_quote(order=made, hours=Decimal(3), actor=office())
    lines = {line.code: line.amount for line in quoted.quote_lines.all()}
    # 35,000 JPY per hour (FY2022 rate, the latest listed) and 100,000 JPY per order, before tax.
    assert lines == {"usage": Decimal(105000), "mail_in": Decimal(100000)}
    assert quoted.quote_total == Decimal(205000) and not quoted.quote_tax_included

    outsider = order(programme="nanoterasu-coalition")
    with pytest.raises(ValidationError) as err:
        orders.order_quote(order=outsider, hours=Decimal(3), actor=office())
    assert err.value.code == "members_only"
    outsider.refresh_from_db()
    assert outsider.status == S.REQUESTED and not outsider.quote_lines.exists()


def test_basic_analysis_guidance_is_free_and_closes_without_an_invoice():
    membership, (person,) = member("general")
    staff = office()
    made = order(
        kind=ServiceOrder.Kind.ANALYSIS_BASIC,
        programme="nanoterasu-coalition",
        person=person,
        organisation=membership.organisation,
        technique="XAFS fitting",
    )
    accepted = orders.order_quote(order=made, hours=Decimal(0), actor=staff)
    assert (accepted.status, accepted.quote_total) == (S.ACCEPTED, Decimal(0))
    with pytest.raises(ValidationError):
        orders.order_ship(order=made, tracking_number="1", actor=person)
    orders.order_measured(order=made, actor=staff)
    orders.order_deliver(
        order=made, data_url="https://data.example/fit", sha256=CHECKSUM, actor=staff
    )
    closed = orders.order_invoice(order=made, actor=staff)
    assert closed.status == S.CLOSED and closed.invoice is None
    assert not Charge.objects.filter(reference=made.reference).exists()


def test_advanced_analysis_is_paid_per_hour_from_the_pack():
    membership, (person,) = member("gold")
    staff = office()
    made = order(
        kind=ServiceOrder.Kind.ANALYSIS_ADVANCED,
        programme="nanoterasu-coalition",
        person=person,
        organisation=membership.organisation,
        technique="RIXS modelling",
    )
    quoted = orders.order_quote(order=made, hours=Decimal("2.5"), actor=staff)
    assert [(q.code, q.amount) for q in quoted.quote_lines.all()] == [("analysis", Decimal(75000))]
    orders.order_accept(order=made, actor=person)
    orders.order_measured(order=made, actor=staff)
    orders.order_deliver(
        order=made, data_url="https://data.example/rixs", sha256=CHECKSUM, actor=staff
    )
    invoiced = orders.order_invoice(order=made, actor=staff)
    assert invoiced.invoice.run_key == f"service-order:{made.pk}:excl"


def test_requests_are_checked_before_anything_is_written():
    person, organisation = company_person()
    _other, elsewhere = company_person()
    count = ServiceOrder.objects.count()
    cases = [
        {"organisation": elsewhere},  # not the person's organisation
        {"samples": []},  # a mail-in without samples
        {"samples": [{"name": "X", "hazards": ["toxic"]}]},  # hazard without details
        {"samples": [{"name": "X", "hazards": ["dragons"]}]},
        {"deadline": dt.date(2026, 5, 1)},  # past
        {"kind": ServiceOrder.Kind.ANALYSIS_ADVANCED},  # not offered by SPring-8
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            order(person=person, organisation=case.pop("organisation", organisation), **case)
    assert ServiceOrder.objects.count() == count
    made = order(
        person=person,
        organisation=organisation,
        samples=[{"name": "CdS", "hazards": ["toxic"], "hazards_details": "in sealed capillary"}],
    )
    assert made.samples.get().hazards == ["toxic"]


def test_declined_and_cancelled_orders_stop():
    made = order()
    orders.order_quote(order=made, hours=Decimal(8), actor=office())
    orders.order_decline(order=made, actor=made.requester, reason="Too expensive")
    with pytest.raises(ValidationError):
        orders.order_accept(order=made, actor=made.requester)
    second = order()
    orders.order_cancel(order=second, actor=second.requester)
    second.refresh_from_db()
    assert second.status == S.CANCELLED

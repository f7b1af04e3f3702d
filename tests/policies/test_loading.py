"""Loading policy packs: valid packs load, broken ones fail clearly and write nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from akari.core import clock
from akari.policies import selectors
from akari.policies.models import AccessRoute, FeeRule, PolicyVersion, Programme
from akari.policies.reader import PACK_DIR, PackError
from akari.policies.services import LoadOutcome, policy_load

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Programme.objects.count(),
        PolicyVersion.objects.count(),
        AccessRoute.objects.count(),
        FeeRule.objects.count(),
    )


def test_the_three_shipped_packs_load(loaded):
    # given the facility catalogue, when --all was loaded (fixture), then:
    programmes = {p.code: p for p in Programme.objects.all()}
    assert list(Programme.objects.values_list("code", flat=True)) == [
        "spring8",
        "nanoterasu-shared",
        "nanoterasu-coalition",
    ]
    routes = {
        code: list(
            AccessRoute.objects.filter(policy_version__programme__code=code).values_list(
                "code", flat=True
            )
        )
        for code in programmes
    }
    assert routes == {
        "spring8": [
            "normal",
            "urgent",
            "graduate_student",
            "priority",
            "proprietary_normal",
            "time_designated",
            "measurement_service",
        ],
        "nanoterasu-shared": ["general", "proprietary"],
        "nanoterasu-coalition": ["basic", "advanced", "mail_in"],
    }
    assert programmes["spring8"].facility.code == "spring8"
    assert programmes["nanoterasu-coalition"].facility.code == "nanoterasu"
    assert programmes["nanoterasu-shared"].beamlines.count() == 10
    assert sorted(programmes["nanoterasu-coalition"].beamlines.values_list("code", flat=True)) == [
        "BL07U",
        "BL08U",
        "BL08W",
        "BL09U",
        "BL09W",
        "BL10U",
        "BL14U",
    ]
    assert counts() == (3, 3, 12, 13)


def test_every_fee_figure_of_the_brief_is_loaded(loaded):
    amounts = {
        (f.policy_version.programme.code, f.code, f.joining_fiscal_year): f.amount
        for f in FeeRule.objects.select_related("policy_version__programme")
    }
    assert amounts[("spring8", "proprietary", None)] == Decimal(480000)
    assert amounts[("spring8", "time_designated", None)] == Decimal(720000)
    assert amounts[("spring8", "measurement_service", None)] == Decimal(720000)
    assert amounts[("spring8", "priority", None)] == Decimal(131000)
    assert amounts[("spring8", "user_fee", None)] == Decimal(10720)
    assert amounts[("spring8", "consumables", None)] is None
    assert amounts[("nanoterasu-shared", "consumables", None)] is None
    assert amounts[("nanoterasu-coalition", "joining_fee", None)] == Decimal(50000000)
    assert amounts[("nanoterasu-coalition", "usage", 2022)] == Decimal(35000)


def test_fee_rules_record_tax_and_route(loaded):
    proprietary = selectors.fee("spring8", "proprietary")
    assert proprietary.tax_included is True
    assert proprietary.unit == FeeRule.Unit.SHIFT
    assert proprietary.route is not None and proprietary.route.code == "proprietary_normal"
    assert selectors.fee("spring8", "consumables").route is None
    joining = selectors.fee("nanoterasu-coalition", "joining_fee")
    assert (joining.unit, joining.tax_included) == (FeeRule.Unit.UNIT, False)


def test_loading_the_same_version_again_is_a_no_op(loaded):
    version = PolicyVersion.objects.get(programme__code="spring8")
    before = counts()

    result = policy_load(path="spring8")

    assert result.outcome is LoadOutcome.UNCHANGED
    assert result.version.pk == version.pk
    assert counts() == before
    assert PolicyVersion.objects.get(pk=version.pk).loaded_at == version.loaded_at


def test_a_comment_only_edit_is_still_the_same_version(loaded, spring8_text, write_pack):
    path = write_pack(spring8_text.replace("# SPring-8 user programme", "# Edited comment"))

    result = policy_load(path=path)

    assert result.outcome is LoadOutcome.UNCHANGED


def test_same_version_with_changed_content_is_refused(loaded, spring8_text, write_pack):
    path = write_pack(spring8_text.replace("amount: 480000", "amount: 490000"))

    with pytest.raises(PackError) as error:
        policy_load(path=path)

    assert str(error.value) == (
        f"Policy pack {path} cannot be loaded:\n"
        '  - version: version "2026.1" of "spring8" is already loaded with different content; '
        "loaded versions never change: bump version (and set effective_from) to publish the "
        "change"
    )
    assert selectors.fee("spring8", "proprietary").amount == Decimal(480000)
    assert PolicyVersion.objects.filter(programme__code="spring8").count() == 1


def next_year(text: str) -> str:
    return (
        text.replace('version: "2026.1"', 'version: "2027.1"')
        .replace("effective_from: 2026-04-01", "effective_from: 2027-04-01")
        .replace("amount: 480000", "amount: 500000")
    )


def test_a_new_version_supersedes_from_its_effective_date(loaded, spring8_text, write_pack):
    # given a 2027 version loaded while the 2026 one is in force
    result = policy_load(path=write_pack(next_year(spring8_text)))
    assert result.outcome is LoadOutcome.CREATED

    # then the old version stays in force until the day before
    eve = dt.datetime(2027, 3, 31, 23, 59, tzinfo=clock.TOKYO)
    with clock.frozen(eve):
        assert selectors.policy_in_force("spring8").version == "2026.1"
        assert selectors.fee("spring8", "proprietary").amount == Decimal(480000)
    # and the new one takes over on its date
    with clock.frozen(dt.datetime(2027, 4, 1, 0, 0, tzinfo=clock.TOKYO)):
        assert selectors.policy_in_force("spring8").version == "2027.1"
        assert selectors.fee("spring8", "proprietary").amount == Decimal(500000)
    assert selectors.policy_in_force("spring8", on=dt.date(2026, 12, 1)).version == "2026.1"


def test_a_second_version_on_the_same_day_is_refused(loaded, spring8_text, write_pack):
    path = write_pack(spring8_text.replace('version: "2026.1"', 'version: "2026.2"'))

    with pytest.raises(PackError) as error:
        policy_load(path=path)

    assert (
        "  - effective_from: version 2026.1 already takes effect on 2026-04-01; choose another date"
        in str(error.value)
    )
    assert PolicyVersion.objects.filter(programme__code="spring8").count() == 1


BROKEN = [
    pytest.param(
        lambda t: t.replace(
            "    review: technical_and_safety  # default: paid priority", "    # removed"
        ),
        "routes[3].review: this key is required but missing",
        id="missing-key",
    ),
    pytest.param(
        lambda t: t.replace("per_year: 6", "per_year: many"),
        "calls.per_year: Input should be a valid integer, unable to parse string as an integer "
        "(got 'many')",
        id="wrong-type",
    ),
    pytest.param(
        lambda t: t.replace("amount: 480000", "amount: -480000"),
        "fees[3].amount: must not be negative (got -480000)",
        id="negative-fee",
    ),
    pytest.param(
        lambda t: t.replace("amount: 480000", "amount: 480000.0"),
        "fees[3].amount: must be a whole number of yen written without a decimal point "
        "(got 480000.0); money is never a float",
        id="float-money",
    ),
    pytest.param(
        lambda t: t.replace("code: BL46XU", "code: BL99XU"),
        'beamlines[6].code: beamline BL99XU does not exist at facility "spring8"',
        id="unknown-beamline",
    ),
    pytest.param(
        lambda t: t.replace("pack: spring8", "pack: [spring8"),
        "line 11, column 8: not valid YAML: expected ',' or ']', but got ':' (while parsing a "
        "flow sequence that starts at line 10, column 7)",
        id="bad-yaml",
    ),
    pytest.param(
        lambda t: t.replace("fees: [priority, user_fee", "fees: [prio, user_fee"),
        'routes[3].fees[0]: refers to fee "prio", which is not defined under fees',
        id="unknown-fee-reference",
    ),
    pytest.param(
        lambda t: t.replace("effective_until: null", "effective_until: 2025-03-31"),
        "effective_until: 2025-03-31 is before effective_from 2026-04-01",
        id="dates-out-of-order",
    ),
    pytest.param(
        lambda t: t.replace("facility: spring8", "facility: spring9"),
        'facility: facility "spring9" is not in the catalogue; load the facility data first '
        "(manage.py load_facility)",
        id="unknown-facility",
    ),
    pytest.param(
        lambda t: t.replace(
            "    tax_included: true\n    route: priority",
            "    taxincluded: true\n    route: priority",
        ),
        "fees[2].taxincluded: unknown key (misspelt, or not part of a policy pack)",
        id="misspelt-key",
    ),
    pytest.param(
        lambda t: t.replace('["10:00", "18:00", "02:00"]', "[10:00, 18:00]"),
        'time_unit.shift_starts[0]: write times of day in quotes, e.g. "10:00"',
        id="unquoted-time",
    ),
]


@pytest.mark.parametrize(("breakage", "problem"), BROKEN)
def test_a_broken_pack_names_file_and_key_and_writes_nothing(
    catalogue, spring8_text, write_pack, breakage, problem
):
    broken = breakage(spring8_text)
    assert broken != spring8_text  # the breakage applied
    path = write_pack(broken, "broken-spring8.yaml")

    with pytest.raises(PackError) as error:
        policy_load(path=path)

    message = str(error.value)
    assert message.splitlines()[0] == f"Policy pack {path} cannot be loaded:"
    assert f"  - {problem}" in message.splitlines()
    assert counts() == (0, 0, 0, 0)


def test_a_union_mistake_is_reported_once_with_both_alternatives(catalogue, write_pack):
    text = (PACK_DIR / "nanoterasu-coalition.yaml").read_text(encoding="utf-8")
    path = write_pack(
        text.replace("member_classes: [platinum, special_contract_gold]", "member_classes: some")
    )

    with pytest.raises(PackError) as error:
        policy_load(path=path)

    assert str(error.value).splitlines()[1:] == [
        "  - booking.rounds[1].member_classes: Input should be a valid list or 'all' (got 'some')"
    ]


def test_an_unquoted_version_gets_a_hint(catalogue, spring8_text, write_pack):
    path = write_pack(spring8_text.replace('version: "2026.1"', "version: 2026.1"))

    with pytest.raises(PackError) as error:
        policy_load(path=path)

    assert str(error.value).splitlines()[1:] == [
        "  - version: Input should be a valid string (got 2026.1); "
        'write it in quotes, e.g. "2026.1"'
    ]


def test_a_pack_naming_beamlines_before_the_facility_is_loaded_fails(db):
    with pytest.raises(PackError) as error:
        policy_load(path="nanoterasu-shared")

    assert '  - facility: facility "nanoterasu" is not in the catalogue' in str(error.value)
    assert counts() == (0, 0, 0, 0)


def test_a_failure_while_writing_rolls_everything_back(catalogue, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(FeeRule.objects, "bulk_create", explode)

    with pytest.raises(RuntimeError):
        policy_load(path="spring8")

    assert counts() == (0, 0, 0, 0)


def test_the_command_prints_what_it_loaded(catalogue, frozen_clock):
    out = io.StringIO()

    call_command("load_policy", "spring8", "nanoterasu-shared", stdout=out)
    call_command("load_policy", "spring8", stdout=out)

    assert out.getvalue().splitlines() == [
        "spring8 2026.1 (in force from 2026-04-01): loaded",
        "nanoterasu-shared 2026.1 (in force from 2026-04-01): loaded",
        "spring8 2026.1 (in force from 2026-04-01): already loaded, unchanged",
    ]


def test_the_command_reports_a_broken_pack_and_fails(catalogue, spring8_text, write_pack):
    path = write_pack(spring8_text.replace("amount: 480000", "amount: 480000.0"))

    with pytest.raises(CommandError) as error:
        call_command("load_policy", str(path), stdout=io.StringIO())

    assert str(path) in str(error.value)
    assert "fees[3].amount: must be a whole number of yen" in str(error.value)
    assert counts() == (0, 0, 0, 0)


def test_the_command_refuses_an_unknown_pack_name(catalogue):
    with pytest.raises(CommandError) as error:
        call_command("load_policy", "spring9", stdout=io.StringIO())

    assert str(error.value) == (
        "Policy pack spring9 cannot be loaded:\n"
        "  - no such file, and not a pack name (known packs: spring8, nanoterasu-shared, "
        "nanoterasu-coalition)"
    )


def test_the_command_needs_a_pack(catalogue):
    with pytest.raises(CommandError, match="Name a pack"):
        call_command("load_policy", stdout=io.StringIO())


def test_a_version_loaded_before_a_new_schema_default_still_counts_as_unchanged(db, catalogue):
    """A stored document that lacks a key added later (with a default) is the same content."""
    from akari.policies import reader
    from akari.policies.models import PolicyVersion
    from akari.policies.services import LoadOutcome, policy_load

    first = policy_load(path="spring8")
    # As an older schema stored it: only what the author wrote, no later defaults.
    pack, _digest = reader.read(reader.resolve("spring8"))
    stored = pack.model_dump(mode="json", exclude_unset=True)
    assert stored != first.version.document
    PolicyVersion.objects.filter(pk=first.version.pk).update(document=stored, sha256="0" * 64)

    again = policy_load(path="spring8")

    assert again.outcome is LoadOutcome.UNCHANGED
    assert PolicyVersion.objects.count() == 1


def test_caps_naming_an_unknown_route_is_refused(db, catalogue, tmp_path):
    from akari.policies import reader
    from akari.policies.reader import PackError

    text = reader.resolve("spring8").read_text(encoding="utf-8")
    assert "priority_and_proprietary_routes" in text
    broken = text.replace("proprietary_routes: [priority,", "proprietary_routes: [no_such_route,")
    assert broken != text
    with pytest.raises(PackError) as excinfo:
        reader.parse(broken, source="spring8-broken.yaml")
    assert "caps.priority_and_proprietary_routes[0]" in str(excinfo.value)
    assert 'route "no_such_route"' in str(excinfo.value)

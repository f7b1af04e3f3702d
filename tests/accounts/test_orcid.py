import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from akari.accounts.orcid import check_digit, is_valid, normalise, validate_orcid


@pytest.mark.parametrize(
    "value",
    [
        "0000-0002-1825-0097",  # ORCID's documented example
        "0000-0001-5109-3700",
        "0000-0002-1694-233X",  # check digit X
        "https://orcid.org/0000-0002-1825-0097",
        " 0000-0002-1694-233x ",
    ],
)
def test_valid_orcids(value):
    assert is_valid(value)
    validate_orcid(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000-0002-1694-2330", "orcid_checksum"),
        ("0000-0002-1825-009", "orcid_format"),
        ("0000000218250097", "orcid_format"),
        ("abcd-0002-1825-0097", "orcid_format"),
    ],
)
def test_invalid_orcids_name_the_problem(value, code):
    assert not is_valid(value)
    with pytest.raises(ValidationError) as excinfo:
        validate_orcid(value)
    assert excinfo.value.code == code


def test_normalise_strips_url_and_uppercases_x():
    assert normalise("https://orcid.org/0000-0002-1694-233x") == "0000-0002-1694-233X"


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_every_base_has_exactly_one_valid_check_digit(base):
    formatted = f"{base[:4]}-{base[4:8]}-{base[8:12]}-{base[12:]}"
    valid = [d for d in "0123456789X" if is_valid(formatted + d)]
    assert valid == [check_digit(base)]

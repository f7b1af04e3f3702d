"""Publications: DOI syntax and duplicates, ORCID iDs, links and what they fulfil; BibTeX and RIS
round trips."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from akari.core import clock
from akari.outcomes.bibliography import (
    BibliographyError,
    Citation,
    parse_any,
    parse_bibtex,
    parse_ris,
    write_bibtex,
    write_ris,
)
from akari.outcomes.engine import obligations_create
from akari.outcomes.models import Publication
from akari.outcomes.publications import Author, normalise_doi, publication_register, validate_doi
from tests.beamtime.factories import at
from tests.outcomes.factories import experiment


def register(exp, **kwargs):
    values = {
        "facility": exp.beamline.facility,
        "actor": exp.lead,
        "kind": "refereed",
        "title": "Operando XAFS of Pt nanoparticles",
        "year": 2027,
        "authors": [Author("Hana Sato", "0000-0002-1825-0097"), Author("Taro Suzuki")],
        "doi": "10.1234/abc.2027.1",
        "experiments": [exp],
    }
    values.update(kwargs)
    return publication_register(**values)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("10.1234/ABC.1", "10.1234/abc.1"),
        ("https://doi.org/10.1103/PhysRevB.99.1", "10.1103/physrevb.99.1"),
        ("  doi:10.12345678/x(y)z ", "10.12345678/x(y)z"),
        ("http://dx.doi.org/10.1021/jacs.7b00001", "10.1021/jacs.7b00001"),
    ],
)
def test_doi_is_normalised(raw, normal):
    assert normalise_doi(raw) == normal
    assert validate_doi(raw) == normal


@pytest.mark.parametrize("bad", ["11.1234/x", "10.123/x", "10.1234/", "10.1234/a b", "doi"])
def test_malformed_dois_are_refused(bad):
    with pytest.raises(ValidationError):
        validate_doi(bad)


@pytest.mark.django_db
def test_registration_links_fulfils_and_is_public():
    exp = experiment()
    with clock.frozen(at(2026, 6, 2, 9)):
        obligations_create(experiment=exp)

    publication = register(exp)

    assert publication.doi == "10.1234/abc.2027.1"
    assert publication.public is True
    assert list(publication.beamlines.values_list("code", flat=True)) == ["BL01B1"]
    assert [(a.position, a.name, a.orcid) for a in publication.authors.all()] == [
        (1, "Hana Sato", "0000-0002-1825-0097"),
        (2, "Taro Suzuki", ""),
    ]
    assert exp.obligations.get(kind="publication").status == "accepted"
    assert exp.obligations.get(kind="report").status == "open"


@pytest.mark.django_db
def test_a_duplicate_doi_is_refused_with_a_clear_message():
    exp = experiment()
    register(exp)

    with pytest.raises(ValidationError) as duplicate:
        register(exp, doi="https://doi.org/10.1234/ABC.2027.1", title="Same paper again")

    message = duplicate.value.message_dict["doi"][0]
    assert "10.1234/abc.2027.1" in message
    assert "Operando XAFS of Pt nanoparticles" in message
    assert Publication.objects.count() == 1


@pytest.mark.django_db
def test_an_invalid_orcid_or_no_author_is_refused_and_writes_nothing():
    exp = experiment()
    with pytest.raises(ValidationError):
        register(exp, authors=[Author("Hana Sato", "0000-0002-1825-0098")])
    with pytest.raises(ValidationError):
        register(exp, authors=[Author("  ")])
    with pytest.raises(ValidationError):
        register(exp, doi="not a doi")
    assert not Publication.objects.exists()


@pytest.mark.django_db
def test_a_publication_of_a_proprietary_experiment_is_not_public():
    exp = experiment(route="proprietary_normal", proprietary=True)
    assert register(exp).public is False


SAMPLE_BIBTEX = """
@comment{exported}
@Article{sato2027,
  author = {Sato, Hana and Suzuki, Taro},
  title = {Operando {XAFS} of Pt
           nanoparticles},
  journal = "J. Synchrotron Rad.",
  year = 2027,
  volume = {34},
  pages = {101--110},
  doi = {10.1234/abc.2027.1},
}
@phdthesis{tanaka, author={Tanaka, Jiro}, title={Spin ARPES},
 school={Tohoku University}, year={2028}}
"""

SAMPLE_RIS = """TY  - JOUR
AU  - Sato, Hana
AU  - Suzuki, Taro
TI  - Operando XAFS of Pt nanoparticles
JO  - J. Synchrotron Rad.
PY  - 2027/05/01
VL  - 34
SP  - 101
EP  - 110
DO  - 10.1234/abc.2027.1
ER  - {blank}
TY  - PAT
AU  - Kato, Ken
TI  - Sample holder
PY  - 2028
ER  - {blank}
""".format(blank="")


def test_bibtex_is_read():
    first, second = parse_bibtex(SAMPLE_BIBTEX)
    assert first == Citation(
        kind="refereed",
        title="Operando XAFS of Pt nanoparticles",
        authors=["Sato, Hana", "Suzuki, Taro"],
        year=2027,
        container="J. Synchrotron Rad.",
        volume="34",
        pages="101-110",
        doi="10.1234/abc.2027.1",
        key="sato2027",
    )
    assert (second.kind, second.container, second.year) == ("thesis", "Tohoku University", 2028)


def test_ris_is_read():
    first, second = parse_ris(SAMPLE_RIS)
    assert first == Citation(
        kind="refereed",
        title="Operando XAFS of Pt nanoparticles",
        authors=["Sato, Hana", "Suzuki, Taro"],
        year=2027,
        container="J. Synchrotron Rad.",
        volume="34",
        pages="101-110",
        doi="10.1234/abc.2027.1",
    )
    assert (second.kind, second.authors, second.year) == ("patent", ["Kato, Ken"], 2028)
    assert parse_any(SAMPLE_RIS) == parse_ris(SAMPLE_RIS)
    assert parse_any(SAMPLE_BIBTEX) == parse_bibtex(SAMPLE_BIBTEX)


@pytest.mark.parametrize("bad", ["", "hello", "@article{x, title = {open", "TY  - JOUR\nTI  - x"])
def test_unreadable_text_is_refused(bad):
    with pytest.raises(BibliographyError):
        parse_any(bad)


# Text without the characters the formats reserve, single-spaced, no leading/trailing space.
words = (
    st.text(
        alphabet=st.characters(
            codec="utf-8", categories=("L", "N"), include_characters="-.,:()'’ 日本語"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and " and " not in f" {s} ")
)
names = words.filter(lambda s: not s.startswith("-"))
citations = st.builds(
    Citation,
    kind=st.sampled_from(["refereed", "facility_report", "thesis", "proceedings", "patent"]),
    title=words,
    authors=st.lists(names, min_size=1, max_size=4),
    year=st.integers(min_value=1950, max_value=2100),
    container=words,
    volume=st.from_regex(r"[0-9]{1,3}", fullmatch=True),
    pages=st.from_regex(r"[0-9]{1,4}(-[0-9]{1,4})?", fullmatch=True),
    doi=st.from_regex(r"10\.[0-9]{4,9}/[a-z0-9.()_]{1,20}", fullmatch=True),
    url=st.just("") | st.just("https://example.org/paper"),
    key=st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(citations, min_size=1, max_size=3))
def test_bibtex_round_trip(items):
    assert parse_bibtex(write_bibtex(items)) == items


@settings(max_examples=150, deadline=None)
@given(st.lists(citations, min_size=1, max_size=3))
def test_ris_round_trip(items):
    assert parse_ris(write_ris(items)) == items


@pytest.mark.django_db
def test_a_publication_linked_to_a_proposal_fulfils_every_experiment_of_it():
    from tests.outcomes.factories import placed

    first = experiment()
    second = experiment(end=at(2026, 6, 20, 18), lead=first.lead)
    proposal = placed(first, period_end=dt.date(2026, 7, 31))
    placed(second, period_end=dt.date(2026, 7, 31), proposal=proposal)
    with clock.frozen(at(2026, 6, 21, 9)):
        obligations_create(experiment=first)
        obligations_create(experiment=second)

    publication = register(first, experiments=[], proposal_ids=[proposal.pk])

    assert set(publication.experiments.all()) == {first, second}
    assert list(publication.proposals.all()) == [proposal]
    for exp in (first, second):
        assert exp.obligations.get(kind="publication").status == "accepted"

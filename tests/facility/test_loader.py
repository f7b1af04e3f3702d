"""Loading facility data files: both bundled files, idempotence, and refusal of broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from akari.facility.datafile import FacilityFileError
from akari.facility.models import Beamline, BeamlinePolicyArea, EndStation, Facility, PolicyArea
from akari.facility.services import DATA_DIR, beamline_set_status, facility_load

pytestmark = pytest.mark.django_db

NANOTERASU = DATA_DIR / "nanoterasu.yaml"
SPRING8 = DATA_DIR / "spring8.yaml"
QST_BEAMLINES = ["BL02U", "BL06U", "BL13U"]
COALITION_BEAMLINES = ["BL07U", "BL08U", "BL08W", "BL09U", "BL09W", "BL10U", "BL14U"]
SPRING8_BEAMLINES = ["BL01B1", "BL02B1", "BL04B2", "BL14B2", "BL19B2", "BL40XU", "BL46XU"]


def variant(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the NanoTerasu file with ``change`` applied."""
    data = yaml.safe_load(NANOTERASU.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def beamline_row(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(row for row in data["beamlines"] if row["code"] == code)


def table_sizes() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Facility, PolicyArea, Beamline, BeamlinePolicyArea, EndStation)
    }


def test_nanoterasu_file_loads_the_ten_beamlines_of_the_brief():
    facility_load(path=NANOTERASU)

    beamlines = Beamline.objects.filter(facility__code="nanoterasu")
    assert sorted(beamlines.values_list("code", flat=True)) == sorted(
        QST_BEAMLINES + COALITION_BEAMLINES
    )
    shared = beamlines.filter(access_scheme=Beamline.AccessScheme.SHARED, operator="QST")
    assert sorted(shared.values_list("code", flat=True)) == QST_BEAMLINES
    coalition = beamlines.filter(access_scheme=Beamline.AccessScheme.COALITION, operator="PhoSIC")
    assert sorted(coalition.values_list("code", flat=True)) == COALITION_BEAMLINES
    assert list(PolicyArea.objects.values_list("code", "name_ja")) == [
        ("infection_control", "感染症対策"),
        ("materials", "マテリアル革新力"),
        ("green_innovation", "Green Innovation"),
        ("sdgs", "SDGs"),
    ]
    assert all(b.end_stations.count() >= 1 for b in beamlines)


def test_coalition_beamlines_carry_the_seed_policy_table_cell_by_cell():
    facility_load(path=NANOTERASU)

    def cell(code: str, area: str) -> tuple[str, str]:
        link = BeamlinePolicyArea.objects.get(beamline__code=code, policy_area__code=area)
        return link.applications_ja, link.applications_en

    assert BeamlinePolicyArea.objects.count() == 7 * 4
    assert not BeamlinePolicyArea.objects.filter(beamline__code__in=QST_BEAMLINES).exists()
    assert cell("BL07U", "infection_control") == (
        "医療技術、生体適合性、中間水、ナノバブル",
        "Medical technology, biocompatibility, intermediate water, nanobubbles",
    )
    assert cell("BL08W", "infection_control")[0] == "創薬、製薬"
    assert cell("BL09W", "green_innovation")[0] == "CFRP、エコポリマー、アップサイクル"
    assert cell("BL14U", "materials")[0] == "量子制御デバイス用マテリアル"
    assert cell("BL09U", "green_innovation")[0] == "Liイオン電池、燃料電池"
    assert cell("BL07U", "sdgs") == (
        "6 安全な水とトイレを世界中に",
        "Goal 6: Clean water and sanitation",
    )
    assert cell("BL09W", "sdgs")[0] == "12 つくる責任つかう責任"
    assert [cell(code, "sdgs")[0].split()[0] for code in COALITION_BEAMLINES] == [
        "6",  # BL07U
        "7",  # BL08U
        "9",  # BL08W
        "9",  # BL09U
        "12",  # BL09W
        "7",  # BL10U
        "9",  # BL14U
    ]
    functions = dict(Beamline.objects.values_list("code", "functions_ja"))
    assert functions["BL08U"] == "化学反応"
    assert functions["BL09W"] == "応力応答"


def test_spring8_file_loads_its_public_beamlines():
    facility_load(path=SPRING8)

    beamlines = Beamline.objects.filter(facility__code="spring8")
    assert list(beamlines.values_list("code", flat=True)) == SPRING8_BEAMLINES
    assert set(beamlines.values_list("access_scheme", "operator")) == {("shared", "JASRI")}
    assert Facility.objects.get(code="spring8").name_en == "SPring-8"


def test_load_facility_all_loads_both_files(capsys):
    call_command("load_facility", all=True)

    assert Facility.objects.count() == 2
    assert Beamline.objects.count() == 17
    out = capsys.readouterr().out
    assert "nanoterasu: 63 created, 0 updated, 0 unchanged" in out
    assert "spring8: 17 created, 0 updated, 0 unchanged" in out


def test_load_facility_accepts_a_bundled_name_or_a_path(tmp_path):
    call_command("load_facility", "spring8")
    call_command("load_facility", str(NANOTERASU))

    assert sorted(Facility.objects.values_list("code", flat=True)) == ["nanoterasu", "spring8"]


@pytest.mark.parametrize("arguments", [{}, {"name": "spring8", "all": True}])
def test_load_facility_needs_exactly_one_of_name_or_all(arguments):
    with pytest.raises(CommandError, match="Give one NAME"):
        call_command("load_facility", **arguments)
    assert Facility.objects.count() == 0


def test_loading_twice_changes_nothing():
    facility_load(path=NANOTERASU)
    before = table_sizes()
    stamps = dict(Beamline.objects.values_list("code", "updated_at"))

    summary = facility_load(path=NANOTERASU)

    assert table_sizes() == before
    assert dict(Beamline.objects.values_list("code", "updated_at")) == stamps
    assert summary.created == {}
    assert summary.updated == {}
    assert summary.unchanged == {
        "facility": 1,
        "policy_area": 4,
        "beamline": 10,
        "policy_area_link": 28,
        "end_station": 20,
    }


def test_reloading_an_edited_file_updates_texts_without_duplicates(tmp_path):
    facility_load(path=NANOTERASU)
    bl02u = Beamline.objects.get(code="BL02U")

    def edit(data: dict[str, Any]) -> None:
        beamline_row(data, "BL02U")["name_en"] = "RIXS (renamed)"
        beamline_row(data, "BL07U")["policy_areas"][1]["applications_en"] = "Nanoparticles, more"
        data["policy_areas"][0]["name_en"] = "Infection control and prevention"

    summary = facility_load(path=variant(tmp_path, edit))

    assert Beamline.objects.filter(code="BL02U").count() == 1
    assert Beamline.objects.get(pk=bl02u.pk).name_en == "RIXS (renamed)"
    assert (
        BeamlinePolicyArea.objects.get(
            beamline__code="BL07U", policy_area__code="materials"
        ).applications_en
        == "Nanoparticles, more"
    )
    assert PolicyArea.objects.get(code="infection_control").name_en == (
        "Infection control and prevention"
    )
    assert summary.updated == {"beamline": 1, "policy_area_link": 1, "policy_area": 1}
    assert Beamline.objects.count() == 10


def test_reloading_keeps_a_status_changed_since(user):
    facility_load(path=NANOTERASU)
    beamline_set_status(
        beamline=Beamline.objects.get(code="BL13U"),
        status=Beamline.Status.PAUSED,
        actor=user,
        reason="Maintenance",
    )

    facility_load(path=NANOTERASU)

    assert Beamline.objects.get(code="BL13U").status == Beamline.Status.PAUSED


def test_a_policy_area_dropped_from_a_beamline_is_unlinked(tmp_path):
    facility_load(path=NANOTERASU)

    def drop(data: dict[str, Any]) -> None:
        row = beamline_row(data, "BL07U")
        row["policy_areas"] = [a for a in row["policy_areas"] if a["area"] != "sdgs"]

    facility_load(path=variant(tmp_path, drop))

    codes = BeamlinePolicyArea.objects.filter(beamline__code="BL07U").values_list(
        "policy_area__code", flat=True
    )
    assert list(codes) == ["infection_control", "materials", "green_innovation"]


def _remove_technique(data: dict[str, Any]) -> None:
    del beamline_row(data, "BL07U")["technique_en"]


def _bad_scheme(data: dict[str, Any]) -> None:
    beamline_row(data, "BL02U")["access_scheme"] = "public"


def _unknown_area(data: dict[str, Any]) -> None:
    beamline_row(data, "BL08U")["policy_areas"][3]["area"] = "space"


def _duplicate_beamline(data: dict[str, Any]) -> None:
    data["beamlines"][1]["code"] = "BL02U"


def _duplicate_end_station(data: dict[str, Any]) -> None:
    stations = beamline_row(data, "BL10U")["end_stations"]
    stations[1]["code"] = stations[0]["code"]


def _duplicate_area(data: dict[str, Any]) -> None:
    data["policy_areas"][3]["code"] = "materials"


def _misspelt_key(data: dict[str, Any]) -> None:
    beamline_row(data, "BL14U")["operater"] = beamline_row(data, "BL14U").pop("operator")


def _too_long(data: dict[str, Any]) -> None:
    beamline_row(data, "BL09W")["functions_en"] = "x" * 301


def _missing_facility(data: dict[str, Any]) -> None:
    del data["facility"]


def _bad_website(data: dict[str, Any]) -> None:
    data["facility"]["website"] = "nanoterasu dot jp"


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (_remove_technique, "beamlines[BL07U].technique_en", "is required but missing"),
        (_bad_scheme, "beamlines[BL02U].access_scheme", "Input should be 'shared', 'coalition'"),
        (_unknown_area, "beamlines[BL08U].policy_areas[3].area", "unknown policy area 'space'"),
        (_duplicate_beamline, "beamlines[1].code", "duplicate code 'BL02U'"),
        (_duplicate_end_station, "beamlines[BL10U].end_stations[1].code", "duplicate code"),
        (_duplicate_area, "policy_areas[3].code", "duplicate code 'materials'"),
        (_misspelt_key, "beamlines[BL14U].operater", "is not a known key"),
        (_too_long, "beamlines[BL09W].functions_en", "must be at most 300 characters (it has 301)"),
        (_missing_facility, "facility", "is required but missing"),
        (_bad_website, "facility.website", "is not a valid URL"),
    ],
)
def test_a_broken_file_names_file_and_key_and_writes_nothing(tmp_path, change, key, problem):
    path = variant(tmp_path, change)

    with pytest.raises(FacilityFileError) as refused:
        facility_load(path=path)

    assert f"{path}: {key}: {problem}" in str(refused.value)
    assert table_sizes() == dict.fromkeys(table_sizes(), 0)


def test_a_broken_file_leaves_loaded_data_untouched(tmp_path):
    facility_load(path=NANOTERASU)
    before = table_sizes()

    def rename_and_break(data: dict[str, Any]) -> None:
        beamline_row(data, "BL02U")["name_en"] = "Renamed"
        beamline_row(data, "BL14U")["access_scheme"] = "public"

    with pytest.raises(CommandError) as refused:
        call_command("load_facility", str(variant(tmp_path, rename_and_break)))

    assert "Nothing was loaded" in str(refused.value)
    assert "beamlines[BL14U].access_scheme" in str(refused.value)
    assert Beamline.objects.get(code="BL02U").name_en == "Soft X-ray ultra-high-resolution RIXS"
    assert table_sizes() == before


def test_a_file_that_is_not_yaml_is_refused_with_its_name(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("facility: [1\n", encoding="utf-8")

    with pytest.raises(FacilityFileError, match=r"broken\.yaml: \(file\): is not valid YAML"):
        facility_load(path=path)


def test_a_missing_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.yaml: \(file\): cannot be read"):
        call_command("load_facility", str(tmp_path / "nowhere.yaml"))


def test_a_beamline_may_refer_to_a_policy_area_already_loaded(tmp_path):
    facility_load(path=NANOTERASU)

    def without_areas(data: dict[str, Any]) -> None:
        data["policy_areas"] = []

    facility_load(path=variant(tmp_path, without_areas))

    assert BeamlinePolicyArea.objects.count() == 28

"""Fixtures of the facility tests: a small catalogue, and an admin with TOTP enrolled."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from akari.facility.models import Beamline
from tests.facility.factories import (
    BeamlineFactory,
    BeamlinePolicyAreaFactory,
    EndStationFactory,
    FacilityFactory,
    PolicyAreaFactory,
    make_programme,
)
from tests.factories import UserFactory


@pytest.fixture
def staff_client(client):
    """A superuser with TOTP enrolled (so the MFA middleware lets them in), browsing in English."""
    person = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(person, generate_totp_secret())
    client.force_login(person)
    client.cookies["akari_language"] = "en"
    client.person = person
    return client


@pytest.fixture
def catalogue(db) -> SimpleNamespace:
    """Two facilities, three beamlines, two policy areas, two programmes."""
    nano = FacilityFactory(code="nanoterasu", name_ja="ナノテラス", name_en="NanoTerasu")
    spring8 = FacilityFactory(code="spring8", name_ja="スプリングエイト", name_en="SPring-8")
    materials = PolicyAreaFactory(
        code="materials", name_ja="マテリアル革新力", name_en="Materials innovation", order=1
    )
    green = PolicyAreaFactory(
        code="green_innovation", name_ja="グリーン", name_en="Green Innovation", order=2
    )
    rixs = BeamlineFactory(
        facility=nano,
        code="BL02U",
        name_ja="軟X線超高分解能共鳴非弾性散乱",
        name_en="Soft X-ray ultra-high-resolution RIXS",
        technique_ja="軟X線共鳴非弾性散乱",
        technique_en="Resonant inelastic X-ray scattering (RIXS)",
        functions_ja="超高エネルギー分解能",
        functions_en="Ultra-high energy resolution",
        access_scheme=Beamline.AccessScheme.SHARED,
        operator="QST",
    )
    electronic = BeamlineFactory(
        facility=nano,
        code="BL07U",
        name_ja="軟X線電子状態解析",
        name_en="Soft X-ray electronic state analysis",
        technique_ja="軟X線電子状態解析",
        technique_en="Soft X-ray electronic state analysis",
        functions_ja="化学状態、電子状態",
        functions_en="Chemical state, electronic state",
        access_scheme=Beamline.AccessScheme.COALITION,
        operator="PhoSIC",
        description_ja="コアリションビームライン。",
        description_en="A coalition beamline.",
    )
    xafs = BeamlineFactory(
        facility=spring8,
        code="BL01B1",
        name_ja="XAFS I",
        name_en="XAFS I",
        technique_ja="X線吸収微細構造",
        technique_en="X-ray absorption fine structure (XAFS)",
        functions_ja="局所構造",
        functions_en="Local structure",
        access_scheme=Beamline.AccessScheme.SHARED,
        operator="JASRI",
        status=Beamline.Status.PAUSED,
    )
    BeamlinePolicyAreaFactory(beamline=rixs, policy_area=materials)
    BeamlinePolicyAreaFactory(
        beamline=electronic,
        policy_area=materials,
        applications_ja="ナノ粒子",
        applications_en="Nanoparticles",
    )
    BeamlinePolicyAreaFactory(
        beamline=electronic,
        policy_area=green,
        applications_ja="安全な食・水・大気",
        applications_en="Safe food, water and air",
    )
    EndStationFactory(beamline=electronic, code="XPS", name_ja="光電子分光装置", name_en="XPS")
    shared = make_programme(nano, "nt-shared", [rixs, electronic])
    s8 = make_programme(spring8, "s8-general", [xafs])
    return SimpleNamespace(rixs=rixs, electronic=electronic, xafs=xafs, shared=shared, s8=s8)

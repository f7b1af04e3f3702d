"""“Which beamline fits my problem?”: beamlines ranked for a question in Japanese or English.

The question is turned into search terms three ways:

* phrases of a small bilingual vocabulary (:data:`VOCABULARY`: "battery" = "電池", "magnetism" =
  "磁性" ...) found in it, each with its translations, so a Japanese question finds English text
  and the other way round;
* English words (lower case, a crude plural stemming, stop words dropped);
* runs of kanji, katakana or Latin letters of a Japanese question (hiragana separate words well
  enough: "電池の劣化を調べたい" gives 電池, 劣化).

Each beamline's texts in both languages are weighted by where they say it: technique and
functions (3), the name (2), what it contributes to a policy area (2), its end stations (1.5),
its description (1). A beamline's score is the sum over the matched terms of the best field;
the reasons shown are the matched terms and the text that matched, in the reader's language.
An optional policy area (or facility) narrows the list; a policy area alone lists its beamlines
with what each contributes. Deterministic: ties go by facility and code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from akari.core.i18n import localized
from akari.facility.models import Beamline, BeamlinePolicyArea

# Groups of equivalent terms (any language); matched as phrases in the question.
VOCABULARY: tuple[tuple[str, ...], ...] = (
    ("battery", "batteries", "電池", "Liイオン", "lithium"),
    ("fuel cell", "燃料電池"),
    ("catalyst", "catalysis", "触媒", "chemical reaction", "化学反応"),
    ("magnet", "magnetism", "magnetic", "magnetisation", "magnetization", "磁性", "磁化", "磁石"),
    ("spin", "スピン"),
    ("crystal structure", "結晶構造", "crystal", "結晶"),
    ("diffraction", "回折", "XRD"),
    ("electronic state", "電子状態", "band structure", "バンド構造"),
    ("chemical state", "化学状態", "oxidation state", "価数"),
    ("photoemission", "photoelectron", "光電子", "XPS", "HAXPES", "ARPES"),
    ("absorption", "吸収", "XAFS", "XAS", "EXAFS", "XANES"),
    ("imaging", "イメージング", "画像", "microscopy", "顕微", "ptychography", "タイコグラフィ"),
    ("tomography", "CT", "断層"),
    ("scattering", "散乱", "SAXS", "小角"),
    ("stress", "応力", "strain", "ひずみ", "deformation", "変形", "load", "荷重"),
    ("polymer", "ポリマー", "高分子", "plastic", "プラスチック", "CFRP", "composite", "複合材料"),
    ("drug", "創薬", "pharmaceutical", "製薬", "medicine", "医薬"),
    ("protein", "タンパク質", "蛋白質", "biology", "生体"),
    ("antibacterial", "抗菌", "infection", "感染症", "virus", "ウイルス"),
    ("medical", "医療", "diagnosis", "診断", "lesion", "病変"),
    ("water", "水", "nanobubble", "ナノバブル"),
    ("food", "食"),
    ("nanoparticle", "ナノ粒子"),
    ("thin film", "薄膜", "interface", "界面", "surface", "表面"),
    ("operando", "オペランド", "in situ", "その場", "working device", "動作中"),
    ("time-resolved", "時分割", "時間分解"),
    ("glass", "ガラス", "liquid", "液体", "amorphous", "アモルファス", "非晶質"),
    ("recycling", "リサイクル", "資源循環", "upcycling", "アップサイクル", "circulation"),
    ("carbon", "カーボン", "炭素", "zero carbon", "ゼロカーボン"),
    ("energy", "エネルギー", "solar", "太陽電池"),
    ("semiconductor", "半導体", "device", "デバイス"),
    ("rixs", "RIXS", "共鳴非弾性散乱", "inelastic", "非弾性"),
    ("polarisation", "polarization", "偏光", "dichroism", "二色性", "XMCD"),
    ("charge density", "電荷密度"),
    ("soft x-ray", "軟X線"),
    ("hard x-ray", "硬X線"),
    ("industry", "industrial", "産業", "企業", "company"),
)

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "and",
        "or",
        "with",
        "my",
        "our",
        "we",
        "i",
        "want",
        "need",
        "how",
        "what",
        "which",
        "is",
        "are",
        "be",
        "can",
        "do",
        "does",
        "measure",
        "measuring",
        "study",
        "studying",
        "analyse",
        "analyze",
        "analysis",
        "see",
        "look",
        "find",
        "about",
        "using",
        "use",
        "at",
        "by",
        "from",
        "into",
        "x",
        "ray",
        "rays",
        "beamline",
        "beamlines",
        "sample",
        "samples",
        "material",
        "materials",
        "problem",
    ]
)
FIELD_WEIGHTS = {
    "technique": 3.0,
    "functions": 3.0,
    "name": 2.0,
    "policy": 2.0,
    "end_station": 1.5,
    "description": 1.0,
}
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CJK_RUN = re.compile(r"[\u30a0-\u30ff\u4e00-\u9fffA-Za-z0-9ー]{2,}")


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _is_ascii(text: str) -> bool:
    return text.isascii()


def _contains(text: str, term: str) -> bool:
    """``term`` in ``text``: whole (stemmed) words for Latin terms, a substring otherwise."""
    if _is_ascii(term):
        words = [_stem(w) for w in _WORD.findall(text.lower())]
        wanted = [_stem(w) for w in _WORD.findall(term.lower())]
        if not wanted:
            return False
        size = len(wanted)
        return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))
    return term in text


def search_terms(question: str) -> list[tuple[str, ...]]:
    """The concepts a question is searched with (see the module docstring): each a tuple of
    equivalent terms, scored once however many of them match."""
    concepts: list[tuple[str, ...]] = []
    seen: set[str] = set()

    def add(group: tuple[str, ...]) -> None:
        fresh = tuple(term for term in group if term.lower() not in seen)
        if fresh:
            seen.update(term.lower() for term in group)
            concepts.append(group)

    for group in VOCABULARY:
        asked = [term for term in group if _contains(question, term)]
        if asked:  # the reader's own word first: reasons quote it
            add((asked[0], *(term for term in group if term != asked[0])))
    for word in _WORD.findall(question.lower()):
        if (
            word not in STOP_WORDS
            and len(word) >= 3
            and _stem(word) not in {_stem(t) for t in seen}
        ):
            add((word,))
    if not _is_ascii(question):
        for run in _CJK_RUN.findall(question):
            if not _is_ascii(run) and not any(run in t or t in run for t in seen):
                add((run,))
    return concepts


@dataclass
class Reason:
    term: str  # the reader's word (or its first equivalent)
    where: str  # a field key of FIELD_WEIGHTS
    text: str  # the matched text in the reader's language


@dataclass
class Match:
    beamline: Beamline
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    policy_links: list[BeamlinePolicyArea] = field(default_factory=list)


def _texts(beamline: Beamline) -> list[tuple[str, str, str]]:
    """(field key, text to search in both languages, text to show) of a beamline."""
    rows = [
        (
            "technique",
            f"{beamline.technique_ja} {beamline.technique_en}",
            localized(beamline, "technique"),
        ),
        (
            "functions",
            f"{beamline.functions_ja} {beamline.functions_en}",
            localized(beamline, "functions"),
        ),
        ("name", f"{beamline.code} {beamline.name_ja} {beamline.name_en}", str(beamline)),
        (
            "description",
            f"{beamline.description_ja} {beamline.description_en}",
            localized(beamline, "description"),
        ),
    ]
    for link in beamline.policy_area_links.all():
        rows.append(
            (
                "policy",
                f"{link.applications_ja} {link.applications_en}",
                f"{link.policy_area}: {localized(link, 'applications')}",
            )
        )
    for station in beamline.end_stations.all():
        rows.append(
            (
                "end_station",
                f"{station.name_ja} {station.name_en}",
                localized(station, "name"),
            )
        )
    return rows


def candidates(*, facility: str = "", policy_area: str = "") -> list[Beamline]:
    queryset = Beamline.objects.exclude(status=Beamline.Status.RETIRED)
    if facility:
        queryset = queryset.filter(facility__code=facility)
    if policy_area:
        queryset = queryset.filter(policy_areas__code=policy_area)
    return list(
        queryset.select_related("facility")
        .prefetch_related(
            Prefetch(
                "policy_area_links",
                queryset=BeamlinePolicyArea.objects.select_related("policy_area"),
            ),
            "end_stations",
        )
        .order_by("facility__code", "code")
        .distinct()
    )


def find(
    question: str = "", *, policy_area: str = "", facility: str = "", limit: int = 8
) -> list[Match]:
    """Beamlines for ``question``, best first, each with its reasons (see module docstring)."""
    terms = search_terms(question.strip())
    matches: list[Match] = []
    for beamline in candidates(facility=facility, policy_area=policy_area):
        match = Match(beamline=beamline)
        if policy_area:
            match.policy_links = [
                link
                for link in beamline.policy_area_links.all()
                if link.policy_area.code == policy_area
            ]
        texts = _texts(beamline)
        for concept in terms:
            best: tuple[float, str, str] | None = None
            for term in concept:
                for where, haystack, shown in texts:
                    if _contains(haystack, term):
                        weight = FIELD_WEIGHTS[where]
                        if best is None or weight > best[0]:
                            best = (weight, where, shown)
            if best is not None:
                match.score += best[0]
                match.reasons.append(Reason(term=concept[0], where=best[1], text=best[2]))
        if match.score > 0 or (policy_area and not terms):
            matches.append(match)
    matches.sort(key=lambda m: -m.score)  # stable: ties keep facility/code order
    return matches[:limit]

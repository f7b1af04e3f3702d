"""Text similarity for partner matching that works for Japanese and English (pure Python).

* Text is NFKC-normalised and lower-cased.
* Japanese (and other CJK) runs give character 2- and 3-grams; Latin runs give word tokens
  (stop words dropped) and, at half weight, character 3-grams of each word (so "spectroscopy"
  meets "spectroscopic").
* A small bilingual glossary of synchrotron techniques and fields maps the Japanese and English
  names of one concept to one shared term ("角度分解光電子分光" and "ARPES" both give
  ``@arpes``), which is what lets a Japanese need meet an English profile.
* Weights are TF-IDF (sub-linear term frequency, smoothed IDF over the profiles ranked); scores
  are cosine similarities. The reasons shown are the shared terms that contribute most.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30fc"
RUN = re.compile(rf"[{CJK}]+|[a-z0-9]+(?:[-+][a-z0-9]+)*")
LATIN_CHAR_WEIGHT = 0.5
CJK_GRAMS = (2, 3)

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "from",
        "have",
        "how",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "the",
        "this",
        "to",
        "use",
        "used",
        "using",
        "want",
        "we",
        "what",
        "which",
        "with",
        "would",
        "need",
        "needs",
        "like",
        "looking",
        "about",
        "also",
        "more",
        "than",
        "their",
        "they",
        "them",
        "there",
        "these",
        "those",
        "such",
        "via",
        "per",
        "any",
        "some",
        "not",
        "but",
        "new",
        "one",
        "two",
        "three",
        "help",
        "should",
        "could",
        "may",
        "might",
        "under",
        "over",
        "between",
        "within",
        "without",
        "each",
        "other",
    ]
)

# Concept -> (display label, variants). Variants are matched on normalised text.
GLOSSARY: dict[str, tuple[str, tuple[str, ...]]] = {
    "xafs": (
        "XAFS",
        ("xafs", "exafs", "xanes", "x線吸収微細構造", "x線吸収分光", "x-ray absorption", "吸収端"),
    ),
    "xps": ("XPS", ("xps", "haxpes", "x線光電子分光", "photoelectron spectroscopy", "光電子分光")),
    "arpes": (
        "ARPES",
        (
            "arpes",
            "角度分解光電子分光",
            "angle-resolved photoemission",
            "バンド構造",
            "band structure",
        ),
    ),
    "saxs": (
        "SAXS/WAXS",
        (
            "saxs",
            "waxs",
            "gisaxs",
            "小角x線散乱",
            "小角散乱",
            "広角x線散乱",
            "small-angle",
            "wide-angle",
        ),
    ),
    "xrd": (
        "XRD",
        (
            "xrd",
            "x線回折",
            "粉末回折",
            "diffraction",
            "回折",
            "結晶構造",
            "crystal structure",
            "rietveld",
            "リートベルト",
        ),
    ),
    "px": (
        "PX",
        (
            "protein crystallography",
            "タンパク質結晶",
            "蛋白質結晶",
            "構造生物",
            "structural biology",
            "創薬",
            "drug discovery",
            "macromolecular",
        ),
    ),
    "ct": (
        "CT",
        (
            "x線ct",
            "ct imaging",
            "tomography",
            "トモグラフィ",
            "マイクロct",
            "非破壊",
            "non-destructive",
            "3次元",
            "three-dimensional",
            "3d imaging",
        ),
    ),
    "imaging": (
        "imaging",
        (
            "imaging",
            "イメージング",
            "顕微",
            "microscopy",
            "stxm",
            "ptychography",
            "タイコグラフィ",
            "コヒーレント",
            "coherent",
        ),
    ),
    "soft_xray": ("soft X-ray", ("soft x-ray", "soft x-rays", "軟x線")),
    "hard_xray": ("hard X-ray", ("hard x-ray", "硬x線")),
    "rixs": ("RIXS", ("rixs", "共鳴非弾性", "resonant inelastic")),
    "xmcd": (
        "XMCD",
        ("xmcd", "磁気円二色性", "magnetic circular dichroism", "磁区", "magnetic domain", "磁化"),
    ),
    "magnet": ("magnetism", ("magnet", "magnetic", "磁性", "磁石", "スピン", "spin")),
    "operando": ("operando", ("operando", "in situ", "in-situ", "オペランド", "その場")),
    "battery": (
        "battery",
        (
            "battery",
            "batteries",
            "電池",
            "リチウムイオン",
            "lithium-ion",
            "正極",
            "負極",
            "cathode",
            "anode",
            "全固体",
            "solid-state electrolyte",
        ),
    ),
    "catalyst": ("catalyst", ("catalyst", "catalysis", "触媒")),
    "polymer": (
        "polymer",
        ("polymer", "高分子", "ポリマー", "樹脂", "resin", "ゴム", "rubber", "フィルム", "film"),
    ),
    "semiconductor": (
        "semiconductor",
        ("semiconductor", "半導体", "デバイス", "device", "薄膜", "thin film", "ウエハ", "wafer"),
    ),
    "steel": ("steel/metal", ("steel", "鉄鋼", "合金", "alloy", "金属", "metal", "溶接", "weld")),
    "residual_stress": (
        "residual stress",
        ("residual stress", "残留応力", "ひずみ", "strain", "応力", "stress"),
    ),
    "food": ("food", ("food", "食品", "でんぷん", "starch", "乳化", "emulsion")),
    "cosmetics": ("cosmetics", ("cosmetic", "化粧品", "皮膚", "skin", "毛髪", "hair")),
    "pharma": (
        "pharmaceutical",
        ("pharmaceutical", "医薬", "製剤", "結晶多形", "polymorph", "api"),
    ),
    "protein": (
        "protein",
        (
            "protein",
            "タンパク質",
            "蛋白質",
            "酵素",
            "enzyme",
            "抗体",
            "antibody",
            "ウイルス",
            "virus",
        ),
    ),
    "surface": (
        "surface/interface",
        (
            "surface",
            "interface",
            "表面",
            "界面",
            "化学状態",
            "chemical state",
            "酸化状態",
            "oxidation state",
            "価数",
            "valence",
        ),
    ),
    "superconductor": (
        "quantum materials",
        (
            "superconduct",
            "超伝導",
            "超電導",
            "トポロジカル",
            "topological",
            "量子物質",
            "quantum material",
        ),
    ),
    "environment": (
        "environment",
        (
            "environment",
            "環境",
            "土壌",
            "soil",
            "重金属",
            "heavy metal",
            "廃棄物",
            "waste",
            "リサイクル",
            "recycl",
        ),
    ),
    "hydrogen": ("hydrogen/fuel cell", ("hydrogen", "水素", "fuel cell", "燃料電池")),
    "solar": (
        "solar cell",
        ("solar cell", "太陽電池", "ペロブスカイト", "perovskite", "photovoltaic"),
    ),
    "cultural": (
        "cultural heritage",
        ("cultural heritage", "文化財", "考古", "archaeolog", "顔料", "pigment"),
    ),
    "coating": ("coating", ("coating", "塗料", "塗膜", "めっき", "plating", "paint")),
}


@dataclass(frozen=True)
class Match:
    index: int
    score: float
    reasons: list[str]


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def concepts(text: str) -> set[str]:
    norm = normalise(text)
    return {
        code for code, (_label, variants) in GLOSSARY.items() if any(v in norm for v in variants)
    }


def features(text: str) -> Counter[str]:
    """Raw term counts of a text (glossary concepts, CJK n-grams, words, word trigrams)."""
    norm = normalise(text)
    counts: Counter[str] = Counter()
    for code in concepts(norm):
        counts[f"@{code}"] += 2
    for run in RUN.findall(norm):
        if "a" <= run[0] <= "z" or run[0].isdigit():
            if run in STOP_WORDS or len(run) < 2:
                continue
            counts[f"w:{run}"] += 1
            padded = f"^{run}$"
            for i in range(len(padded) - 2):
                counts[f"c:{padded[i : i + 3]}"] += 1
        else:
            if len(run) == 1:
                counts[f"j:{run}"] += 1
            for n in CJK_GRAMS:
                for i in range(len(run) - n + 1):
                    counts[f"j:{run[i : i + n]}"] += 1
    return counts


def _tf(counts: Mapping[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for term, n in counts.items():
        weight = 1.0 + math.log(n) if n > 0 else 0.0
        if term.startswith("c:"):
            weight *= LATIN_CHAR_WEIGHT
        out[term] = weight
    return out


class Index:
    """TF-IDF vectors of a fixed set of documents (the published profiles)."""

    def __init__(self, documents: Sequence[str]) -> None:
        self.counts = [features(d) for d in documents]
        df: Counter[str] = Counter()
        for c in self.counts:
            df.update(c.keys())
        n = len(documents)
        self.idf = {term: math.log((1 + n) / (1 + k)) + 1.0 for term, k in df.items()}
        self.default_idf = math.log(1 + n) + 1.0
        self.vectors = [self._vector(c) for c in self.counts]

    def _vector(self, counts: Mapping[str, float]) -> dict[str, float]:
        tf = _tf(counts)
        vec = {t: w * self.idf.get(t, self.default_idf) for t, w in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def rank(self, query: str, *, limit: int = 5, min_score: float = 0.0) -> list[Match]:
        q = self._vector(features(query))
        scored = []
        for i, vec in enumerate(self.vectors):
            small, large = (q, vec) if len(q) < len(vec) else (vec, q)
            score = sum(w * large.get(t, 0.0) for t, w in small.items())
            if score > min_score:
                scored.append((score, i))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [
            Match(index=i, score=round(s, 4), reasons=self.reasons(q, self.vectors[i]))
            for s, i in scored[:limit]
        ]

    @staticmethod
    def reasons(q: Mapping[str, float], doc: Mapping[str, float], limit: int = 6) -> list[str]:
        """The shared terms that weigh most, as a reader would recognise them."""
        shared = sorted(
            ((q[t] * doc[t], t) for t in q.keys() & doc.keys() if not t.startswith("c:")),
            reverse=True,
        )
        out: list[str] = []
        covered: set[str] = set()  # words already said by a concept shown
        for _weight, term in shared:
            kind, value = term[0], term[2:] if term[1] == ":" else term[1:]
            if kind == "@":
                label, variants = GLOSSARY[term[1:]]
                covered |= {w for v in (label.lower(), *variants) for w in RUN.findall(v)}
            elif kind == "w":
                if value in covered:
                    continue
                label = value
            else:
                label = value
                # Skip a Japanese fragment contained in a term already shown.
                if len(value) < 3 or any(value in shown for shown in out):
                    continue
                out = [shown for shown in out if shown not in value]
            if label not in out:
                out.append(label)
            if len(out) >= limit:
                break
        return out


def rank(query: str, documents: Sequence[str], *, limit: int = 5) -> list[Match]:
    return Index(documents).rank(query, limit=limit)


def precision_at(k: int, ranked: Iterable[int], relevant: set[int]) -> float:
    top = list(ranked)[:k]
    return sum(1 for i in top if i in relevant) / k

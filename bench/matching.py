"""Partner matching: precision@5 of the ranking on the hand-labelled set.

Run: ``.venv/bin/python bench/matching.py`` (pure Python, no database). Prints one line per need
with the top five, then ``RESULT precision_at_5=... recall_at_5=... mrr=...`` (also split by the
need's language).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from akari.services import matching_engine  # noqa: E402

DATA = ROOT / "src" / "akari" / "services" / "data" / "matching_eval.yaml"


def evaluate(verbose: bool = True) -> dict[str, float]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    ids = list(data["profiles"])
    index = matching_engine.Index([data["profiles"][i]["text"] for i in ids])
    totals: dict[str, list[float]] = {"p5": [], "r5": [], "rr": [], "ja": [], "en": []}
    for need in data["needs"]:
        relevant = {ids.index(p) for p in need["relevant"]}
        ranked = [m.index for m in index.rank(need["text"], limit=len(ids))]
        p5 = matching_engine.precision_at(5, ranked, relevant)
        r5 = len(set(ranked[:5]) & relevant) / len(relevant)
        first = next((pos for pos, i in enumerate(ranked, 1) if i in relevant), None)
        totals["p5"].append(p5)
        totals["r5"].append(r5)
        totals["rr"].append(1 / first if first else 0.0)
        totals[need["lang"]].append(p5)
        if verbose:
            top = " ".join(ids[i] for i in ranked[:5])
            print(f"{need['id']} {need['lang']} p@5={p5:.2f} r@5={r5:.2f} top5={top}")
    mean = {k: sum(v) / len(v) for k, v in totals.items() if v}
    # Ceiling: with fewer than 5 relevant profiles per need, precision@5 cannot reach 1.
    ceiling = sum(min(len(n["relevant"]), 5) / 5 for n in data["needs"]) / len(data["needs"])
    mean["ceiling"] = ceiling
    return mean


if __name__ == "__main__":
    result = evaluate()
    print(
        f"RESULT precision_at_5={result['p5']:.3f} recall_at_5={result['r5']:.3f} "
        f"mrr={result['rr']:.3f} precision_at_5_ja={result['ja']:.3f} "
        f"precision_at_5_en={result['en']:.3f} ceiling_precision_at_5={result['ceiling']:.3f} "
        f"needs={len(yaml.safe_load(DATA.read_text(encoding='utf-8'))['needs'])}"
    )

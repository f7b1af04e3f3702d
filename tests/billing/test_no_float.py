"""No float anywhere in the money paths of billing (rates, tax, invoices, runs, export)."""

from __future__ import annotations

import ast
from pathlib import Path

import akari.billing

MONEY_MODULES = [
    "rates.py",
    "tax.py",
    "charges.py",
    "services.py",
    "runs.py",
    "receivables.py",
    "selectors.py",
    "export.py",
    "models.py",
]


def test_money_modules_never_use_float():
    root = Path(akari.billing.__file__).parent
    offenders = []
    for name in MONEY_MODULES:
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "float":
                offenders.append(f"{name}:{node.lineno} float")
            if isinstance(node, ast.Constant) and isinstance(node.value, float):
                offenders.append(f"{name}:{node.lineno} {node.value!r}")
            if isinstance(node, ast.Attribute) and node.attr == "FloatField":
                offenders.append(f"{name}:{node.lineno} FloatField")
    assert offenders == []

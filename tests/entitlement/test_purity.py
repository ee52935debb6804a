"""The entitlement package reads no clock, database or application: its inputs are its only state."""

import ast
from pathlib import Path

import pytest

import arc.entitlement

PACKAGE = Path(arc.entitlement.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))

FORBIDDEN_MODULES = ("flask", "sqlalchemy", "time", "arc.extensions", "arc.clock", "arc.database", "arc.models")
FORBIDDEN_CALLS = {"now", "today", "utcnow", "time"}


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module


def called_attributes(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node.func.attr


def test_package_has_modules():
    assert {module.name for module in MODULES} >= {"__init__.py", "dates.py", "evaluator.py", "rules.py"}


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.name)
def test_module_imports_no_clock_or_database(module):
    tree = ast.parse(module.read_text())

    imports = list(imported_modules(tree))

    for name in imports:
        assert not any(name == forbidden or name.startswith(forbidden + ".") for forbidden in FORBIDDEN_MODULES), name
    assert not any(name.startswith("arc.") and not name.startswith("arc.entitlement") for name in imports)


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.name)
def test_module_calls_no_clock(module):
    tree = ast.parse(module.read_text())

    assert FORBIDDEN_CALLS.isdisjoint(called_attributes(tree))

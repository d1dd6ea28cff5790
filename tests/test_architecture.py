"""Architecture rules that keep the code honest (DESIGN.md section 5)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["bot/domain", "bot/services", "storage"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(*CORE), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_telegram(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import telegram|from telegram)", source, re.MULTILINE)


def _displayable_strings(tree: ast.AST) -> list[ast.Constant]:
    """String constants other than docstrings and regular-expression patterns (input grammar, not output)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "compile":
            skip.update(id(arg) for arg in ast.walk(node))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_user_facing_text_lives_only_in_the_catalog() -> None:
    offenders = []
    for path in _python_files("bot", "handlers", "storage", "scheduler"):
        if path == ROOT / "bot" / "settings.py":  # DEFAULT_CATEGORIES (configuration data), until the test knows data
            continue
        if path.is_relative_to(ROOT / "bot" / "texts") or path == ROOT / "bot" / "domain" / "vocabulary.py":
            continue
        for node in _displayable_strings(ast.parse(path.read_text(encoding="utf-8"))):
            if CJK.search(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert offenders == []


def test_only_the_clock_reads_the_wall_clock() -> None:
    pattern = re.compile(r"datetime\.now\(|datetime\.utcnow\(|time\.time\(|date\.today\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("bot", "handlers", "storage", "scheduler")
        if path != ROOT / "bot" / "clock.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_sql_lives_only_in_storage() -> None:
    pattern = re.compile(r"\b(SELECT .* FROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    offenders = [
        str(path.relative_to(ROOT))
        for path in _python_files("bot", "handlers", "scheduler")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []

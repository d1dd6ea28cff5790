"""Architecture rules that keep the code honest (DESIGN.md section 5)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["bot/domain", "bot/services", "storage"]
# Chinese characters and the full-width punctuation around them (（）、，：「」…): either makes a string copy.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Where Chinese words may be written: the catalog (copy), the input vocabulary (words read from people's typing) and
# the one configuration default that is data (the hazard categories).
CATALOG = ROOT / "bot" / "texts"
VOCABULARY = ROOT / "bot" / "domain" / "vocabulary.py"
CHINESE_DATA = {(ROOT / "bot" / "settings.py", "DEFAULT_CATEGORIES")}


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(*CORE), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_telegram(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import telegram|from telegram)", source, re.MULTILINE)


def _displayable_strings(tree: ast.AST, data: frozenset[str] = frozenset()) -> list[ast.Constant]:
    """String constants other than docstrings and the named data (patterns of typed input live in the vocabulary)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in data for t in node.targets):
            skip.update(id(child) for child in ast.walk(node))
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            skip.add(id(body[0].value))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_user_facing_text_lives_only_in_the_catalog() -> None:
    """No Chinese outside the catalog and the vocabulary: the domain returns reason codes, the catalog the sentence."""
    offenders = []
    for path in _python_files("bot", "handlers", "storage", "scheduler", "sandbox"):
        if path.is_relative_to(CATALOG) or path == VOCABULARY:
            continue
        data = frozenset(name for file, name in CHINESE_DATA if file == path)
        for node in _displayable_strings(ast.parse(path.read_text(encoding="utf-8")), data):
            if CJK.search(str(node.value)):
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


@pytest.mark.parametrize("path", _python_files("bot/domain", "storage"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_and_storage_never_choose_words(path: Path) -> None:
    """The domain and storage return codes and values; only the layers that talk to people import the catalog."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module} | {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert not {name for name in imported if name == "bot.texts" or name.startswith("bot.texts.")}

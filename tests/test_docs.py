"""The README and config.example.toml are tested: every command and setting is documented."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.chat.commands import COMMANDS
from bot.cli import _parser
from bot.domain import vocabulary

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _cli_commands(parser: argparse.ArgumentParser, prefix: str = "gridsafe") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _cli_commands(sub, f"{prefix} {name}")
                found += nested or [f"{prefix} {name}"]
    return found


def test_every_cli_command_is_in_the_readme() -> None:
    commands = _cli_commands(_parser())
    assert "gridsafe roster import" in commands
    for command in commands:
        assert f"`{command}" in README, command


def test_every_chat_command_is_in_the_readme() -> None:
    for command in COMMANDS:
        assert f"/{command.name}" in README, command.name


def test_every_alias_is_in_its_commands_row_of_the_readme() -> None:

    rows = {line.split("`")[1].split()[0]: line for line in README.splitlines() if line.startswith("| `/")}
    for alias, command in vocabulary.COMMAND_ALIASES.items():
        cells = rows[f"/{command}"].split(" | ")
        assert alias in cells[1], (alias, command)


def test_readme_quick_start_names_the_scripts_that_exist() -> None:
    for script in ("run.sh", "test.sh"):
        assert f"./{script}" in README
        assert (ROOT / script).stat().st_mode & 0o111


def test_every_setting_section_is_in_the_readme() -> None:
    from bot.settings import Settings

    for section, field in Settings.model_fields.items():
        assert f"`[{section}]`" in README
        assert field.annotation is not None
        for key in field.annotation.model_fields:
            assert f"`{key}`" in README, f"{section}.{key}"

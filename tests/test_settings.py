"""Settings: the example validates and documents every key; environment overrides; errors name the key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from bot.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"


def _keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys |= _keys(annotation, f"{prefix}{name}.")
        else:
            keys.add(prefix + name)
    return keys


def _flatten(data: dict[str, Any], prefix: str = "") -> set[str]:
    keys = set()
    for name, value in data.items():
        if isinstance(value, dict):
            keys |= _flatten(value, f"{prefix}{name}.")
        else:
            keys.add(prefix + name)
    return keys


def test_example_config_validates() -> None:
    settings = load_settings(EXAMPLE, {})
    assert settings.locale.timezone == "Asia/Shanghai"
    assert settings.invites.ttl_days == 7


def test_example_config_documents_every_setting_and_nothing_else() -> None:
    documented = _flatten(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert documented == _keys(Settings)


def test_environment_overrides_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\ntoken = "from-file"\n[invites]\nttl_days = 7\n', encoding="utf-8")
    env = {"GRIDSAFE_TELEGRAM__TOKEN": "123:from-env", "GRIDSAFE_INVITES__TTL_DAYS": "3", "OTHER": "x"}
    settings = load_settings(config, env)
    assert settings.telegram.token.get_secret_value() == "123:from-env"
    assert settings.invites.ttl_days == 3


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    config = tmp_path / "deploy" / "config.toml"
    config.parent.mkdir()
    config.write_text('[storage]\ndatabase = "db/g.db"\nmedia_dir = "/srv/media"\n', encoding="utf-8")
    settings = load_settings(config, {})
    assert settings.storage.database == tmp_path / "deploy" / "db" / "g.db"
    assert settings.storage.media_dir == Path("/srv/media")


def test_unknown_key_is_named(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\ntokn = "x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"setting telegram\.tokn .*unknown setting"):
        load_settings(config, {})


def test_bad_value_names_key_and_environment_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(None, {"GRIDSAFE_INVITES__TTL_DAYS": "0"})
    assert "invites.ttl_days" in str(caught.value)
    assert "GRIDSAFE_INVITES__TTL_DAYS" in str(caught.value)


def test_bad_timezone_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"locale\.timezone.*Mars/Olympus"):
        load_settings(None, {"GRIDSAFE_LOCALE__TIMEZONE": "Mars/Olympus"})


def test_missing_and_malformed_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path / "nope.toml", {})
    broken = tmp_path / "broken.toml"
    broken.write_text("[telegram\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(broken, {})


def test_token_is_not_shown_by_repr() -> None:
    settings = load_settings(None, {"GRIDSAFE_TELEGRAM__TOKEN": "123456:SECRET"})
    assert "SECRET" not in repr(settings)
    assert "SECRET" not in str(settings.model_dump())

"""One settings model, loaded from TOML and overridden from the environment (GRIDSAFE_SECTION__KEY)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot import texts

ENV_PREFIX = "GRIDSAFE_"
ENV_NESTING = "__"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelegramSettings(_Section):
    """How to reach the Bot API."""

    token: SecretStr = SecretStr("")
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    proxy_url: str = ""
    poll_timeout_seconds: int = Field(default=30, ge=0, le=50)


class StorageSettings(_Section):
    """Where data lives; relative paths are resolved against the config file's folder."""

    database: Path = Path("data/gridsafe.db")
    media_dir: Path = Path("data/media")


class LocaleSettings(_Section):
    """Time zone and language of the deployment."""

    timezone: str = "Asia/Shanghai"
    language: str = "zh-CN"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("language")
    @classmethod
    def _supported_language(cls, value: str) -> str:
        if value != "zh-CN":
            raise ValueError("only zh-CN is supported")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)


class InviteSettings(_Section):
    """One-time invite links."""

    ttl_days: int = Field(default=7, ge=1, le=90)


class ReportingSettings(_Section):
    """Hazard reporting."""

    categories: list[str] = Field(default_factory=lambda: list(texts.DEFAULT_CATEGORIES), min_length=1, max_length=30)
    photo_batch_seconds: float = Field(default=1.5, gt=0, le=10)

    @field_validator("categories")
    @classmethod
    def _distinct_short_categories(cls, value: list[str]) -> list[str]:
        cleaned = [c.strip() for c in value]
        if any(not c or len(c) > 10 for c in cleaned):
            raise ValueError("each category needs 1 to 10 characters")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("categories must be distinct")
        return cleaned


class DeadlineSettings(_Section):
    """Default rectification terms proposed when assigning (交办)."""

    general_days: int = Field(default=7, ge=1, le=365)
    major_days: int = Field(default=30, ge=1, le=365)


class Settings(_Section):
    """Everything GridSafe can be configured with; config.example.toml documents each key."""

    telegram: TelegramSettings = TelegramSettings()
    storage: StorageSettings = StorageSettings()
    locale: LocaleSettings = LocaleSettings()
    invites: InviteSettings = InviteSettings()
    reporting: ReportingSettings = ReportingSettings()
    deadlines: DeadlineSettings = DeadlineSettings()


class SettingsError(Exception):
    """The configuration is unreadable or invalid; the message names the key."""


def load_settings(path: Path | None, environ: Mapping[str, str]) -> Settings:
    """Read the TOML file (if any), apply GRIDSAFE_ environment overrides and validate."""
    data: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SettingsError(f"config file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
        base = path.resolve().parent
    _apply_environment(data, environ)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from exc
    return _resolve_paths(settings, base)


def _apply_environment(data: dict[str, Any], environ: Mapping[str, str]) -> None:
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = name[len(ENV_PREFIX) :].lower().split(ENV_NESTING)
        node = data
        for part in path[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise SettingsError(f"{name}: {'.'.join(path[:-1])} is not a section")
            node = child
        node[path[-1]] = value


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        env = ENV_PREFIX + ENV_NESTING.join(str(part) for part in error["loc"]).upper()
        message = "unknown setting" if error["type"] == "extra_forbidden" else error["msg"]
        lines.append(f"setting {key} (env {env}): {message}")
    return "invalid configuration:\n  " + "\n  ".join(lines)


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    storage = settings.storage.model_copy(
        update={
            "database": base / settings.storage.database,
            "media_dir": base / settings.storage.media_dir,
        }
    )
    return settings.model_copy(update={"storage": storage})

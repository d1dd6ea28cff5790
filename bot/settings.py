"""One settings model, loaded from TOML and overridden from the environment (GRIDSAFE_SECTION__KEY)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from bot.domain import vocabulary
from bot.domain.places import DEFAULT_CADENCES, Cadence, Grade
from bot.domain.schedule import Rules
from bot.domain.statistics import Weights

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
    read_timeout_seconds: float = Field(default=5.0, gt=0, le=120)


class StorageSettings(_Section):
    """Where data lives; relative paths are resolved against the config file's folder."""

    database: Path = Path("data/gridsafe.db")
    media_dir: Path = Path("data/media")
    write_wait_seconds: float = Field(default=60.0, gt=0, le=600)


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


# The default hazard categories (DESIGN.md section 2); config.toml [reporting] categories may change them. They are
# configuration data, shown on the category buttons and matched in the filters of /open, not copy of the catalog.
DEFAULT_CATEGORIES = [
    "消防",
    "用电用气",
    "道路交通",
    "建筑施工",
    "危险化学品",
    "烟花爆竹",
    "非煤矿山",
    "食品药品",
    "九小场所",
    "自建房",
    "森林防火",
    "其他",
]


class ReportingSettings(_Section):
    """Hazard reporting."""

    categories: list[str] = Field(default_factory=lambda: list(DEFAULT_CATEGORIES), min_length=1, max_length=30)
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


class PlacesSettings(_Section):
    """Places (底数清单): the types offered, and how often a place of each risk grade is due a visit."""

    types: list[str] = Field(default_factory=lambda: list(vocabulary.DEFAULT_PLACE_TYPES), min_length=1, max_length=40)
    red: Cadence = DEFAULT_CADENCES[Grade.RED]
    orange: Cadence = DEFAULT_CADENCES[Grade.ORANGE]
    yellow: Cadence = DEFAULT_CADENCES[Grade.YELLOW]
    blue: Cadence = DEFAULT_CADENCES[Grade.BLUE]

    @field_validator("types")
    @classmethod
    def _distinct_short_types(cls, value: list[str]) -> list[str]:
        cleaned = [t.strip() for t in value]
        if any(not t or len(t) > 10 for t in cleaned):
            raise ValueError("each type needs 1 to 10 characters")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("types must be distinct")
        return cleaned

    @property
    def cadences(self) -> dict[Grade, Cadence]:
        """How often a place of each grade is due a visit."""
        return {Grade.RED: self.red, Grade.ORANGE: self.orange, Grade.YELLOW: self.yellow, Grade.BLUE: self.blue}


class DeadlineSettings(_Section):
    """Default rectification terms proposed when assigning (交办)."""

    general_days: int = Field(default=7, ge=1, le=365)
    major_days: int = Field(default=30, ge=1, le=365)


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock_time(value: str) -> time:
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


class ScheduleSettings(_Section):
    """When reminders go out (local time); DESIGN.md section 3."""

    quiet_hours: str = Field(default="21:00-08:00", pattern=r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$")
    village_nudge: str = "mon 09:00"
    village_reminder: str = "thu 09:00"
    village_last_call: str = "sun 18:00"
    village_miss_list: str = "mon 09:00"
    town_nudge: str = "1 09:00"
    town_reminder: str = "20 09:00"
    town_last_call: str = "18:00"
    town_miss_list: str = "1 09:00"
    deadline_time: str = "09:00"
    long_term_days: int = Field(default=7, ge=1)
    yellow_after_days: int = Field(default=1, ge=1)
    red_after_days: int = Field(default=7, ge=1)
    repeat_every_days: int = Field(default=7, ge=1)
    triage_hours: int = Field(default=24, ge=1)
    review_hours: int = Field(default=48, ge=1)
    ranking: str = "1 09:30"
    catch_up_days: int = Field(default=31, ge=1, le=366)
    pass_interval_seconds: float = Field(default=60, gt=0)
    global_rate_per_second: float = Field(default=25, gt=0, le=30)
    chat_rate_per_second: float = Field(default=1, gt=0)

    @field_validator("village_nudge", "village_reminder", "village_last_call", "village_miss_list")
    @classmethod
    def _weekday_and_time(cls, value: str) -> str:
        day, _, moment = value.strip().partition(" ")
        if day.lower() not in _WEEKDAYS:
            raise ValueError("expected a weekday (mon..sun) and a time, e.g. 'mon 09:00'")
        _clock_time(moment)
        return value

    @field_validator("town_nudge", "town_reminder", "town_miss_list", "ranking")
    @classmethod
    def _day_and_time(cls, value: str) -> str:
        day, _, moment = value.strip().partition(" ")
        if not day.isdigit() or not 1 <= int(day) <= 28:
            raise ValueError("expected a day of the month (1-28) and a time, e.g. '1 09:00'")
        _clock_time(moment)
        return value

    @field_validator("town_last_call", "deadline_time")
    @classmethod
    def _time(cls, value: str) -> str:
        try:
            _clock_time(value)
        except ValueError as exc:
            raise ValueError("expected a time, e.g. '09:00'") from exc
        return value

    def rules(self, zone: ZoneInfo) -> Rules:
        """The schedule as the domain uses it."""

        def weekly(value: str) -> tuple[int, time]:
            day, _, moment = value.strip().partition(" ")
            return _WEEKDAYS.index(day.lower()), _clock_time(moment)

        def monthly(value: str) -> tuple[int, time]:
            day, _, moment = value.strip().partition(" ")
            return int(day), _clock_time(moment)

        quiet_start, quiet_end = self.quiet_hours.split("-")
        return Rules(
            zone=zone,
            quiet_start=_clock_time(quiet_start),
            quiet_end=_clock_time(quiet_end),
            village_nudge=weekly(self.village_nudge),
            village_reminder=weekly(self.village_reminder),
            village_last_call=weekly(self.village_last_call),
            village_miss_list=weekly(self.village_miss_list),
            town_nudge=monthly(self.town_nudge),
            town_reminder=monthly(self.town_reminder),
            town_last_call=_clock_time(self.town_last_call),
            town_miss_list=monthly(self.town_miss_list),
            deadline_time=_clock_time(self.deadline_time),
            long_term_days=self.long_term_days,
            yellow_after_days=self.yellow_after_days,
            red_after_days=self.red_after_days,
            repeat_every_days=self.repeat_every_days,
            triage_hours=self.triage_hours,
            review_hours=self.review_hours,
            ranking=monthly(self.ranking),
            catch_up_days=self.catch_up_days,
        )


class RankingSettings(_Section):
    """The monthly ranking of towns: the score's weights, the flagged bottom places, the chart's font."""

    check_weight: float = Field(default=0.3, ge=0, le=1)
    rectification_weight: float = Field(default=0.4, ge=0, le=1)
    on_time_weight: float = Field(default=0.3, ge=0, le=1)
    overdue_penalty: float = Field(default=2.0, ge=0, le=100)
    coverage_weight: float = Field(default=0.2, ge=0, le=1)  # 村不漏户, only for towns with places due
    bottom_flagged: int = Field(default=3, ge=0, le=50)
    chart_font: str = ""

    @model_validator(mode="after")
    def _some_weight(self) -> RankingSettings:
        if self.check_weight + self.rectification_weight + self.on_time_weight <= 0:
            raise ValueError("at least one of check_weight, rectification_weight, on_time_weight must be above 0")
        return self

    @property
    def weights(self) -> Weights:
        """The score formula as the domain uses it."""
        return Weights(
            check=self.check_weight,
            rectification=self.rectification_weight,
            on_time=self.on_time_weight,
            overdue_penalty=self.overdue_penalty,
            coverage=self.coverage_weight,
        )


class LoggingSettings(_Section):
    """[logging]: how GridSafe writes its log (to stderr)."""

    format: Literal["text", "json"] = "text"
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class SandboxSettings(_Section):
    """[sandbox]: the local try-out without Telegram (`gridsafe sandbox`, or `./run.sh` with no token)."""

    port: int = Field(default=8300, ge=1, le=65535)
    data_dir: Path = Path("data/sandbox")


class WeComSettings(_Section):
    """[wecom]: the WeCom (企业微信) self-built app (自建应用); the channel is off while corp_id is empty."""

    corp_id: str = ""
    agent_id: int = Field(default=0, ge=0)
    secret: SecretStr = SecretStr("")
    token: SecretStr = SecretStr("")
    encoding_aes_key: SecretStr = SecretStr("")
    callback_host: str = "127.0.0.1"
    callback_port: int = Field(default=8310, ge=1, le=65535)
    callback_path: str = Field(default="/wecom/callback", pattern=r"^/\S*$")
    api_base_url: str = "https://qyapi.weixin.qq.com"
    proxy_url: str = ""

    @property
    def enabled(self) -> bool:
        """Whether GridSafe serves WeCom at all."""
        return bool(self.corp_id)

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> WeComSettings:
        if not self.enabled:
            return self
        missing = [
            name
            for name, value in (
                ("secret", self.secret.get_secret_value()),
                ("token", self.token.get_secret_value()),
                ("encoding_aes_key", self.encoding_aes_key.get_secret_value()),
            )
            if not value
        ]
        if self.agent_id == 0:
            missing.insert(0, "agent_id")
        if missing:
            raise ValueError(f"with corp_id set, {', '.join(missing)} must be set too")
        key = self.encoding_aes_key.get_secret_value()
        if len(key) != 43 or not key.isascii() or not all(c.isalnum() or c in "+/" for c in key):
            raise ValueError("encoding_aes_key must be the 43 characters the admin console shows")
        return self

    def secrets(self) -> list[str]:
        """The values the log must never show."""
        return [value.get_secret_value() for value in (self.secret, self.token, self.encoding_aes_key)]


class Settings(_Section):
    """Everything GridSafe can be configured with; config.example.toml documents each key."""

    telegram: TelegramSettings = TelegramSettings()
    storage: StorageSettings = StorageSettings()
    locale: LocaleSettings = LocaleSettings()
    invites: InviteSettings = InviteSettings()
    reporting: ReportingSettings = ReportingSettings()
    places: PlacesSettings = PlacesSettings()
    deadlines: DeadlineSettings = DeadlineSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    ranking: RankingSettings = RankingSettings()
    logging: LoggingSettings = LoggingSettings()
    sandbox: SandboxSettings = SandboxSettings()
    wecom: WeComSettings = WeComSettings()


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
    sandbox = settings.sandbox.model_copy(update={"data_dir": base / settings.sandbox.data_dir})
    return settings.model_copy(update={"storage": storage, "sandbox": sandbox})

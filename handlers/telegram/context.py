"""The typed callback context: handlers reach services and the acting person through properties."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.domain.people import Actor
from bot.services.container import Services


class Dispatcher(Protocol):
    """The outbox dispatcher as the border sees it (scheduler/outbox.py, started by the wiring)."""

    def kick(self) -> None:
        """Look for due notifications in the background."""

    async def drain(self) -> int:
        """Send everything due now; how many were sent."""

    async def close(self) -> None:
        """Stop sending."""


class Channel(Protocol):
    """Another channel's border running beside Telegram (WeCom, started by the wiring)."""

    async def idle(self) -> None:
        """Wait until what it received is handled."""

    async def close(self) -> None:
        """Stop it."""


class BotData:
    """Application-wide state: the services and the outbox trigger, set in post_init; how to stop on a fatal error."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.kick_outbox: Callable[[], object] = lambda: None
        self.dispatcher: Dispatcher | None = None
        self.wecom: Channel | None = None  # the WeCom border, when [wecom] is configured
        # The error that made the bot stop (the database file deleted under it), and how to stop: `gridsafe run` sets
        # Application.stop_running, which ends run_polling; a host that starts the application itself (the test rig,
        # the sandbox) may set its own, else the bot stays up refusing every write.
        self.fatal: BaseException | None = None
        self.stop_running: Callable[[], object] = lambda: None


class GridContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with GridSafe's services and the actor resolved by the gate."""

    def __init__(
        self,
        application: Application[Any, GridContext, Any, Any, BotData, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.actor: Actor | None = None

    @property
    def services(self) -> Services:
        """The running services (available once the application is initialised)."""
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are opened in post_init")
        return services

    @property
    def bound_actor(self) -> Actor:
        """The actor of a handler that runs only for bound people (the gate guarantees it)."""
        if self.actor is None:
            raise RuntimeError("handler reached without a bound actor")
        return self.actor


GridApplication = Application[ExtBot[None], GridContext, dict[Any, Any], dict[Any, Any], BotData, Any]

CONTEXT_TYPES = ContextTypes(context=GridContext, bot_data=BotData)

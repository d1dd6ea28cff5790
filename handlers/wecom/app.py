"""The WeCom border's wiring: one API client for the configured app (its pacer shared by everything sent to
members) and the outbox's WeCom sender over it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock, sleeper
from bot.services.container import Services
from bot.settings import Settings
from handlers.wecom.client import WeComClient
from handlers.wecom.outbox_sender import WeComSender


@dataclass
class WeComChannel:
    """The running WeCom channel: its client and the outbox's sender."""

    client: WeComClient
    sender: WeComSender

    async def close(self) -> None:
        """Close the client's connections."""
        await self.client.close()


def open_wecom(settings: Settings, services: Services, clock: Clock) -> WeComChannel | None:
    """The WeCom channel when [wecom] is configured (corp_id set), else None. Uploads are remembered in the
    database (3 days each), so a restart uploads nothing again."""
    if not settings.wecom.enabled:
        return None
    client = WeComClient.from_settings(settings.wecom, clock, sleep=sleeper(clock), media_ids=services.wecom_media)
    return WeComChannel(client, WeComSender(client, services.media))

"""The WeCom border's wiring: the API client, the callback server, the border and the outbox's WeCom sender, started
beside Telegram.

`start_wecom` runs when `[wecom]` is configured (corp_id set): it serves the callback URL on callback_host:port/path
and answers through the app's API at api_base_url, with the services Telegram's post_init opened. Replies and
notifications go through one client, so one pacer keeps each member within WeCom's rule for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.clock import Clock, sleeper
from bot.services.container import Services
from bot.settings import WeComSettings
from handlers.wecom.border import WeComBorder
from handlers.wecom.callback import CallbackServer
from handlers.wecom.client import WeComClient
from handlers.wecom.crypto import CallbackCrypto
from handlers.wecom.outbox_sender import WeComSender
from handlers.wecom.render import Renderer


@dataclass
class WeComChannel:
    """The running WeCom border."""

    client: WeComClient
    callback: CallbackServer
    border: WeComBorder
    sender: WeComSender  # the outbox's: notifications to WeCom members

    async def idle(self) -> None:
        """Wait until every callback received and every batch confirmation due are handled (tests)."""
        await self.callback.idle()
        await self.border.idle()

    async def close(self) -> None:
        """Stop serving callbacks, stop the timers, close the client."""
        await self.callback.stop()
        await self.border.close()
        await self.client.close()


async def start_wecom(
    settings: WeComSettings, services: Services, clock: Clock, kick: Callable[[], object]
) -> WeComChannel:
    """Serve the WeCom app: callbacks in, replies out through the API client; `kick` wakes the outbox."""
    # Uploads are remembered in the database (3 days each), so a restart uploads nothing again; on a FakeClock
    # (tests) the pacer's waits move the clock.
    client = WeComClient.from_settings(settings, clock, sleep=sleeper(clock), media_ids=services.wecom_media)
    crypto = CallbackCrypto(
        settings.token.get_secret_value(), settings.encoding_aes_key.get_secret_value(), settings.corp_id
    )
    renderer = Renderer(client, services, kick)
    border = WeComBorder(services, client, renderer)
    callback = CallbackServer(
        crypto,
        border.handle,
        client=client,
        host=settings.callback_host,
        port=settings.callback_port,
        path=settings.callback_path,
        clock=clock,
    )
    border.use_screen(callback.screen)
    await callback.start()
    await border.resume()
    return WeComChannel(client, callback, border, WeComSender(client, services.media, renderer))

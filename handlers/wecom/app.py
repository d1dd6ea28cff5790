"""The WeCom border's wiring: the API client, the callback server and the border, started beside Telegram.

`start_wecom` runs when `[wecom]` is configured (corp_id set): it serves the callback URL on callback_host:port/path
and answers through the app's API at api_base_url, with the services Telegram's post_init opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.clock import Clock
from bot.services.container import Services
from bot.settings import WeComSettings
from handlers.wecom.border import WeComBorder
from handlers.wecom.callback import CallbackServer
from handlers.wecom.client import WeComClient
from handlers.wecom.crypto import CallbackCrypto
from handlers.wecom.render import Renderer


@dataclass
class WeComChannel:
    """The running WeCom border."""

    client: WeComClient
    callback: CallbackServer
    border: WeComBorder

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
    client = WeComClient.from_settings(settings, clock)
    crypto = CallbackCrypto(
        settings.token.get_secret_value(), settings.encoding_aes_key.get_secret_value(), settings.corp_id
    )
    border = WeComBorder(services, client, Renderer(client, services, kick))
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
    return WeComChannel(client, callback, border)

"""Deployments in mainland China reach Telegram through a proxy: with a SOCKS5 proxy set, every request goes through it."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FakeClock
from sandbox.socks import Socks5Proxy
from tests.flows import officer
from tests.rig import png, running_bot


async def test_the_bot_works_through_a_socks5_proxy(tmp_path: Path, clock: FakeClock) -> None:
    async with Socks5Proxy() as proxy, running_bot(tmp_path, clock, TELEGRAM__PROXY_URL=proxy.url) as rig:
        user = await officer(rig)  # /start with an invite, answered
        await user.send_photo(png(1))  # a download through the proxy too
        await user.expect("已收到 1 张照片")
        draft = await rig.draft_of(user)
        assert draft is not None and len(draft.photos) == 1
        assert proxy.connections and set(proxy.connections) == {("127.0.0.1", rig.server.port)}

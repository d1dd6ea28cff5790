"""The end-to-end rig with WeCom: GridSafe running on the loopback Bot API AND the loopback WeCom server, its WeCom
border serving the callback URL that simulated WeCom members (sandbox/wecom.py) send signed, encrypted callbacks to."""

from __future__ import annotations

import csv
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.clock import FakeClock
from bot.domain.people import Role
from bot.domain.roster import validate
from bot.roster_file import read_roster
from sandbox.wecom import WeComMember, WeComServer
from tests.rig import Rig, running_bot


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the settings want a real port, not 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class WeComRig:
    """The Telegram rig, and the WeCom server the bot's WeCom border talks to."""

    rig: Rig
    wecom: WeComServer

    async def import_roster(self, folder: Path, rows: list[list[str]]) -> None:
        """People imported with their WeCom account (recognised at once), as `gridsafe roster import` takes them."""
        path = folder / "wecom-roster.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["镇", "村", "姓名", "角色", "电话", "企业微信账号"], *rows])
        await self.rig.services.roster.import_entries(validate(read_roster(path)))

    def member(self, userid: str) -> WeComMember:
        """A simulated WeCom member (bound or not)."""
        return self.wecom.member(userid)

    async def join(
        self,
        userid: str,
        role: Role,
        *,
        town: str | None = None,
        village: str | None = None,
        name: str | None = None,
    ) -> WeComMember:
        """A person who typed their invite code in WeCom and is bound (the welcome is read)."""
        created = await self.rig.services.invites.create(role, town=town, village=village, name=name)
        member = self.member(userid)
        await member.send(f"绑定 {created.code}")
        await member.expect("绑定成功")
        return member


@asynccontextmanager
async def running_wecom_bot(tmp_path: Path, clock: FakeClock, **env: str) -> AsyncIterator[WeComRig]:
    """GridSafe with `[wecom]` configured against the loopback WeCom server (the example roster loaded).

    The WeCom client's pacer keeps to 30 messages a minute per member on the test's clock: a test that sends one
    member more than that moves the clock on (a frozen clock would hold the 31st forever, as WeCom's rule demands).
    """
    async with WeComServer(clock=clock) as wecom:
        settings = {
            "WECOM__CORP_ID": wecom.corp_id,
            "WECOM__AGENT_ID": str(wecom.agent_id),
            "WECOM__SECRET": wecom.secret,
            "WECOM__TOKEN": wecom.crypto.token,
            "WECOM__ENCODING_AES_KEY": wecom.crypto.encoding_aes_key,
            "WECOM__CALLBACK_PORT": str(free_port()),
            "WECOM__API_BASE_URL": wecom.base_url,
            **env,
        }
        async with running_bot(tmp_path, clock, rate_limit=None, **settings) as rig:
            channel = rig.app.bot_data.wecom
            assert channel is not None
            wecom.callback_url = f"http://127.0.0.1:{settings['WECOM__CALLBACK_PORT']}/wecom/callback"
            yield WeComRig(rig, wecom)

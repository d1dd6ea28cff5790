"""The [wecom] settings (off while corp_id is empty, complete when on) and the masking of WeCom's secrets in logs."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot.logs import REDACTED_TOKEN, log_handler, masked_output
from bot.settings import SettingsError, load_settings

KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
ON = {
    "GRIDSAFE_WECOM__CORP_ID": "ww1234567890abcdef",
    "GRIDSAFE_WECOM__AGENT_ID": "1000002",
    "GRIDSAFE_WECOM__SECRET": "s3cr3t-Wecom-App-Secret-Value-0123456789ab",
    "GRIDSAFE_WECOM__TOKEN": "QDG6eKcallbacktoken",
    "GRIDSAFE_WECOM__ENCODING_AES_KEY": KEY,
}


def test_the_channel_is_off_by_default() -> None:
    settings = load_settings(None, {})
    assert not settings.wecom.enabled
    assert settings.wecom.api_base_url == "https://qyapi.weixin.qq.com"


def test_the_channel_is_on_with_every_key_from_the_environment() -> None:
    wecom = load_settings(None, ON).wecom
    assert wecom.enabled and wecom.agent_id == 1000002
    assert wecom.encoding_aes_key.get_secret_value() == KEY
    assert KEY not in repr(wecom) and ON["GRIDSAFE_WECOM__SECRET"] not in repr(wecom)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"GRIDSAFE_WECOM__SECRET": ""}, "secret"),
        ({"GRIDSAFE_WECOM__AGENT_ID": "0"}, "agent_id"),
        ({"GRIDSAFE_WECOM__ENCODING_AES_KEY": KEY[:-1]}, "encoding_aes_key"),
        ({"GRIDSAFE_WECOM__ENCODING_AES_KEY": KEY[:-1] + "="}, "encoding_aes_key"),
        ({"GRIDSAFE_WECOM__CALLBACK_PATH": "wecom"}, "callback_path"),
        ({"GRIDSAFE_WECOM__CALLBACK_PORT": "0"}, "callback_port"),
    ],
)
def test_an_incomplete_or_wrong_wecom_section_names_the_key(change: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(None, ON | change)


def test_the_example_config_documents_the_section() -> None:
    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    assert not load_settings(example, {}).wecom.enabled


def test_wecom_secrets_and_access_tokens_never_reach_the_log() -> None:
    wecom = load_settings(None, ON).wecom
    output = io.StringIO()
    handler = log_handler("123:TEST", "json", output, secrets=wecom.secrets())
    log = logging.getLogger("tests.wecom.secrets")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        log.info("gettoken corpsecret=%s token=%s key=%s", *wecom.secrets())
        log.info("GET https://qyapi.weixin.qq.com/cgi-bin/media/get?access_token=AbC-12_x.Yz~9&media_id=m1")
        log.info('answer {"errcode": 0, "access_token": "Zz9-accessTOKEN_value", "expires_in": 7200}')
        log.warning("wecom callback refused: access_token expired")  # words are not a token
    finally:
        log.removeHandler(handler)
    text = output.getvalue()
    for secret in [*wecom.secrets(), "AbC-12_x.Yz~9", "Zz9-accessTOKEN_value"]:
        assert secret not in text
    assert text.count(REDACTED_TOKEN) == 5
    assert "media_id=m1" in text and "access_token expired" in text


def test_the_commands_own_output_masks_wecom_secrets_too(capsys: pytest.CaptureFixture[str]) -> None:
    secret = ON["GRIDSAFE_WECOM__SECRET"]
    with masked_output("", [secret]):
        print(f"error: corpsecret {secret} rejected")
    assert secret not in capsys.readouterr().out

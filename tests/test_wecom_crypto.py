"""WeCom's callback crypto, checked against wechatpy's independent implementation in both directions."""

from __future__ import annotations

import base64
import os
import re

import pytest
from wechatpy.enterprise.crypto import WeChatCrypto

from handlers.wecom.crypto import (
    BadCiphertext,
    BadKey,
    BadSignature,
    CallbackCrypto,
    WrongReceiver,
    envelope,
)

TOKEN = "QDG6eK"
KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"  # the EncodingAESKey of WeCom's documentation example
CORP = "wx5823bf96d3bd56c7"
MESSAGE = (
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Content><![CDATA[上报 消防通道堵塞]]></Content></xml>"
)


@pytest.fixture
def ours() -> CallbackCrypto:
    return CallbackCrypto(TOKEN, KEY, CORP)


@pytest.fixture
def theirs() -> WeChatCrypto:
    return WeChatCrypto(TOKEN, KEY, CORP)


def _field(xml: str, name: str) -> str:
    match = re.search(rf"<{name}>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</{name}>", xml)
    assert match, (name, xml)
    return match.group(1)


def test_what_wechatpy_encrypts_we_verify_and_decrypt(ours: CallbackCrypto, theirs: WeChatCrypto) -> None:
    sealed = theirs.encrypt_message(MESSAGE, "1372623149", "1409304348")
    encrypt = _field(sealed, "Encrypt")
    got = ours.open(_field(sealed, "MsgSignature"), _field(sealed, "TimeStamp"), _field(sealed, "Nonce"), encrypt)
    assert got.decode() == MESSAGE


def test_what_we_encrypt_wechatpy_verifies_and_decrypts(ours: CallbackCrypto, theirs: WeChatCrypto) -> None:
    encrypt, msg_signature = ours.seal(MESSAGE.encode(), "1409304348", "1372623149")
    body = envelope(encrypt, to_user=CORP, agent_id="1000002").decode()
    assert theirs.decrypt_message(body, msg_signature, "1409304348", "1372623149") == MESSAGE


def test_the_echostr_check_agrees_with_wechatpy(ours: CallbackCrypto, theirs: WeChatCrypto) -> None:
    echostr = ours.encrypt(b"4926374216273468")
    msg_signature = ours.sign("1409659589", "263014780", echostr)
    assert theirs.check_signature(msg_signature, "1409659589", "263014780", echostr) == "4926374216273468"
    assert ours.open(msg_signature, "1409659589", "263014780", echostr) == b"4926374216273468"


@pytest.mark.parametrize("size", [0, 1, 11, 12, 13, 31, 32, 33, 2048, 4000])
def test_every_message_length_pads_to_whole_32_byte_blocks(
    ours: CallbackCrypto, theirs: WeChatCrypto, size: int
) -> None:
    message = os.urandom(size // 2).hex() + "x" * (size % 2)
    encrypt, msg_signature = ours.seal(message.encode(), "1", "2")
    assert len(base64.b64decode(encrypt)) % 32 == 0
    assert theirs.decrypt_message(envelope(encrypt).decode(), msg_signature, "1", "2") == message


def test_a_bad_signature_is_refused(ours: CallbackCrypto) -> None:
    encrypt, msg_signature = ours.seal(b"hello", "1409304348", "1372623149")
    with pytest.raises(BadSignature):
        ours.open(msg_signature, "1409304349", "1372623149", encrypt)  # another timestamp
    with pytest.raises(BadSignature):
        ours.open("0" * 40, "1409304348", "1372623149", encrypt)
    with pytest.raises(BadSignature):
        CallbackCrypto("other-token", KEY, CORP).open(msg_signature, "1409304348", "1372623149", encrypt)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda e: e[:-8],  # truncated base64
        lambda e: base64.b64encode(base64.b64decode(e)[:-16]).decode(),  # a block short: padding breaks
        lambda e: base64.b64encode(base64.b64decode(e)[:-3]).decode(),  # not whole blocks
        lambda e: "!!not base64!!",
        lambda e: "",
        lambda e: base64.b64encode(bytes(range(7, 71))).decode(),  # garbage of the right shape
    ],
)
def test_truncated_or_garbage_ciphertext_is_refused(ours: CallbackCrypto, mangle: object) -> None:
    encrypt = ours.encrypt(b"<xml>hello</xml>")
    bad = mangle(encrypt)  # type: ignore[operator]
    with pytest.raises(BadCiphertext):
        ours.open(ours.sign("1", "2", bad), "1", "2", bad)


def test_a_message_for_another_corp_is_refused(ours: CallbackCrypto, theirs: WeChatCrypto) -> None:
    sealed = WeChatCrypto(TOKEN, KEY, "wwSOMEONEELSE").encrypt_message(MESSAGE, "7", "8")
    with pytest.raises(WrongReceiver):
        ours.open(_field(sealed, "MsgSignature"), "8", "7", _field(sealed, "Encrypt"))


@pytest.mark.parametrize("key", ["", KEY[:-1], KEY + "A", "*" * 43])
def test_a_malformed_encoding_aes_key_is_refused(key: str) -> None:
    with pytest.raises(BadKey):
        CallbackCrypto(TOKEN, key, CORP)


def test_the_key_never_shows_in_repr(ours: CallbackCrypto) -> None:
    assert KEY not in repr(ours)

"""WeCom's callback crypto: the msg_signature, AES-256-CBC of the message, and the echostr check of the callback URL.

AES comes from `cryptography` (PyCA): maintained, audited and constant-time where it matters; AES is never written
here by hand. The framing follows WeCom's documentation: key = base64(EncodingAESKey + "="), iv = key[:16], PKCS#7
padding to a 32-byte block, plaintext = 16 random bytes + message length (4 bytes, big-endian) + message + receiveid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeCom pads to 32 bytes, not AES's 16
KEY_CHARS = 43


class WeComCryptoError(Exception):
    """A callback that cannot be trusted or read."""


class BadKey(WeComCryptoError):
    """The EncodingAESKey is not 43 characters of base64 making 32 bytes."""


class BadSignature(WeComCryptoError):
    """msg_signature does not match token, timestamp, nonce and the ciphertext."""


class BadCiphertext(WeComCryptoError):
    """The ciphertext is not base64, not whole blocks, badly padded or badly framed."""


class WrongReceiver(WeComCryptoError):
    """The message decrypted, but for another corp (receiveid)."""


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """WeCom's msg_signature: sha1 of the four strings sorted and joined."""
    return hashlib.sha1("".join(sorted((token, timestamp, nonce, encrypt))).encode()).hexdigest()


@dataclass(frozen=True)
class CallbackCrypto:
    """Signs, verifies, encrypts and decrypts for one app's token, EncodingAESKey and receiveid (the corp id)."""

    token: str
    encoding_aes_key: str = field(repr=False)
    receive_id: str

    def __post_init__(self) -> None:
        if len(self.encoding_aes_key) != KEY_CHARS:
            raise BadKey(f"EncodingAESKey needs {KEY_CHARS} characters")
        try:
            key = base64.b64decode(self.encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise BadKey("EncodingAESKey is not base64") from exc
        object.__setattr__(self, "_key", key)

    @property
    def key(self) -> bytes:
        """The 32-byte AES key."""
        key: bytes = self.__dict__["_key"]
        return key

    def sign(self, timestamp: str, nonce: str, encrypt: str) -> str:
        """The msg_signature of a ciphertext (or echostr)."""
        return signature(self.token, timestamp, nonce, encrypt)

    def check(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        """Raise BadSignature unless msg_signature is right (compared in constant time)."""
        if not hmac.compare_digest(self.sign(timestamp, nonce, encrypt), msg_signature.lower()):
            raise BadSignature("msg_signature does not match")

    def encrypt(self, message: bytes, *, random16: bytes | None = None) -> str:
        """The base64 ciphertext of message, framed for this receiveid."""
        prefix = random16 if random16 is not None else os.urandom(16)
        plain = prefix + struct.pack(">I", len(message)) + message + self.receive_id.encode()
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def decrypt(self, encrypt: str) -> bytes:
        """The message inside a base64 ciphertext; BadCiphertext or WrongReceiver when it is not ours or broken."""
        try:
            data = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadCiphertext("not base64") from exc
        if not data or len(data) % 16:
            raise BadCiphertext("not whole AES blocks")
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise BadCiphertext("bad padding")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise BadCiphertext("too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise BadCiphertext("message length beyond the plaintext")
        message, receiver = plain[20 : 20 + length], plain[20 + length :]
        if not hmac.compare_digest(receiver, self.receive_id.encode()):
            raise WrongReceiver("receiveid does not match")
        return message

    def open(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> bytes:
        """Check the signature, then decrypt: what the callback server does with every request."""
        self.check(msg_signature, timestamp, nonce, encrypt)
        return self.decrypt(encrypt)

    def seal(self, message: bytes, timestamp: str, nonce: str) -> tuple[str, str]:
        """Encrypt and sign: (encrypt, msg_signature), as WeCom sends a callback."""
        encrypt = self.encrypt(message)
        return encrypt, self.sign(timestamp, nonce, encrypt)


def envelope(encrypt: str, *, to_user: str = "", agent_id: str = "") -> bytes:
    """The XML body of a callback POST around a ciphertext."""
    return (
        f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt>"
        f"<AgentID><![CDATA[{agent_id}]]></AgentID></xml>"
    ).encode()

"""Streaming authenticated encryption of backup archives (AES-256-GCM, chunked).

Layout: header = MAGIC | salt (16) | chunk size (4), then per chunk: length (4) | ciphertext.
Each file gets its own key, HKDF-SHA256(configured key, salt); the nonce is the chunk's
counter plus a final-chunk flag, and the header is authenticated with every chunk, so
reordered, truncated, extended or altered archives all fail to decrypt. Memory use is one
chunk, whatever the archive's size.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"FCBK\x01"
SALT_BYTES = 16
CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 16
_LENGTH = struct.Struct(">I")


class DecryptionError(Exception):
    """The archive is corrupt, truncated, or was encrypted with another key."""


def _file_key(key_material: bytes, salt: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"forecourt-backup-v1")
    return AESGCM(hkdf.derive(key_material))


def _nonce(counter: int, final: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def encrypt_stream(source: BinaryIO, target: BinaryIO, key_material: bytes) -> None:
    salt = os.urandom(SALT_BYTES)
    header = MAGIC + salt + _LENGTH.pack(CHUNK_BYTES)
    aead = _file_key(key_material, salt)
    target.write(header)
    counter = 0
    chunk = source.read(CHUNK_BYTES)
    while True:
        following = source.read(CHUNK_BYTES) if chunk else b""
        final = not following
        sealed = aead.encrypt(_nonce(counter, final), chunk, header)
        target.write(_LENGTH.pack(len(sealed)) + sealed)
        if final:
            return
        chunk, counter = following, counter + 1


def _read_exact(source: BinaryIO, size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise DecryptionError("the archive is truncated")
    return data


def decrypt_stream(source: BinaryIO, target: BinaryIO, key_material: bytes) -> None:
    header = source.read(len(MAGIC) + SALT_BYTES + _LENGTH.size)
    if len(header) != len(MAGIC) + SALT_BYTES + _LENGTH.size or not header.startswith(MAGIC):
        raise DecryptionError("not a Forecourt backup archive (bad header)")
    salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    (chunk_bytes,) = _LENGTH.unpack(header[-_LENGTH.size :])
    aead = _file_key(key_material, salt)
    counter = 0
    while True:
        (length,) = _LENGTH.unpack(_read_exact(source, _LENGTH.size))
        if length > chunk_bytes + TAG_BYTES:
            raise DecryptionError("the archive is corrupt (chunk too large)")
        sealed = _read_exact(source, length)
        for final in (False, True):
            try:
                plain = aead.decrypt(_nonce(counter, final), sealed, header)
            except InvalidTag:
                continue
            target.write(plain)
            if final:
                if source.read(1):
                    raise DecryptionError("the archive has data after its final chunk")
                return
            break
        else:
            raise DecryptionError(
                "the archive does not decrypt: wrong BACKUP_ENCRYPTION_KEY or corrupt data"
            )
        counter += 1

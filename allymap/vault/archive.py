"""Passphrase-encrypted archives: what `allymap backup` writes and `allymap restore` reads.

Composed from libsodium through PyNaCl, nothing invented: a key from the archive's own
passphrase with Argon2id (`kdf.derive_key`, a fresh random salt, the costs stored in the
header), then XChaCha20-Poly1305 `crypto_secretstream` over the content in chunks.

Layout (all integers 8-byte big-endian)::

    MAGIC (16) | salt (16) | opslimit | memlimit | content size | stream header (24)
    marker chunk: MARKER sealed, with everything before it as associated data
    content chunks: CHUNK_BYTES each, the last one shorter (maybe empty) and tagged FINAL

Threats defended against, by someone who holds or changes the file but not the passphrase:
reading it; changing, reordering, dropping, duplicating or appending chunks or any header
byte (`ArchiveChanged`, or `WrongArchivePassphrase` for the header and the first chunk,
which cannot be told apart from a wrong passphrase); cutting it short (`ArchiveCutShort`:
the header states the content size, and the stream must end with its FINAL chunk).
Not defended against: a weak passphrase (Argon2id only makes each guess expensive); the
file's size, which says roughly how much data it holds.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Collection

import nacl.exceptions
import nacl.utils
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_ABYTES,
    crypto_secretstream_xchacha20poly1305_HEADERBYTES,
    crypto_secretstream_xchacha20poly1305_init_pull,
    crypto_secretstream_xchacha20poly1305_init_push,
    crypto_secretstream_xchacha20poly1305_KEYBYTES,
    crypto_secretstream_xchacha20poly1305_pull,
    crypto_secretstream_xchacha20poly1305_push,
    crypto_secretstream_xchacha20poly1305_state,
    crypto_secretstream_xchacha20poly1305_TAG_FINAL,
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
)

from allymap.vault.errors import VaultError
from allymap.vault.kdf import SALT_BYTES, KdfParams, derive_key

__all__ = [
    "CHUNK_BYTES",
    "EXPORT_MAGIC",
    "EXPORT_MARKER",
    "MAGIC",
    "ArchiveChanged",
    "ArchiveCutShort",
    "NotAnArchive",
    "WrongArchivePassphrase",
    "open_archive",
    "seal_archive",
]

#: The first bytes of every archive: what it is, and its layout version (the last byte).
MAGIC = b"allymap backup\x00\x01"
#: The content sealed in one chunk of the stream.
CHUNK_BYTES = 64 * 1024
#: The first chunk's content: it proves the passphrase before any content is read.
MARKER = b"allymap backup archive v1"
#: An exported intervention (`services.exchange`) is sealed the same way under its own
#: magic and marker (of the same lengths), so neither kind of file opens as the other.
EXPORT_MAGIC = b"allymap export\x00\x01"
EXPORT_MARKER = b"allymap export archive v1"
#: The largest content size an archive may state: more is not an archive allymap wrote.
MAX_CONTENT_BYTES = 64 * 2**30

_U64 = struct.Struct(">Q")
_ABYTES: int = crypto_secretstream_xchacha20poly1305_ABYTES
_HEADER_BYTES = (
    len(MAGIC) + SALT_BYTES + 3 * _U64.size + crypto_secretstream_xchacha20poly1305_HEADERBYTES
)


class NotAnArchive(VaultError):
    """The file does not begin as an allymap archive does (another file, or another layout)."""

    default_message = "this is not an allymap backup"


class ArchiveCutShort(VaultError):
    """The file ends before the content its header states: an unfinished copy, say."""

    default_message = "the backup file is cut short"


class WrongArchivePassphrase(VaultError):
    """The passphrase does not open the archive (or its header or first chunk changed)."""

    default_message = "the passphrase does not open this backup"


class ArchiveChanged(VaultError):
    """The archive opened, but a later part failed authentication or is out of place."""

    default_message = "the backup file was changed after it was made"


def _check_kind(magic: bytes, marker: bytes) -> None:
    """The layout's sizes are fixed: another kind of archive differs only in its words."""
    if len(magic) != len(MAGIC) or len(marker) != len(MARKER):
        raise ValueError("an archive's magic and marker have the lengths of a backup's")


def _expected_size(content_bytes: int) -> int:
    """The archive's whole size for `content_bytes` of content."""
    chunks = content_bytes // CHUNK_BYTES + 1  # the last one is shorter, maybe empty
    return _HEADER_BYTES + len(MARKER) + _ABYTES + content_bytes + chunks * _ABYTES


def seal_archive(
    content: bytes,
    passphrase: str,
    params: KdfParams,
    *,
    progress: Callable[[int], None] | None = None,
    magic: bytes = MAGIC,
    marker: bytes = MARKER,
) -> bytes:
    """The archive of `content` under `passphrase` (Argon2id with `params`).

    `progress` is told how many content bytes each sealed chunk held; `magic` and
    `marker` say what kind of archive it is (a backup unless given). Raises ValueError
    for content above `MAX_CONTENT_BYTES`, KdfUnavailable if the key cannot be derived.
    """
    _check_kind(magic, marker)
    if len(content) > MAX_CONTENT_BYTES:
        raise ValueError(f"an archive holds at most {MAX_CONTENT_BYTES} bytes")
    salt = bytes(nacl.utils.random(SALT_BYTES))
    key = derive_key(passphrase, salt, params, crypto_secretstream_xchacha20poly1305_KEYBYTES)
    state = crypto_secretstream_xchacha20poly1305_state()
    stream_header = crypto_secretstream_xchacha20poly1305_init_push(state, key)
    header = (
        magic
        + salt
        + _U64.pack(params.opslimit)
        + _U64.pack(params.memlimit)
        + _U64.pack(len(content))
        + bytes(stream_header)
    )
    parts = [
        header,
        _push(state, marker, header, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE),
    ]
    last = len(content) // CHUNK_BYTES
    for number in range(last + 1):
        chunk = content[number * CHUNK_BYTES : (number + 1) * CHUNK_BYTES]
        tag = (
            crypto_secretstream_xchacha20poly1305_TAG_FINAL
            if number == last
            else crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
        )
        parts.append(_push(state, chunk, None, tag))
        if progress is not None:
            progress(len(chunk))
    return b"".join(parts)


def _push(
    state: crypto_secretstream_xchacha20poly1305_state, message: bytes, ad: bytes | None, tag: int
) -> bytes:
    return bytes(crypto_secretstream_xchacha20poly1305_push(state, message, ad, tag))


def open_archive(
    archive: bytes,
    passphrase: str,
    *,
    progress: Callable[[int], None] | None = None,
    magic: bytes = MAGIC,
    marker: bytes = MARKER,
    profiles: Collection[KdfParams] | None = None,
) -> bytes:
    """The content of an archive `seal_archive` made, verified from its first byte to its last.

    `magic` and `marker` are those it was sealed with (a backup's unless given).
    `profiles`, when given, are the only key costs accepted: the header is not
    authenticated until a key is derived, so a file from someone else must not choose
    what deriving costs (any other cost is `ArchiveChanged`, before anything is derived).
    Raises
    NotAnArchive, ArchiveCutShort, WrongArchivePassphrase or ArchiveChanged (each saying
    why), or KdfUnavailable. Nothing is returned unless the whole archive verified.
    """
    _check_kind(magic, marker)
    if len(archive) < _HEADER_BYTES or not archive.startswith(magic):
        if archive.startswith(magic[:-1]):
            raise NotAnArchive(
                "this backup was made by a newer allymap, in a layout this one cannot read"
            )
        raise NotAnArchive("this file is not an allymap backup (it does not begin like one)")
    header = archive[:_HEADER_BYTES]
    at = len(MAGIC)
    salt = header[at : at + SALT_BYTES]
    at += SALT_BYTES
    opslimit, memlimit, content_bytes = (
        _U64.unpack_from(header, at + n * _U64.size)[0] for n in range(3)
    )
    stream_header = header[at + 3 * _U64.size :]
    try:
        params = KdfParams(opslimit=opslimit, memlimit=memlimit)
    except ValueError:
        raise ArchiveChanged("its header states key costs allymap never uses") from None
    if profiles is not None and params not in profiles:
        raise ArchiveChanged("its header states key costs allymap never uses for it")
    if content_bytes > MAX_CONTENT_BYTES:
        raise ArchiveChanged("its header states a size allymap never writes")
    expected = _expected_size(content_bytes)
    if len(archive) < expected:
        raise ArchiveCutShort(
            f"the file is {len(archive)} bytes, but the backup it begins holds {expected}: "
            "it was cut short (an unfinished copy or download?)"
        )
    if len(archive) > expected:
        raise ArchiveChanged(f"the file has {len(archive) - expected} bytes more than its backup")
    key = derive_key(passphrase, salt, params, crypto_secretstream_xchacha20poly1305_KEYBYTES)
    state = crypto_secretstream_xchacha20poly1305_state()
    crypto_secretstream_xchacha20poly1305_init_pull(state, stream_header, key)
    at = _HEADER_BYTES
    marker_end = at + len(marker) + _ABYTES
    try:
        opened, _tag = crypto_secretstream_xchacha20poly1305_pull(
            state, archive[at:marker_end], header
        )
    except nacl.exceptions.CryptoError:
        raise WrongArchivePassphrase(
            "the passphrase does not open this backup (or its first bytes were changed)"
        ) from None
    if bytes(opened) != marker:  # pragma: no cover - only the right key opens the chunk
        raise ArchiveChanged("its first chunk is not the one allymap writes")
    return _content(state, archive, marker_end, content_bytes, progress)


def _content(
    state: crypto_secretstream_xchacha20poly1305_state,
    archive: bytes,
    at: int,
    content_bytes: int,
    progress: Callable[[int], None] | None,
) -> bytes:
    """Open the content chunks from `at`; the last, and only the last, must be FINAL."""
    last = content_bytes // CHUNK_BYTES
    parts = []
    for number in range(last + 1):
        size = CHUNK_BYTES if number < last else content_bytes - last * CHUNK_BYTES
        end = at + size + _ABYTES
        try:
            chunk, tag = crypto_secretstream_xchacha20poly1305_pull(state, archive[at:end], None)
        except nacl.exceptions.CryptoError:
            raise ArchiveChanged(
                f"part {number + 1} of {last + 1} failed its check: the file was changed "
                "after it was made"
            ) from None
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL
        if final != (number == last):
            raise ArchiveChanged(f"part {number + 1} of {last + 1} is out of place")
        parts.append(bytes(chunk))
        if progress is not None:
            progress(len(chunk))
        at = end
    return b"".join(parts)

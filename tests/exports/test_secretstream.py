"""The archive encryption format, checked against an independent implementation of the PHP service's."""

import io
import os

import pytest

from arc.exports.secretstream import (
    ArchiveCorrupted,
    ArchiveTruncated,
    ArchiveUnreadable,
    DecryptingReader,
    EncryptingWriter,
    encrypt_stream,
)
from tests.exports import reference_format

MIB = 1024 * 1024


@pytest.fixture
def key(app):
    return reference_format.key_from_app_key(app.config["APP_KEY"])


def encrypt(plaintext, key, write_size=50_000):
    target = io.BytesIO()
    writer = EncryptingWriter(target, key)
    for offset in range(0, len(plaintext), write_size):
        writer.write(plaintext[offset:offset + write_size])
    writer.close()
    return target.getvalue()


def decrypt(data, key):
    return b"".join(DecryptingReader(io.BytesIO(data), key))


@pytest.mark.parametrize("size", [1, 1000, MIB - 1, MIB, MIB + 1, 2 * MIB, 2 * MIB + 12345])
def test_reference_archive_decrypts(key, size):
    plaintext = os.urandom(size)

    archive = reference_format.encrypt_like_php(plaintext, key)

    assert decrypt(archive, key) == plaintext


@pytest.mark.parametrize("size", [0, 1, 1000, MIB, MIB + 1, 2 * MIB + 12345])
def test_archive_decrypts_with_reference_reader(key, size):
    plaintext = os.urandom(size)

    archive = encrypt(plaintext, key)

    assert reference_format.decrypt_like_php(archive, key) == plaintext


def test_archive_messages_follow_format(key):
    archive = encrypt(os.urandom(2 * MIB + 5), key)

    assert reference_format.message_tags(archive, key) == [(0, MIB), (0, MIB), (3, 5)]
    assert len(archive) == 24 + 3 * 17 + 2 * MIB + 5


def test_exact_megabyte_ends_with_full_final_message(key):
    archive = encrypt(os.urandom(2 * MIB), key)

    assert reference_format.message_tags(archive, key) == [(0, MIB), (3, MIB)]


def test_empty_plaintext_has_final_message(key):
    archive = encrypt(b"", key)

    assert reference_format.message_tags(archive, key) == [(3, 0)]
    assert decrypt(archive, key) == b""


def test_header_is_random_per_archive(key):
    assert encrypt(b"same text", key)[:24] != encrypt(b"same text", key)[:24]


def test_wrong_key_fails_authentication(key):
    archive = encrypt(b"voucher data", key)

    with pytest.raises(ArchiveCorrupted, match="another APP_KEY"):
        decrypt(archive, bytes(32))


def test_changed_byte_fails_authentication(key):
    archive = bytearray(encrypt(os.urandom(MIB + 100), key))
    archive[24 + MIB + 17 + 3] ^= 0x01

    reader = iter(DecryptingReader(io.BytesIO(bytes(archive)), key))

    assert len(next(reader)) == MIB
    with pytest.raises(ArchiveCorrupted, match="Message 2"):
        next(reader)


def test_missing_final_message_is_truncation(key):
    archive = encrypt(os.urandom(MIB + 100), key)

    with pytest.raises(ArchiveTruncated, match="without its final message"):
        decrypt(archive[:24 + MIB + 17], key)


def test_bare_header_is_truncation(key):
    archive = reference_format.encrypt_like_php(b"", key)

    assert len(archive) == 24
    with pytest.raises(ArchiveTruncated):
        decrypt(archive, key)


def test_data_after_full_final_message_is_rejected(key):
    archive = encrypt(os.urandom(MIB), key)

    with pytest.raises(ArchiveTruncated, match="after its final message"):
        decrypt(archive + b"x", key)


def test_data_after_short_final_message_fails_authentication(key):
    archive = encrypt(b"voucher data", key)

    # Messages are delimited only by their size, so the extra byte is read as part of the last one.
    with pytest.raises(ArchiveCorrupted):
        decrypt(archive + b"x", key)


def test_short_file_is_unreadable(key):
    with pytest.raises(ArchiveUnreadable, match="fewer than the 24-byte header"):
        DecryptingReader(io.BytesIO(b"not cypher text"), key)


def test_aborted_writer_never_reads_complete(key):
    target = io.BytesIO()
    writer = EncryptingWriter(target, key)
    writer.write(b"half a report")
    writer.abort()

    with pytest.raises(ArchiveTruncated):
        decrypt(target.getvalue(), key)


def test_encrypt_stream_keeps_every_byte(key):
    plaintext = b"line one\r\nline two\n\n  indented line\n"

    target = io.BytesIO()
    size = encrypt_stream(io.BytesIO(plaintext), target, key)

    assert size == len(plaintext)
    assert reference_format.decrypt_like_php(target.getvalue(), key) == plaintext


def test_key_must_be_32_bytes():
    with pytest.raises(ValueError, match="32 bytes"):
        EncryptingWriter(io.BytesIO(), b"short")

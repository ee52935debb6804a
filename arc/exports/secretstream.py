"""The encryption format of the Master Voucher Log archives: libsodium secretstream XChaCha20-Poly1305.

A file is the 24-byte stream header followed by encrypted messages. Every message but the last holds
exactly 1 MiB (1,048,576 bytes) of plaintext and carries the MESSAGE tag. The last one holds the rest
(0 bytes to 1 MiB) and carries the FINAL tag. Each message adds 17 bytes, and no additional data is
authenticated. The key is the application key (``APP_KEY``, 32 bytes). The PHP service wrote the
same format, so its archives decrypt here and ours decrypt there.

Readers read messages of 1 MiB + 17 bytes, so a writer must not choose another message size for
files that such readers will open. The reader requires the FINAL message at the end of the file,
so a truncated file is detected even when it was cut at a message boundary.
"""

import io

from nacl import bindings, exceptions

HEADER_SIZE = bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES
MESSAGE_OVERHEAD = bindings.crypto_secretstream_xchacha20poly1305_ABYTES
KEY_SIZE = bindings.crypto_secretstream_xchacha20poly1305_KEYBYTES
TAG_MESSAGE = bindings.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL

# Plaintext bytes per message, fixed by the archive format.
MESSAGE_SIZE = 1024 * 1024


class ArchiveError(Exception):
    """An encrypted archive that cannot be decrypted."""


class ArchiveUnreadable(ArchiveError):
    """A file too short to hold the stream header, so decryption cannot start."""


class ArchiveCorrupted(ArchiveError):
    """A message that fails authentication: the key is wrong or the file was changed."""


class ArchiveTruncated(ArchiveError):
    """A file that ends before its FINAL message, or has bytes after it."""


def _check_key(key):
    if len(key) != KEY_SIZE:
        raise ValueError(f"An archive key must be {KEY_SIZE} bytes, not {len(key)}.")


class EncryptingWriter(io.RawIOBase):
    """A write-only binary stream that encrypts what is written to it into ``target``.

    The header is written at once. ``close()`` writes the FINAL message and leaves ``target`` open.
    ``abort()`` closes without writing it, for output that is being thrown away. ``message_size``
    may differ from ``MESSAGE_SIZE`` only for private temporary files that this module reads back.
    """

    def __init__(self, target, key, message_size=MESSAGE_SIZE):
        super().__init__()
        _check_key(key)
        self._target = target
        self._message_size = message_size
        self._state = bindings.crypto_secretstream_xchacha20poly1305_state()
        self._buffer = bytearray()
        self._position = 0
        self._aborted = False
        header = bindings.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        target.write(header)

    def writable(self):
        return True

    def tell(self):
        """Return the number of plaintext bytes written so far."""
        return self._position

    def write(self, data):
        if self.closed:
            raise ValueError("write to a closed encrypting stream")
        self._buffer += data
        self._position += len(data)
        # A full message is pushed only once more bytes follow it, so that the last message, which
        # gets the FINAL tag at close, is never empty unless nothing was written at all.
        while len(self._buffer) > self._message_size:
            self._push(bytes(self._buffer[:self._message_size]), TAG_MESSAGE)
            del self._buffer[:self._message_size]
        return len(data)

    def _push(self, message, tag):
        self._target.write(bindings.crypto_secretstream_xchacha20poly1305_push(self._state, message, None, tag))

    def close(self):
        if not self.closed and not self._aborted:
            self._push(bytes(self._buffer), TAG_FINAL)
            self._buffer.clear()
        super().close()

    def abort(self):
        """Close without writing the FINAL message, so the output never reads as complete."""
        self._aborted = True
        self._buffer.clear()
        self.close()


class DecryptingReader:
    """The plaintext of an encrypted stream, as an iterator of ``bytes``, one per message.

    The header is read when the reader is made, so ``ArchiveUnreadable`` is raised before any
    output. Iterating raises ``ArchiveCorrupted`` or ``ArchiveTruncated`` at the first bad message;
    the messages yielded before it were authentic.
    """

    def __init__(self, source, key, message_size=MESSAGE_SIZE):
        _check_key(key)
        self._source = source
        self._message_size = message_size
        self._state = bindings.crypto_secretstream_xchacha20poly1305_state()
        header = source.read(HEADER_SIZE)
        if len(header) != HEADER_SIZE:
            raise ArchiveUnreadable(
                f"The file holds {len(header)} bytes, fewer than the {HEADER_SIZE}-byte header of an encrypted archive."
            )
        bindings.crypto_secretstream_xchacha20poly1305_init_pull(self._state, header, key)

    def __iter__(self):
        message_number = 0
        while True:
            ciphertext = self._source.read(self._message_size + MESSAGE_OVERHEAD)
            message_number += 1
            if not ciphertext:
                raise ArchiveTruncated(
                    f"The archive ends after {message_number - 1} message(s), without its final message."
                )
            try:
                plaintext, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(self._state, ciphertext)
            except exceptions.CryptoError:
                raise ArchiveCorrupted(
                    f"Message {message_number} of the archive failed authentication: the archive was "
                    "encrypted with another APP_KEY, or it was changed or cut short."
                ) from None
            if tag == TAG_FINAL:
                if self._source.read(1):
                    raise ArchiveTruncated("The archive has data after its final message.")
                yield plaintext
                return
            yield plaintext


def encrypt_stream(source, target, key, block_size=MESSAGE_SIZE):
    """Encrypt everything read from the binary stream ``source`` into ``target``; return the plaintext size."""
    writer = EncryptingWriter(target, key)
    try:
        while block := source.read(block_size):
            writer.write(block)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return writer.tell()

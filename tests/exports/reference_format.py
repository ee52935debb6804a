"""An independent writer and reader of the archive format, as the PHP service implemented it.

Written from the format's description with PyNaCl's bindings only, sharing no code with
``arc.exports``, so that the tests compare two implementations:

- the key is the APP_KEY setting with its ``base64:`` prefix removed, base64-decoded to 32 bytes;
- a file is the 24-byte secretstream header, then messages of exactly 1 MiB of plaintext with the
  MESSAGE tag (0), each 17 bytes longer when encrypted, then the rest of the plaintext with the
  FINAL tag (3). Nothing is pushed until more than 1 MiB is buffered, so the final message holds
  1 byte to 1 MiB, and a stream with no plaintext at all is the bare header with no FINAL message.
"""

import base64

from nacl import bindings

MIB = 1024 * 1024


def key_from_app_key(app_key):
    assert app_key.startswith("base64:")
    key = base64.b64decode(app_key[len("base64:"):])
    assert len(key) == 32
    return key


def encrypt_like_php(plaintext, key, write_sizes=(7000, 300_000)):
    """Return the bytes the PHP stream wrapper wrote for ``plaintext`` fed in writes of varying size."""
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    output = bytearray(bindings.crypto_secretstream_xchacha20poly1305_init_push(state, key))
    buffer = bytearray()
    position = 0
    step = 0
    while position < len(plaintext):
        size = write_sizes[step % len(write_sizes)]
        buffer += plaintext[position:position + size]
        position += size
        step += 1
        while len(buffer) > MIB:
            output += bindings.crypto_secretstream_xchacha20poly1305_push(state, bytes(buffer[:MIB]), None, 0)
            del buffer[:MIB]
    if buffer:
        output += bindings.crypto_secretstream_xchacha20poly1305_push(state, bytes(buffer), None, 3)
    return bytes(output)


def decrypt_like_php(data, key):
    """Return the plaintext of ``data``; fail unless the FINAL message is exactly at the end."""
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, data[:24], key)
    plaintext = bytearray()
    position = 24
    while True:
        ciphertext = data[position:position + MIB + 17]
        position += len(ciphertext)
        message, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext)
        plaintext += message
        at_end = position == len(data)
        if (tag == 3) != at_end:
            raise ValueError("The stream ended prematurely.")
        if at_end:
            return bytes(plaintext)


def message_tags(data, key):
    """Return the tag and plaintext length of each message of ``data``."""
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, data[:24], key)
    tags = []
    position = 24
    while position < len(data):
        ciphertext = data[position:position + MIB + 17]
        position += len(ciphertext)
        message, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext)
        tags.append((tag, len(message)))
    return tags

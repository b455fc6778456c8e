"""Refuse an SFTP client in words it shows.

sshd throws away what a subsystem writes on standard error, so an sftp or scp client
refused there sees nothing but "Connection closed". An SFTP client does show the message
of a failed request, though: here the refusal speaks just enough of the protocol
(version 3, draft-ietf-secsh-filexfer-02) to greet the client and to fail its first
requests with "permission denied" and the refusal's words; the client prints them (as
``realpath .: copying files (sftp) is not offered here…``) and gives up.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

INIT, VERSION, STATUS = 1, 2, 101
PERMISSION_DENIED = 3
VERSION_SPOKEN = 3
# A client gives up at its first failure; this is only a bound on one that would not.
MOST_REQUESTS = 16
LONGEST_PACKET = 256 * 1024


def is_sftp_subsystem(asked: str, has_terminal: bool) -> bool:
    """Whether sshd started us for an SFTP subsystem (its configured server's command),
    rather than a person typing a command."""
    import os

    name = os.path.basename(asked.split(" ", 1)[0]) if asked.strip() else ""
    return not has_terminal and name in ("internal-sftp", "sftp-server")


def refuse_sftp(message: str, incoming: BinaryIO, outgoing: BinaryIO) -> None:
    """Answer an SFTP client's greeting, then fail its requests with ``message``."""
    words = message.encode("utf-8")
    for _ in range(MOST_REQUESTS):
        packet = _read_packet(incoming)
        if packet is None:
            return
        kind = packet[0]
        if kind == INIT:
            _write_packet(outgoing, struct.pack(">BI", VERSION, VERSION_SPOKEN))
            continue
        if len(packet) < 5:
            return  # not a request: no id to answer to
        (request_id,) = struct.unpack(">I", packet[1:5])
        _write_packet(outgoing, struct.pack(">BII", STATUS, request_id, PERMISSION_DENIED)
                      + _string(words) + _string(b"en"))


def _read_packet(incoming: BinaryIO) -> bytes | None:
    header = incoming.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack(">I", header)
    if not 1 <= length <= LONGEST_PACKET:
        return None
    body = incoming.read(length)
    return body if len(body) == length else None


def _write_packet(outgoing: BinaryIO, body: bytes) -> None:
    outgoing.write(struct.pack(">I", len(body)) + body)
    outgoing.flush()


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data

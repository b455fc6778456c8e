"""An SFTP client refused over SSH is greeted in its protocol and told why in the status
of its first request (sshd throws away what a subsystem writes on standard error)."""

from __future__ import annotations

import io
import struct

import pytest

from mlm_tui.sftp_refusal import is_sftp_subsystem, refuse_sftp

REASON = "copying files (sftp) is not offered here"


def _packet(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def _packets(data: bytes) -> list[bytes]:
    found, stream = [], io.BytesIO(data)
    while header := stream.read(4):
        found.append(stream.read(struct.unpack(">I", header)[0]))
    return found


def _string(data: bytes, at: int) -> tuple[str, int]:
    (length,) = struct.unpack(">I", data[at:at + 4])
    return data[at + 4:at + 4 + length].decode(), at + 4 + length


def test_the_client_is_greeted_and_its_first_request_fails_with_the_reason():
    init = _packet(struct.pack(">BI", 1, 3))
    realpath = _packet(struct.pack(">BI", 16, 7) + struct.pack(">I", 1) + b".")
    answers = io.BytesIO()
    refuse_sftp(REASON, io.BytesIO(init + realpath), answers)
    version, status = _packets(answers.getvalue())
    assert struct.unpack(">BI", version) == (2, 3)
    kind, request, code = struct.unpack(">BII", status[:9])
    assert (kind, request, code) == (101, 7, 3)  # permission denied, for request 7
    message, at = _string(status, 9)
    assert message == REASON
    assert _string(status, at)[0] == "en"


def test_a_client_that_hangs_up_or_sends_rubbish_ends_the_refusal():
    answers = io.BytesIO()
    refuse_sftp(REASON, io.BytesIO(b"\x00\x00"), answers)
    refuse_sftp(REASON, io.BytesIO(struct.pack(">I", 2**31) + b"x"), answers)
    assert answers.getvalue() == b""


@pytest.mark.parametrize(("asked", "terminal", "sftp"), [
    ("internal-sftp", False, True),
    ("/usr/lib/openssh/sftp-server -l INFO", False, True),
    ("internal-sftp", True, False),  # a person typed it: told in words, on the terminal
    ("scp -t /tmp", False, False),  # scp's own protocol reads what is on stderr
    ("orders list", False, False),
])
def test_only_an_sftp_subsystem_is_answered_in_its_protocol(asked, terminal, sftp):
    assert is_sftp_subsystem(asked, terminal) is sftp

"""An OpenSSH public key as a member pastes it: read, checked, fingerprinted. No I/O.

A member adds the line of her ``~/.ssh/id_ed25519.pub`` (``ssh-ed25519 AAAA… anna@laptop``).
The blob is decoded and its structure read field by field, so that what is stored is a
key OpenSSH will present byte for byte, and its SHA256 fingerprint is the one
``ssh-keygen -l`` shows. What is not a public key is refused with a message saying what
it is instead: a private key above all, which must never be pasted anywhere.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from mlm_tui.core.errors import N_, ValidationError

FIELD = "key"
# RSA keys shorter than this are refused by OpenSSH itself (RequiredRSASize, 8.9+).
MIN_RSA_BITS = 2048
MAX_COMMENT = 200
MAX_LINE = 16_384  # an RSA key of 16384 bits is under 3 KB of base64

ECDSA_CURVES = {
    "ecdsa-sha2-nistp256": "nistp256",
    "ecdsa-sha2-nistp384": "nistp384",
    "ecdsa-sha2-nistp521": "nistp521",
}
SK_ECDSA = "sk-ecdsa-sha2-nistp256@openssh.com"
SK_ED25519 = "sk-ssh-ed25519@openssh.com"
KEY_TYPES = ("ssh-ed25519", SK_ED25519, *ECDSA_CURVES, SK_ECDSA, "ssh-rsa")


@dataclass(frozen=True, slots=True)
class PublicKey:
    key_type: str  # "ssh-ed25519"
    blob: str  # the base64 text, as OpenSSH writes it and presents it (%k)
    comment: str
    fingerprint: str  # "SHA256:…", as ``ssh-keygen -l`` shows it

    def line(self) -> str:
        return f"{self.key_type} {self.blob}"


def fingerprint(blob: bytes) -> str:
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")
    return "SHA256:" + digest.rstrip("=")


def decode_blob(text: str) -> bytes | None:
    """The key's bytes, or None when the text is not strict base64."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


def parse_public_key(text: str) -> PublicKey:
    """The key of one line of a ``.pub`` file (or of ``authorized_keys`` without options).

    ``ValidationError`` (field ``key``) names what is wrong: empty, a private key, another
    format, a type OpenSSH no longer takes or that is not offered, a damaged key."""
    line = text.strip()
    if not line:
        raise ValidationError(N_("Paste the line of your public key file (for example "
                                 "~/.ssh/id_ed25519.pub)."), field=FIELD)
    if "PRIVATE KEY" in line or line.startswith("PuTTY-User-Key-File"):
        raise ValidationError(N_("This is a private key: never share it. Paste the public "
                                 "key instead, the line of the file ending in .pub."),
                              field=FIELD)
    if line.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        raise ValidationError(N_("This key is in the SSH2 format: convert it with "
                                 "`ssh-keygen -i -f FILE` and paste the line it prints."),
                              field=FIELD)
    if "\n" in line or "\r" in line or len(line) > MAX_LINE:
        raise ValidationError(N_("Paste one key: a single line."), field=FIELD)
    words = line.split(None, 2)
    key_type = words[0]
    if key_type not in KEY_TYPES:
        if key_type == "ssh-dss" or key_type.endswith("-cert-v01@openssh.com"):
            raise ValidationError(N_("Keys of type {type} are not accepted: make an "
                                     "ed25519 key with `ssh-keygen -t ed25519`."),
                                  field=FIELD, params={"type": key_type[:60]})
        raise ValidationError(N_("This is not an OpenSSH public key: the line starts with "
                                 "the key type, such as ssh-ed25519."), field=FIELD)
    if len(words) < 2:
        raise ValidationError(N_("The key itself is missing after its type."), field=FIELD)
    blob = decode_blob(words[1])
    if blob is None or not _well_formed(key_type, blob):
        raise ValidationError(N_("This key is damaged: copy the whole line again."),
                              field=FIELD)
    if key_type == "ssh-rsa" and _rsa_bits(blob) < MIN_RSA_BITS:
        raise ValidationError(N_("This RSA key is too short ({bits} bits; at least {min}): "
                                 "make an ed25519 key with `ssh-keygen -t ed25519`."),
                              field=FIELD, params={"bits": _rsa_bits(blob),
                                                   "min": MIN_RSA_BITS})
    comment = words[2].strip() if len(words) > 2 else ""
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in comment):
        raise ValidationError(N_("The key's comment holds control characters."),
                              field=FIELD)
    return PublicKey(key_type, base64.b64encode(blob).decode("ascii"),
                     comment[:MAX_COMMENT], fingerprint(blob))


def _fields(blob: bytes) -> list[bytes] | None:
    """The SSH wire strings the blob is made of (RFC 4251: a 4-byte length, then the
    bytes), or None when a length runs past the end."""
    fields, at = [], 0
    while at < len(blob):
        if at + 4 > len(blob):
            return None
        size = int.from_bytes(blob[at:at + 4], "big")
        at += 4
        if at + size > len(blob):
            return None
        fields.append(blob[at:at + size])
        at += size
    return fields


def _well_formed(key_type: str, blob: bytes) -> bool:
    fields = _fields(blob)
    if not fields or fields[0] != key_type.encode("ascii"):
        return False
    if key_type == "ssh-ed25519":
        return len(fields) == 2 and len(fields[1]) == 32
    if key_type == SK_ED25519:
        return len(fields) == 3 and len(fields[1]) == 32 and bool(fields[2])
    if key_type in ECDSA_CURVES:
        return (len(fields) == 3 and fields[1] == ECDSA_CURVES[key_type].encode()
                and fields[2][:1] == b"\x04")
    if key_type == SK_ECDSA:
        return (len(fields) == 4 and fields[1] == b"nistp256" and fields[2][:1] == b"\x04"
                and bool(fields[3]))
    # ssh-rsa: the exponent and the modulus, both positive
    return (len(fields) == 3 and all(f and f[0] < 0x80 for f in fields[1:])
            and int.from_bytes(fields[1], "big") > 1)


def _rsa_bits(blob: bytes) -> int:
    fields = _fields(blob) or []
    return int.from_bytes(fields[2], "big").bit_length() if len(fields) == 3 else 0

"""Members' SSH keys: a pasted line read as OpenSSH reads it, kept per member, removed at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mlm_tui.core.authorized_keys import find_authorized_key
from mlm_tui.core.errors import Conflict, NotAuthenticated, NotFound, ValidationError
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import schema as t
from mlm_tui.core.rules.ssh_keys import parse_public_key
from tests import world
from tests.ssh_keys import (
    ANNA_FINGERPRINT,
    ANNA_KEY,
    ECDSA_KEY,
    OLGA_KEY,
    PRIVATE_KEY_START,
    RSA_FINGERPRINT,
    RSA_KEY,
    SHORT_RSA_KEY,
)

# --- reading a pasted line ----------------------------------------------------------------


def test_a_pub_files_line_gives_the_fingerprint_ssh_keygen_shows():
    key = parse_public_key(f"  {ANNA_KEY}\n")
    assert (key.key_type, key.comment, key.fingerprint) == (
        "ssh-ed25519", "anna@laptop", ANNA_FINGERPRINT)
    assert key.line() == ANNA_KEY.rsplit(" ", 1)[0]
    assert parse_public_key(RSA_KEY).fingerprint == RSA_FINGERPRINT
    assert parse_public_key(ECDSA_KEY).key_type == "ecdsa-sha2-nistp256"
    assert parse_public_key(ANNA_KEY.rsplit(" ", 1)[0]).comment == ""


@pytest.mark.parametrize(("line", "says"), [
    ("", "Paste the line"),
    (f"{PRIVATE_KEY_START}\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=", "private key"),
    ("-----BEGIN RSA PRIVATE KEY-----", "private key"),
    ("PuTTY-User-Key-File-3: ssh-ed25519", "private key"),
    ("---- BEGIN SSH2 PUBLIC KEY ----", "ssh-keygen -i"),
    ("hello world", "not an OpenSSH public key"),
    ('from="10.0.0.1" ' + ANNA_KEY, "not an OpenSSH public key"),
    ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "not accepted"),
    ("ssh-ed25519-cert-v01@openssh.com AAAA", "not accepted"),
    ("ssh-ed25519", "missing"),
    ("ssh-ed25519 not*base64", "damaged"),
    (ANNA_KEY[:60], "damaged"),  # cut short
    (OLGA_KEY.replace("ssh-ed25519", "ecdsa-sha2-nistp256", 1), "damaged"),  # wrong type
    (SHORT_RSA_KEY, "too short (1024 bits"),
    (ANNA_KEY + "\x1b]52;c;x\x07", "control characters"),
])
def test_what_is_not_a_usable_public_key_is_refused_saying_what_it_is(line, says):
    with pytest.raises(ValidationError) as refused:
        parse_public_key(line)
    assert refused.value.field == "key"
    assert says in refused.value.message


# --- the Backend: each member's own keys ---------------------------------------------------


def test_a_member_adds_lists_and_removes_her_keys(anna):
    added = anna.add_ssh_key(ANNA_KEY + "\n")
    assert (added.key_type, added.fingerprint, added.comment) == (
        "ssh-ed25519", ANNA_FINGERPRINT, "anna@laptop")
    anna.add_ssh_key(RSA_KEY)
    assert [k.fingerprint for k in anna.ssh_keys()] == [ANNA_FINGERPRINT, RSA_FINGERPRINT]
    anna.remove_ssh_key(ANNA_FINGERPRINT)
    assert [k.fingerprint for k in anna.ssh_keys()] == [RSA_FINGERPRINT]


def test_a_key_is_registered_once_and_nobody_learns_whose_it_is(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.add_ssh_key(ANNA_KEY)
    with pytest.raises(Conflict) as again:
        backend.add_ssh_key(ANNA_KEY.replace("anna@laptop", "another comment"))
    backend.login(world.PETR.registration_number, world.PASSWORD)
    with pytest.raises(Conflict) as taken:
        backend.add_ssh_key(ANNA_KEY)
    assert again.value.message == taken.value.message == "This key is already registered."
    assert taken.value.field == "key"
    assert backend.ssh_keys() == []


def test_a_bad_key_changes_nothing_and_names_the_field(anna):
    with pytest.raises(ValidationError) as refused:
        anna.add_ssh_key(PRIVATE_KEY_START)
    assert refused.value.field == "key"
    assert "private key" in refused.value.message
    assert anna.ssh_keys() == []


def test_nobody_removes_or_sees_another_members_key(backend):
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.add_ssh_key(ANNA_KEY)
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)  # her downline
    assert backend.ssh_keys() == []
    with pytest.raises(NotFound) as refused:
        backend.remove_ssh_key(ANNA_FINGERPRINT)
    assert refused.value.field == "fingerprint"
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    assert [k.fingerprint for k in backend.ssh_keys()] == [ANNA_FINGERPRINT]


def test_keys_need_a_session(backend):
    with pytest.raises(NotAuthenticated):
        backend.ssh_keys()
    with pytest.raises(NotAuthenticated):
        backend.add_ssh_key(ANNA_KEY)


# --- what OpenSSH asks, and the session it opens -------------------------------------------


def test_openssh_finds_a_registered_key_of_an_active_member_only(settings, clock):
    backend = LocalBackend(settings, clock=clock)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    key = backend.add_ssh_key(ANNA_KEY)
    key_type, blob, _comment = ANNA_KEY.split()
    found = find_authorized_key(settings.store_path, key_type, blob)
    assert found is not None and (found.key_id, found.blob) == (key.id, blob)
    assert find_authorized_key(settings.store_path, "ssh-rsa", blob) is None  # another type
    olga_type, olga_blob, _ = OLGA_KEY.split()
    assert find_authorized_key(settings.store_path, olga_type, olga_blob) is None  # not added
    assert find_authorized_key(settings.store_path, key_type, "%%%") is None
    with backend.store.write() as conn:
        conn.execute(t.members.update().where(t.members.c.id == world.ANNA.id)
                     .values(status="closed"))
    assert find_authorized_key(settings.store_path, key_type, blob) is None
    backend.close()


def test_a_key_session_is_the_keys_member_and_ends_when_the_key_is_removed(settings, clock):
    owner = LocalBackend(settings, clock=clock)
    owner.login(world.IRINA.registration_number, world.PASSWORD)
    key = owner.add_ssh_key(OLGA_KEY)
    over_ssh = LocalBackend(settings, clock=clock)
    session = over_ssh.open_key_session(key.id)
    assert (session.member_id, over_ssh.me().full_name) == (world.IRINA.id, world.IRINA.full_name)
    with over_ssh.store.read() as conn:  # kept as a hash only, like every session
        kept = conn.execute(select(t.sessions.c.token_hash, t.sessions.c.key_id)
                            .where(t.sessions.c.key_id == key.id)).one()
    assert session.token not in kept.token_hash
    owner.remove_ssh_key(key.fingerprint)
    with pytest.raises(NotAuthenticated):
        over_ssh.me()
    with pytest.raises(NotAuthenticated) as gone:
        over_ssh.open_key_session(key.id)
    assert gone.value.message == "This key is no longer registered."
    owner.close()
    over_ssh.close()


def test_an_older_store_gets_the_keys_table_and_keeps_its_sessions(tmp_path):
    import shutil
    import sqlite3

    from mlm_tui.core.local.store import Store
    from tests.core.test_migrations import V1_FILE

    path = tmp_path / "store.db"
    shutil.copyfile(V1_FILE, path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO sessions VALUES ('kept', 1, '2026-11-20T12:00:00', "
                     "'2026-12-20T12:00:00')")
    Store(path).close()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(member_keys)")}
        sessions = conn.execute("SELECT token_hash, key_id FROM sessions").fetchall()
    assert {"member_id", "key_type", "key_blob", "fingerprint", "comment",
            "added_at"} <= columns
    assert sessions == [("kept", None)]  # a password's session, as it was

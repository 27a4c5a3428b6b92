"""A throwaway Dovecot IMAP server for tests: loopback only, plaintext login, a temporary maildir.

It runs Debian's /usr/sbin/dovecot in the foreground as an unprivileged user: the current user,
or `nobody` when the tests run as root (Dovecot refuses to serve mail as root). Everything it
writes (sockets, state, logs, mail) lives in one temporary directory removed by `stop()`, which
also ends every process of the server, so no test leaves a stray dovecot behind.

Usage: `with Dovecot() as server: server.append("INBOX", data); imap.poll(imap.Mailbox(...))`.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

DOVECOT = Path("/usr/sbin/dovecot")
USER = "heard"
PASSWORD = "imap-test-password"
START_SECONDS = 10

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def available() -> bool:
    return DOVECOT.is_file() and os.access(DOVECOT, os.X_OK)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Dovecot:
    host = "127.0.0.1"
    user = USER
    password = PASSWORD

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="heard-dovecot-"))
        self.process: subprocess.Popen[bytes] | None = None
        # Dovecot serves mail only as an unprivileged user; as root, become nobody.
        self.account = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.getuid())

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._write_files()
        self.stderr = (self.root / "stderr.log").open("wb")  # errors before log_path applies
        as_root = os.geteuid() == 0
        self.process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(self.root / "dovecot.conf")],
            user=self.account.pw_uid if as_root else None,
            group=self.account.pw_gid if as_root else None,
            start_new_session=True,  # its own process group, so stop() can end all of it
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
        )
        try:
            self._wait_until_listening()
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        """End the master and every process it started, then remove the temporary directory.

        A throwaway server needs no graceful shutdown (SIGTERM takes Dovecot a second): its
        whole process group is killed at once, so nothing of it outlives the test.
        """
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None
            self.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def append(self, mailbox: str, *messages: bytes, received: float | None = None) -> None:
        """Put messages into the mailbox (created if needed), unread, as a mail server would;
        `received` (a Unix time) is when the server says they arrived, else now."""
        conn = self.connect()
        when = imaplib.Time2Internaldate(received) if received is not None else None
        try:
            conn.create(_quoted(mailbox))  # "already exists" is fine
            for data in messages:
                # typeshed has flags and date_time as str (imaplib takes None for "none") and the
                # result as str (it is the (type, data) pair every IMAP4 command returns)
                result: tuple[str, list[Any]] = conn.append(  # type: ignore[assignment]
                    _quoted(mailbox), None, when, data  # type: ignore[arg-type]
                )
                typ, answer = result
                assert typ == "OK", answer
        finally:
            conn.logout()

    def flags(self, mailbox: str) -> dict[int, set[str]]:
        """Each message's flags by UID, read without changing anything."""
        conn = self.connect()
        try:
            conn.select(_quoted(mailbox), readonly=True)
            typ, data = conn.uid("FETCH", "1:*", "(UID FLAGS)")
            assert typ == "OK", data
        finally:
            conn.logout()
        found: dict[int, set[str]] = {}
        for line in data:
            if not isinstance(line, bytes):
                continue
            words = line.decode().replace("(", " ").replace(")", " ").split()
            uid = int(words[words.index("UID") + 1])
            found[uid] = {w for w in words if w.startswith("\\")}
        return found

    def _write_files(self) -> None:
        account = self.account
        mail = self.root / "mail"
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir()
        (self.root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{account.pw_uid}:{account.pw_gid}::{mail / USER}::\n"
        )
        group = _group_name(account.pw_gid)
        (self.root / "dovecot.conf").write_text(
            CONFIG.format(
                root=self.root,
                user=account.pw_name,
                group=group,
                uid=account.pw_uid,
                port=self.port,
            )
        )
        if os.geteuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self._log()}")
            try:
                imaplib.IMAP4(self.host, self.port, timeout=2).logout()
                return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not listen within {START_SECONDS} s: {self._log()}")

    def _log(self) -> str:
        logs = [self.root / "stderr.log", self.root / "dovecot.log"]
        return "".join(log.read_text(errors="replace") for log in logs if log.exists())


def _quoted(mailbox: str) -> str:
    """imaplib sends a mailbox name as it is; one with a space must be a quoted string."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _group_name(gid: int) -> str:
    return grp.getgrgid(gid).gr_name

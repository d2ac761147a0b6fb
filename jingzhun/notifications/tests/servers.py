"""Real servers on loopback standing in for the outside channels: an SMTP server and an HTTP
receiver for the group robots. Each runs in a thread for one test and records what it got."""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: bool = False  # answer 421 at the greeting, like a server that is down
    silent: float = 0.0  # wait this long before the greeting, like a server that hangs


class _SMTPHandler(socketserver.StreamRequestHandler):
    """The part of SMTP Django's backend speaks: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    server: Any

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox
        if box.silent:
            time.sleep(box.silent)
            return
        if box.refuse:
            self._reply("421 service not available")
            return
        self._reply("220 localhost ESMTP test")
        sender, recipients = "", list[str]()
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250 localhost")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(), list[str]()
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                box.messages.append(self._read_data())
                box.envelopes.append((sender, recipients))
                self._reply("250 OK queued")
            elif verb in {"RSET", "NOOP"}:
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")

    def _read_data(self) -> EmailMessage:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return message_from_bytes(b"".join(lines), policy=policy.default)  # type: ignore[return-value]

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False  # a hanging handler (the timeout tests) must not hold the test
    allow_reuse_address = True


@contextmanager
def smtp_server() -> Iterator[tuple[int, Mailbox]]:
    """(port, mailbox) of an SMTP server on 127.0.0.1 for the duration of the block."""
    server = _Server(("127.0.0.1", 0), _SMTPHandler)
    server.mailbox = Mailbox()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.mailbox  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: Any
    content_type: str
    answered: int


@dataclass
class Receiver:
    """What the robot endpoint got, and how it answers: "ok", "error" (HTTP 500), "refuse"
    (200 with a non-zero errcode, e.g. a wrong keyword) or "slow" (answers after `delay`)."""

    url: str = ""
    mode: str = "ok"
    delay: float = 3.0
    requests: list[Received] = field(default_factory=list)

    def delivered(self) -> list[Received]:
        return [r for r in self.requests if r.answered == 200 and self.mode != "refuse"]


class _RobotHandler(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        split = urlsplit(self.path)
        status, answer = 200, {"errcode": 0, "errmsg": "ok"}
        if receiver.mode == "error":
            status, answer = 500, {"errcode": -1, "errmsg": "system busy"}
        elif receiver.mode == "refuse":
            answer = {"errcode": 310000, "errmsg": "keywords not in content"}
        elif receiver.mode == "slow":
            time.sleep(receiver.delay)
        receiver.requests.append(Received(
            path=split.path, query={k: v[0] for k, v in parse_qs(split.query).items()},
            body=json.loads(raw), content_type=self.headers.get("Content-Type", ""),
            answered=status,
        ))  # fmt: skip
        payload = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up waiting (the timeout test)
            pass

    def log_message(self, format: str, *args: Any) -> None:
        return


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextmanager
def robot_receiver() -> Iterator[Receiver]:
    """An HTTP receiver on 127.0.0.1 standing in for the WeCom / DingTalk webhooks."""
    server = _HTTPServer(("127.0.0.1", 0), _RobotHandler)
    receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()

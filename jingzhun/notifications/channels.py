"""The outside channels: e-mail over SMTP and the WeCom / DingTalk group robots.

Each sender takes a `Message` and either returns or raises `DeliveryError` with a reason short
enough to keep on the delivery row. Every network call has a timeout
(`NOTIFICATION_TIMEOUT_SECONDS`). A group robot posts to a whole group, so its text names whom
the notification is for and carries the title and the link only — never the body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

EMAIL, WECOM, DINGTALK = "email", "wecom", "dingtalk"
NAMES = (EMAIL, WECOM, DINGTALK)
ROBOTS = (WECOM, DINGTALK)
AUDIENCE_NAMES = 5
AUDIENCE_MAX = 300
RESPONSE_MAX = 64 * 1024


class DeliveryError(Exception):
    """The channel did not take the message; the text says why (kept on the delivery)."""


@dataclass(frozen=True)
class Message:
    recipient_name: str
    recipient_email: str
    title: str
    body: str
    link: str  # absolute when SITE_URL is set, else the site path; "" for none


def enabled() -> list[str]:
    """The outside channels configured on this installation, in sending order."""
    names = [EMAIL] if settings.USE_EMAIL_NOTIFICATIONS else []
    if settings.WECOM_WEBHOOK_URL:
        names.append(WECOM)
    if settings.DINGTALK_WEBHOOK_URL:
        names.append(DINGTALK)
    return names


def reaches(channel: str, user: Any) -> bool:
    """Whether the channel can carry a message for this user: an active account, and for
    e-mail an address."""
    return bool(user.is_active) and (channel != EMAIL or bool(user.email))


def is_on(channel: str) -> bool:
    return channel in enabled()


def audience(names: list[str]) -> str:
    """Whom a group-robot post is for: every name, or the first few and how many in all."""
    if len(names) <= AUDIENCE_NAMES:
        return "、".join(names)[:AUDIENCE_MAX]
    first = "、".join(names[:AUDIENCE_NAMES])
    return (_("%(names)s and others, %(total)s people") % {"names": first, "total": len(names)})[
        :AUDIENCE_MAX
    ]


def send(channel: str, message: Message) -> None:
    senders = {EMAIL: send_email, WECOM: send_wecom, DINGTALK: send_dingtalk}
    senders[channel](message)


def _timeout() -> float:
    return float(settings.NOTIFICATION_TIMEOUT_SECONDS)


def send_email(message: Message) -> None:
    if not message.recipient_email:
        raise DeliveryError("the recipient has no e-mail address")
    lines = [message.body] if message.body else []
    if message.link:
        lines.append(_("Open: %(link)s") % {"link": message.link})
    lines.append(_("Sent automatically by the Jingzhun precise assistance platform; do not reply."))
    email = EmailMessage(
        subject=_("[Jingzhun] %(title)s") % {"title": message.title},
        body="\n\n".join(lines),
        to=[message.recipient_email],
        connection=get_connection(timeout=_timeout()),
    )
    try:
        email.send()
    except Exception as exc:  # smtplib, socket and SSL errors all mean "not sent"
        raise DeliveryError(f"e-mail: {type(exc).__name__}: {exc}") from exc


def robot_text(message: Message) -> str:
    """The group robot's text: for whom, the title, the link; nothing of the body."""
    text = _("[Jingzhun] For %(name)s: %(title)s") % {
        "name": message.recipient_name,
        "title": message.title,
    }
    return f"{text}\n{message.link}" if message.link else text


def send_wecom(message: Message) -> None:
    _post_robot("WeCom", settings.WECOM_WEBHOOK_URL, robot_text(message))


def send_dingtalk(message: Message) -> None:
    url = settings.DINGTALK_WEBHOOK_URL
    if settings.DINGTALK_SECRET:
        url = dingtalk_signed_url(url, settings.DINGTALK_SECRET, int(time.time() * 1000))
    _post_robot("DingTalk", url, robot_text(message))


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, sent
    with the timestamp as query parameters."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    query = urllib.parse.urlencode(
        {"timestamp": timestamp_ms, "sign": base64.b64encode(digest).decode()}
    )
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _post_robot(name: str, url: str, text: str) -> None:
    """POST the robot's JSON; both robots answer 200 with `{"errcode": 0}` when they took it."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by the settings
        url, data=body.encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310
            raw = response.read(RESPONSE_MAX)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"{name}: HTTP {exc.code}") from exc
    except (OSError, ValueError) as exc:  # refused, unreachable, timed out, bad TLS
        raise DeliveryError(f"{name}: {type(exc).__name__}: {exc}") from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise DeliveryError(f"{name}: the answer is not JSON") from exc
    if not isinstance(answer, dict) or answer.get("errcode", 0) != 0:
        detail = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        code = answer.get("errcode") if isinstance(answer, dict) else "?"
        raise DeliveryError(f"{name}: errcode {code} {detail}".strip())

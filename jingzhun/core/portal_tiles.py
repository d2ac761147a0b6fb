"""The student portal's home (我的) is a grid of tiles that each app fills.

The portal is the top layer and may import every app, but the apps that own a student's
pages (assistance's subsidies, jobs' pushes, tracking's destination) cannot import the
portal. So, like job kinds and notification kinds, each app registers its tile in its
`AppConfig.ready()`:

    from jingzhun.core import portal_tiles
    portal_tiles.register(portal_tiles.PortalTile(
        key="pushes", label=_("My job pushes"), icon="bi-send", url_name="portal:pushes",
        order=30, badge=unanswered_push_count,  # optional: (actor) -> int | None
    ))

A tile whose `url_name` is not in the URL conf is left out (a page that is not built yet
never breaks the home); a tile registered again under the same key replaces the earlier
one, except that a `placeholder` never replaces a real registration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

Badge = Callable[[Any], int | None]


@dataclass(frozen=True)
class PortalTile:
    key: str
    label: Any  # a lazy translation
    icon: str  # a Bootstrap icon class, e.g. "bi-list-check"
    url_name: str
    order: int = 100
    badge: Badge | None = None  # called with the student's RoleAssignment
    placeholder: bool = False


@dataclass(frozen=True)
class ShownTile:
    key: str
    label: Any
    icon: str
    url: str
    badge: int | None


_tiles: dict[str, PortalTile] = {}


def register(tile: PortalTile) -> None:
    current = _tiles.get(tile.key)
    if tile.placeholder and current is not None and not current.placeholder:
        return
    _tiles[tile.key] = tile


def unregister(key: str) -> None:
    """For tests."""
    _tiles.pop(key, None)


def registered() -> list[PortalTile]:
    return sorted(_tiles.values(), key=lambda t: (t.order, t.key))


def tiles_for(actor: Any) -> list[ShownTile]:
    """The tiles whose page exists, in order, with their badge counts for `actor`."""
    shown = []
    for tile in registered():
        try:
            url = reverse(tile.url_name)
        except NoReverseMatch:
            continue
        badge = tile.badge(actor) if tile.badge is not None else None
        shown.append(ShownTile(tile.key, tile.label, tile.icon, url, badge or None))
    return shown

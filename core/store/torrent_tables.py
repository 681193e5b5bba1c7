"""Tables of the torrent feature (kept apart from core.store.models so features do not collide)."""

from __future__ import annotations

"""The playlist tables' queries, each run on the database thread (`db.run(fn, ...)`).

Positions stay dense: every insert, move and delete shifts the rows after it in one UPDATE,
so positions are always 0…n-1 and keyset paging (`position > after`) is an index range.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from core.store.models import utcnow
from core.store.playlist_tables import STATIC, PlaylistEntry, PlaylistNode

NODE = PlaylistNode.__table__  # type: ignore[attr-defined]
ENTRY = PlaylistEntry.__table__  # type: ignore[attr-defined]


def _parent_clause(parent_id: int | None) -> Any:
    return NODE.c.parent_id.is_(None) if parent_id is None else NODE.c.parent_id == parent_id


# ------------------------------------------------------------------ nodes


def get_node(session: Session, node_id: int) -> PlaylistNode | None:
    return session.get(PlaylistNode, node_id)


def all_nodes(session: Session) -> list[tuple[PlaylistNode, int, int]]:
    """Every node with its entry count and child count, parents before their children's order."""
    entries = dict(session.execute(sa.select(ENTRY.c.playlist_id, sa.func.count()).group_by(ENTRY.c.playlist_id)).all())
    children = dict(
        session.execute(
            sa.select(NODE.c.parent_id, sa.func.count()).where(NODE.c.parent_id.is_not(None)).group_by(NODE.c.parent_id)
        ).all()
    )
    nodes = session.exec(select(PlaylistNode).order_by(NODE.c.parent_id, NODE.c.position)).all()
    return [(n, entries.get(n.id, 0), children.get(n.id, 0)) for n in nodes]


def node_counts(session: Session, node_id: int) -> tuple[int, int]:
    entries = session.execute(sa.select(sa.func.count()).where(ENTRY.c.playlist_id == node_id)).scalar_one()
    children = session.execute(sa.select(sa.func.count()).where(NODE.c.parent_id == node_id)).scalar_one()
    return int(entries), int(children)


def _sibling_count(session: Session, parent_id: int | None) -> int:
    return int(session.execute(sa.select(sa.func.count()).where(_parent_clause(parent_id))).scalar_one())


def add_node(session: Session, node: PlaylistNode) -> PlaylistNode:
    node.position = _sibling_count(session, node.parent_id)
    session.add(node)
    session.flush()
    return node


def ancestors(session: Session, node_id: int | None) -> list[int]:
    """`node_id` and every node above it."""
    chain: list[int] = []
    while node_id is not None and node_id not in chain:
        chain.append(node_id)
        node_id = session.execute(sa.select(NODE.c.parent_id).where(NODE.c.id == node_id)).scalar_one_or_none()
    return chain


def rename_node(session: Session, node_id: int, name: str) -> None:
    session.execute(sa.update(NODE).where(NODE.c.id == node_id).values(name=name, updated_at=utcnow()))


def move_node(session: Session, node_id: int, parent_id: int | None, index: int | None) -> None:
    node = session.get(PlaylistNode, node_id)
    assert node is not None
    old_parent, old_position = node.parent_id, node.position
    session.execute(
        sa.update(NODE)
        .where(_parent_clause(old_parent), NODE.c.position > old_position)
        .values(position=NODE.c.position - 1)
    )
    count = _sibling_count(session, parent_id) - (1 if parent_id == old_parent else 0)
    index = count if index is None else max(0, min(index, count))
    session.execute(
        sa.update(NODE)
        .where(_parent_clause(parent_id), NODE.c.position >= index, NODE.c.id != node_id)
        .values(position=NODE.c.position + 1)
    )
    session.execute(
        sa.update(NODE).where(NODE.c.id == node_id).values(parent_id=parent_id, position=index, updated_at=utcnow())
    )


def delete_node(session: Session, node_id: int) -> None:
    node = session.get(PlaylistNode, node_id)
    if node is None:
        return
    parent, position = node.parent_id, node.position
    session.execute(sa.delete(NODE).where(NODE.c.id == node_id))  # entries and children by ON DELETE CASCADE
    session.execute(
        sa.update(NODE).where(_parent_clause(parent), NODE.c.position > position).values(position=NODE.c.position - 1)
    )


# ------------------------------------------------------------------ entries

_LISTED = (
    ENTRY.c.id, ENTRY.c.playlist_id, ENTRY.c.position, ENTRY.c.title, ENTRY.c.duration, ENTRY.c.cover, ENTRY.c.url,
    ENTRY.c.provider, ENTRY.c.account_id, ENTRY.c.part_key, ENTRY.c.resume, ENTRY.c.added_at,
)  # fmt: skip


def entry_count(session: Session, playlist_id: int) -> int:
    return int(session.execute(sa.select(sa.func.count()).where(ENTRY.c.playlist_id == playlist_id)).scalar_one())


def add_entries(session: Session, playlist_id: int, rows: Sequence[dict[str, Any]], index: int | None) -> list[int]:
    count = entry_count(session, playlist_id)
    index = count if index is None else max(0, min(index, count))
    if index < count:
        session.execute(
            sa.update(ENTRY)
            .where(ENTRY.c.playlist_id == playlist_id, ENTRY.c.position >= index)
            .values(position=ENTRY.c.position + len(rows))
        )
    ids = []
    now = utcnow()
    for offset, row in enumerate(rows):
        result = session.execute(
            sa.insert(ENTRY).values(playlist_id=playlist_id, position=index + offset, added_at=now, **row)
        )
        ids.append(int(result.inserted_primary_key[0]))  # type: ignore[index]
    session.execute(sa.update(NODE).where(NODE.c.id == playlist_id).values(updated_at=now))
    return ids


def insert_entries_bulk(session: Session, playlist_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """Many entries appended in one statement (imports, benchmarks)."""
    start = entry_count(session, playlist_id)
    now = utcnow()
    session.execute(
        sa.insert(ENTRY),
        [{"playlist_id": playlist_id, "position": start + i, "added_at": now, **row} for i, row in enumerate(rows)],
    )


def list_entries(session: Session, playlist_id: int, after_position: int | None, limit: int) -> list[Any]:
    query = sa.select(*_LISTED).where(ENTRY.c.playlist_id == playlist_id)
    if after_position is not None:
        query = query.where(ENTRY.c.position > after_position)
    return list(session.execute(query.order_by(ENTRY.c.position).limit(limit)).all())


def entries_by_ids(session: Session, entry_ids: Sequence[int]) -> list[Any]:
    return list(session.execute(sa.select(*_LISTED).where(ENTRY.c.id.in_(list(entry_ids)))).all())


def play_rows(session: Session, playlist_id: int) -> list[Any]:
    query = sa.select(
        ENTRY.c.id, ENTRY.c.title, ENTRY.c.provider, ENTRY.c.account_id, ENTRY.c.duration, ENTRY.c.part_key,
        ENTRY.c.resume,
    ).where(ENTRY.c.playlist_id == playlist_id)  # fmt: skip
    return list(session.execute(query.order_by(ENTRY.c.position)).all())


def get_entry(session: Session, entry_id: int) -> PlaylistEntry | None:
    return session.get(PlaylistEntry, entry_id)


def update_entry(session: Session, entry_id: int, **fields: Any) -> int:
    return int(session.execute(sa.update(ENTRY).where(ENTRY.c.id == entry_id).values(**fields)).rowcount)  # type: ignore[attr-defined]


def renumber(session: Session, playlist_id: int) -> None:
    """Positions 0…n-1 again in their order, after rows left or arrived (one statement)."""
    session.execute(
        sa.text(
            "UPDATE playlist_entry SET position = r.n FROM (SELECT id, row_number() OVER (ORDER BY position, id) - 1"
            " AS n FROM playlist_entry WHERE playlist_id = :p) AS r"
            " WHERE playlist_entry.id = r.id AND playlist_entry.position != r.n"
        ),
        {"p": playlist_id},
    )


def move_entry(session: Session, entry_id: int, index: int) -> None:
    """Within its playlist: the entry ends at `index` (clamped), the others keep their order."""
    entry = session.get(PlaylistEntry, entry_id)
    assert entry is not None
    count = entry_count(session, entry.playlist_id)
    index = max(0, min(index, count - 1))
    old = entry.position
    if index == old:
        return
    if index > old:
        session.execute(
            sa.update(ENTRY)
            .where(ENTRY.c.playlist_id == entry.playlist_id, ENTRY.c.position > old, ENTRY.c.position <= index)
            .values(position=ENTRY.c.position - 1)
        )
    else:
        session.execute(
            sa.update(ENTRY)
            .where(ENTRY.c.playlist_id == entry.playlist_id, ENTRY.c.position >= index, ENTRY.c.position < old)
            .values(position=ENTRY.c.position + 1)
        )
    session.execute(sa.update(ENTRY).where(ENTRY.c.id == entry_id).values(position=index))


def move_entries(session: Session, entry_ids: Sequence[int], playlist_id: int, index: int | None) -> set[int]:
    """Entries (from any playlists, in the order given) into `playlist_id` at `index` (an
    index among the entries that stay there); the playlists they left, for the event."""
    found = dict(
        session.execute(sa.select(ENTRY.c.id, ENTRY.c.playlist_id).where(ENTRY.c.id.in_(list(entry_ids)))).all()
    )
    moving = [entry_id for entry_id in dict.fromkeys(entry_ids) if entry_id in found]
    if not moving:
        return set()
    parked = -len(moving) - 1  # below every real position while the others close up
    for offset, entry_id in enumerate(moving):
        session.execute(
            sa.update(ENTRY).where(ENTRY.c.id == entry_id).values(playlist_id=playlist_id, position=parked + offset)
        )
    left = set(found.values())
    for source in left | {playlist_id}:
        renumber(session, source)
    # renumbering put the parked rows first in the target, at 0…k-1: the others follow
    staying = entry_count(session, playlist_id) - len(moving)
    index = staying if index is None else max(0, min(index, staying))
    k = len(moving)
    session.execute(
        sa.update(ENTRY)
        .where(ENTRY.c.playlist_id == playlist_id, ENTRY.c.position >= k, ENTRY.c.position < k + index)
        .values(position=ENTRY.c.position - k)
    )
    for offset, entry_id in enumerate(moving):
        session.execute(sa.update(ENTRY).where(ENTRY.c.id == entry_id).values(position=index + offset))
    return left - {playlist_id}


def delete_entries(session: Session, entry_ids: Sequence[int]) -> tuple[int, set[int]]:
    """How many were removed, and from which playlists."""
    playlists = set(
        session.execute(sa.select(ENTRY.c.playlist_id).where(ENTRY.c.id.in_(list(entry_ids))).distinct()).scalars()
    )
    removed = session.execute(sa.delete(ENTRY).where(ENTRY.c.id.in_(list(entry_ids)))).rowcount  # type: ignore[attr-defined]
    for playlist_id in playlists:
        renumber(session, playlist_id)
    return int(removed), playlists


def static_node(session: Session, node_id: int) -> bool:
    return session.execute(sa.select(NODE.c.kind).where(NODE.c.id == node_id)).scalar_one_or_none() == STATIC

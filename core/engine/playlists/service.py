"""Playlists: static playlists, folders and dynamic folders backed by a provider's browsing.

A static playlist holds entries (items from any provider, each with the provider's own
reference, core.providers.serial) and other playlists, so playlists nest as folders do. A
dynamic folder names a folder at a provider under an account; its children are listed by
the provider's FolderBrowser when asked, page by page, and never stored. A sub-path that
would leave the folder's root is refused (core.engine.playlists.paths).

Every change publishes `StateChanged`: "playlists" (the tree: ids of the nodes touched),
"playlist_entries" (the entry lists of those playlists changed) or "playlist_entry" (those
entries changed in place: a title, a resume position), so an open window follows changes
made by the command line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from core.engine.feature import FeatureService
from core.engine.playlists import paths
from core.engine.playlists import rows as db_rows
from core.engine.playlists.views import (
    DynamicChild,
    DynamicPage,
    EntryItem,
    EntryView,
    NotStatic,
    OutsideFolder,
    ParsedLink,
    PlaylistNodeView,
    PlaylistNotFound,
    PlayRef,
)
from core.errors import ConfigError, LinkError
from core.events import StateChanged

if TYPE_CHECKING:
    from core.providers.protocols import FolderBrowser, FolderEntry, ItemParser, MediaItem, Provider
    from core.store.playlist_tables import PlaylistNode

MAX_NAME = 200
MAX_PER_PAGE = 500
# pages of a parent read to find one child (an id root's sub-path, a file named by path)
MAX_LOOKUP_PAGES = 50
LOOKUP_PER_PAGE = 200

FINISHED_WITHIN_S = 10.0  # stopped this close to the end: watched, the next play starts at 0
ITEM_LINK_HELP = "Links to one video or file: any link the installed providers play ({providers})."


class PlaylistBook(FeatureService):
    """Built with every engine, so it must be cheap: heavy imports and work start on first use."""

    def __init__(self, *parts: Any) -> None:
        super().__init__(*parts)
        # id roots: (folder, parent sub-path) → child ids listed as folders there
        self._known_folders: dict[tuple[int, str], set[str]] = {}
        self._folder_titles: dict[tuple[int, str], str] = {}  # (folder, child id) → its title, for breadcrumbs
        self._provider_names: dict[str, str] = {}

    async def close(self) -> None:
        self._known_folders.clear()
        self._folder_titles.clear()

    # ------------------------------------------------------------ events

    def _changed(self, what: str, ids: Sequence[int]) -> None:
        self.bus.publish(StateChanged(what, tuple(sorted({i for i in ids if i is not None}))))

    # ------------------------------------------------------------ nodes

    def _provider_name(self, name: str) -> str:
        shown = self._provider_names.get(name)
        if shown is None:
            try:
                shown = self.registry.for_stored(name).display_name if name else ""
            except ConfigError:
                shown = name
            self._provider_names[name] = shown
        return shown

    def _node_view(self, node: PlaylistNode, entries: int, children: int) -> PlaylistNodeView:
        return PlaylistNodeView(
            id=node.id or 0, parent_id=node.parent_id, position=node.position, name=node.name,
            kind="dynamic" if node.kind == "dynamic" else "static", entry_count=entries, child_count=children,
            provider=node.provider, provider_name=self._provider_name(node.provider), account_id=node.account_id,
            root=node.root,
        )  # fmt: skip

    async def _node(self, node_id: int) -> PlaylistNode:
        node = await self.db.run(db_rows.get_node, node_id)
        if node is None:
            raise PlaylistNotFound(f"there is no playlist or folder {node_id} (`syncdeck playlist list` shows them)")
        return node

    async def _static(self, node_id: int) -> PlaylistNode:
        node = await self._node(node_id)
        if node.kind != "static":
            raise NotStatic(
                f"“{node.name}” is a dynamic folder: its children come from {self._provider_name(node.provider)}; "
                "add to a static playlist instead"
            )
        return node

    @staticmethod
    def _clean_name(name: str) -> str:
        clean = " ".join(name.split())
        if not clean:
            raise ConfigError("a playlist needs a name")
        return clean[:MAX_NAME]

    async def tree(self) -> list[PlaylistNodeView]:
        """Every playlist and folder, each parent's children in their order."""
        rows = await self.db.run(db_rows.all_nodes)
        return [self._node_view(node, entries, children) for node, entries, children in rows]

    async def node(self, node_id: int) -> PlaylistNodeView:
        node = await self._node(node_id)
        entries, children = await self.db.run(db_rows.node_counts, node_id)
        return self._node_view(node, entries, children)

    async def create(self, name: str, parent: int | None = None) -> int:
        """A new static playlist (at the top, or inside the static playlist `parent`); its id."""
        from core.store.playlist_tables import PlaylistNode

        clean = self._clean_name(name)
        if parent is not None:
            await self._static(parent)
        node = await self.db.run(db_rows.add_node, PlaylistNode(name=clean, parent_id=parent))
        self._changed("playlists", [node.id or 0, *([parent] if parent else [])])
        return node.id or 0

    async def add_dynamic(
        self, parent: int | None, path: str, *, provider: str | None = None, account_id: int | None = None,
        name: str | None = None,
    ) -> int:  # fmt: skip
        """A dynamic folder for `path` (a folder's key at the provider) under `parent`; its id.

        The provider is the account's, or `provider` for an anonymous one; it must be able to
        browse. The folder is listed once now, so a wrong path is refused here, not later.
        """
        from core.providers.protocols import FolderBrowser
        from core.store.playlist_tables import DYNAMIC, PlaylistNode

        if parent is not None:
            await self._static(parent)
        provider_name = await self._account_provider(account_id, provider)
        browser = self.registry.for_stored(provider_name)
        if not isinstance(browser, FolderBrowser):
            raise ConfigError(f"{browser.display_name} cannot list folders, so it cannot back a dynamic folder")
        root = path.strip() or "/"
        if paths.path_style(root):
            root = paths.full_path("/", paths.clean_sub_path("/", root))
        session = await self.logins.session(browser, account_id)
        await browser.browse(session, root, 1, 1)  # a wrong path or login fails now
        title = self._clean_name(name or paths.child_name(root) or browser.display_name)
        node = PlaylistNode(
            name=title, parent_id=parent, kind=DYNAMIC, provider=provider_name, account_id=account_id, root=root
        )
        node = await self.db.run(db_rows.add_node, node)
        self._changed("playlists", [node.id or 0, *([parent] if parent else [])])
        return node.id or 0

    async def _account_provider(self, account_id: int | None, provider: str | None) -> str:
        if account_id is None:
            if not provider:
                raise ConfigError("a dynamic folder needs an account or a provider")
            self.registry.for_stored(provider)
            return provider
        from core.store import repo

        account = await self.db.run(repo.get_account, account_id)
        if account is None:
            raise PlaylistNotFound(f"there is no account {account_id} (`syncdeck account list` shows them)")
        if provider and provider != account.provider:
            raise ConfigError(f"account {account_id} is a {account.provider} account, not {provider}")
        return account.provider

    async def rename(self, node_id: int, name: str) -> None:
        node = await self._node(node_id)
        await self.db.run(db_rows.rename_node, node_id, self._clean_name(name))
        self._changed("playlists", [node_id, *([node.parent_id] if node.parent_id else [])])

    async def move(self, node_id: int, parent: int | None, index: int | None = None) -> None:
        """Put a playlist or folder under another static playlist (or at the top) at `index`
        (the end when None); a node cannot go into itself or anything inside it."""
        node = await self._node(node_id)
        if parent is not None:
            target = await self._static(parent)
            if node_id in await self.db.run(db_rows.ancestors, target.id):
                raise ConfigError(f"“{node.name}” cannot go inside itself or inside one of its own playlists")
        await self.db.run(db_rows.move_node, node_id, parent, index)
        self._changed("playlists", [node_id, *[p for p in (node.parent_id, parent) if p]])

    async def remove(self, node_id: int) -> None:
        """A playlist or folder with everything inside it (a dynamic folder's server is untouched)."""
        node = await self._node(node_id)
        await self.db.run(db_rows.delete_node, node_id)
        self._known_folders = {k: v for k, v in self._known_folders.items() if k[0] != node_id}
        self._folder_titles = {k: v for k, v in self._folder_titles.items() if k[0] != node_id}
        self._changed("playlists", [node_id, *([node.parent_id] if node.parent_id else [])])

    # ------------------------------------------------------------ adding

    def _item_parsers(self) -> list[Any]:
        from core.providers.protocols import ItemParser

        return self.registry.capable(ItemParser)

    def accepted_links(self) -> str:
        """The forms `add_link` accepts, for a message when nothing claims a text."""
        parsers = self._item_parsers()
        helps = [getattr(p, "item_help", "") or f"{p.display_name} links" for p in parsers]
        names = ", ".join(p.display_name for p in parsers) or "none installed"
        lines = [ITEM_LINK_HELP.format(providers=names), *(f"  {h}" for h in helps if h)]
        lines.append("A file or folder on a media server: ACCOUNT:PATH (e.g. nas:/movies/film.mkv).")
        return "\n".join(lines)

    def link_provider(self, text: str) -> str | None:
        """The provider that claims `text` as a link to one item (offline), or None."""
        for parser in self._item_parsers():
            if parser.claims_item(text.strip()):
                return str(parser.name)
        return None

    async def _default_account(self, provider: str) -> int | None:
        from core.store import repo

        accounts = [a for a in await self.db.run(repo.list_accounts) if a.provider == provider]
        usable = [a for a in accounts if a.state == "ok"] or accounts
        return usable[0].id if usable else None

    async def preview_link(self, text: str) -> ParsedLink:
        """What a pasted link is (asking its provider), before anything is added."""
        text = text.strip()
        parser: ItemParser | None = next((p for p in self._item_parsers() if p.claims_item(text)), None)
        if parser is None:
            shown = text if len(text) <= 200 else text[:200] + "…"
            lead = f"No provider can play {shown!r}." if text else "Nothing was given to add."
            raise LinkError(f"{lead}\n\n{self.accepted_links()}")
        provider: Provider = parser  # type: ignore[assignment]
        account_id = await self._default_account(provider.name)
        session = await self.logins.session(provider, account_id)
        item = await parser.parse_item(session, text)
        return self._parsed(provider, account_id, item)

    def _parsed(self, provider: Provider, account_id: int | None, item: MediaItem) -> ParsedLink:
        from core.providers.serial import item_to_dict

        return ParsedLink(
            provider=provider.name, provider_name=provider.display_name, account_id=account_id, title=item.title,
            duration=item.duration or sum(p.duration for p in item.parts), cover=item.cover, url=item.url,
            part_titles=tuple(p.title for p in item.parts), item_json=item_to_dict(item),
        )  # fmt: skip

    async def add_link(self, playlist_id: int, text: str, index: int | None = None) -> EntryView:
        """Parse `text` with the provider that claims it and add the item as one entry (a
        multi-part item stays one entry; the part is chosen when it is played)."""
        await self._static(playlist_id)
        parsed = await self.preview_link(text)
        return await self.add_item(playlist_id, parsed.provider, parsed.account_id, parsed.item_json, index=index)

    async def add_item(
        self, playlist_id: int, provider: str, account_id: int | None, item_json: Mapping[str, Any],
        part_key: str | None = None, *, index: int | None = None,
    ) -> EntryView:  # fmt: skip
        """An item a provider made (a parsed link, a browsed file, a dynamic folder's child)."""
        [view] = await self.add_items(playlist_id, [(provider, account_id, item_json, part_key)], index=index)
        return view

    async def add_items(
        self, playlist_id: int, items: Sequence[tuple[str, int | None, Mapping[str, Any], str | None]],
        *, index: int | None = None,
    ) -> list[EntryView]:  # fmt: skip
        from core.providers.serial import item_from_dict

        await self._static(playlist_id)
        rows = []
        for provider, account_id, item_json, part_key in items:
            self.registry.for_stored(provider)
            try:
                item = item_from_dict(dict(item_json))
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(f"not an item of {provider}: {exc}") from None
            if part_key is not None and item.parts and part_key not in {p.key for p in item.parts}:
                raise ConfigError(f"“{item.title}” has no part {part_key!r}")
            duration = item.duration or sum(p.duration for p in item.parts)
            if part_key is not None:
                duration = next((p.duration for p in item.parts if p.key == part_key), duration)
            rows.append(dict(
                title=item.title, duration=duration, cover=item.cover, url=item.url, provider=provider,
                account_id=account_id, item_json=json.dumps(dict(item_json), ensure_ascii=False), part_key=part_key,
                resume=0.0,
            ))  # fmt: skip
        ids = await self.db.run(db_rows.add_entries, playlist_id, rows, index)
        self._changed("playlist_entries", [playlist_id])
        return await self.entries_by_ids(ids)

    async def add_ref(
        self, playlist_id: int, ref: str, *, dynamic: bool = False, servers: Any = None
    ) -> EntryView | int:
        """`ACCOUNT:PATH` as an entry (a file) or, with `dynamic`, as a dynamic folder inside the
        playlist (its id). `servers` (the engine's media-server accounts, when installed) reads
        the reference with its `resolve_ref`; without it ACCOUNT may be an account id or the
        name of a provider that lists folders without a login."""
        await self._static(playlist_id)
        provider, account_id, path, item = await self._resolve_ref(ref, servers)
        if dynamic:
            return await self.add_dynamic(playlist_id, path, provider=provider, account_id=account_id)
        if item is None:
            item = await self._item_at(provider, account_id, path)
        from core.providers.serial import item_to_dict

        return await self.add_item(playlist_id, provider, account_id, item_to_dict(item))

    async def _resolve_ref(self, ref: str, servers: Any) -> tuple[str, int | None, str, MediaItem | None]:
        import inspect

        account, sep, path = ref.partition(":")
        if not sep or not account or not path:
            raise LinkError(f"{ref!r} is not ACCOUNT:PATH (e.g. nas:/movies)\n\n{self.accepted_links()}")
        from core.providers.protocols import FolderBrowser

        names = {p.name for p in self.registry.capable(FolderBrowser)}
        resolve = getattr(servers, "resolve_ref", None)
        if resolve is not None and account not in names:  # `local:/Videos` needs no account
            resolved = resolve(ref)
            if inspect.isawaitable(resolved):
                resolved = await resolved

            def field(name: str, default: Any = None) -> Any:
                if isinstance(resolved, Mapping):
                    return resolved.get(name, default)
                return getattr(resolved, name, default)

            key = field("path") or field("key") or path
            return str(field("provider", "")), field("account_id"), str(key), field("item")
        from core.store import repo

        if account.isdigit():
            row = await self.db.run(repo.get_account, int(account))
            if row is not None and isinstance(self.registry.for_stored(row.provider), FolderBrowser):
                return row.provider, row.id, path, None
        if account in names:
            return account, None, path, None
        raise LinkError(
            f"cannot read {ref!r}: this SyncDeck has no media-server accounts (Alist, Emby…) to look up "
            f"{account!r}; give an account id or one of the providers that list folders "
            f"({', '.join(sorted(names)) or 'none installed'})"
        )

    async def _item_at(self, provider_name: str, account_id: int | None, path: str) -> MediaItem:
        """The playable item at a path, found in its folder's listing."""
        from core.providers.protocols import FolderBrowser

        browser = self.registry.for_stored(provider_name)
        if not isinstance(browser, FolderBrowser):
            raise ConfigError(f"{browser.display_name} cannot list folders")
        session = await self.logins.session(browser, account_id)
        parent, _, _name = path.rstrip("/").rpartition("/")
        found = await self._find_child(browser, session, parent or "/", path.rstrip("/"))
        if found is None or found.is_folder or found.item is None:
            what = "a folder (add it with --dynamic)" if found is not None and found.is_folder else "not there"
            raise LinkError(f"{path} is {what}")
        return found.item

    async def _find_child(self, browser: FolderBrowser, session: Any, folder: str, key: str) -> FolderEntry | None:
        for page in range(1, MAX_LOOKUP_PAGES + 1):
            listing = await browser.browse(session, folder, page, LOOKUP_PER_PAGE)
            for entry in listing.entries:
                if entry.key == key or entry.key.rstrip("/") == key:
                    return entry
            if page * LOOKUP_PER_PAGE >= listing.total or not listing.entries:
                return None
        return None

    # ------------------------------------------------------------ entries

    def _entry_view(self, row: Any) -> EntryView:
        return EntryView(
            id=row.id, playlist_id=row.playlist_id, position=row.position, title=row.title, duration=row.duration,
            cover=row.cover, url=row.url, provider=row.provider, provider_name=self._provider_name(row.provider),
            account_id=row.account_id, part_key=row.part_key, resume=float(row.resume or 0.0), added_at=row.added_at,
        )  # fmt: skip

    async def entries(self, playlist_id: int, after_position: int | None = None, limit: int = 200) -> list[EntryView]:
        """A page of a playlist's entries in order: those after `after_position` (keyset paging)."""
        limit = max(1, min(limit, 10_000))

        def page(session: Any) -> list[EntryView] | None:
            # the views are made on the database thread: 2,000 of them cost the loop ~20 ms
            if db_rows.get_node(session, playlist_id) is None:
                return None
            return [self._entry_view(r) for r in db_rows.list_entries(session, playlist_id, after_position, limit)]

        views = await self.db.run(page)
        if views is None:
            await self._node(playlist_id)  # raises PlaylistNotFound
        return views or []

    async def count_entries(self, playlist_id: int) -> int:
        return await self.db.run(db_rows.entry_count, playlist_id)

    async def entries_by_ids(self, entry_ids: Sequence[int]) -> list[EntryView]:
        def views(session: Any) -> list[EntryView]:
            return [self._entry_view(r) for r in db_rows.entries_by_ids(session, list(entry_ids))]

        order = {entry_id: n for n, entry_id in enumerate(entry_ids)}
        return sorted(await self.db.run(views), key=lambda v: order.get(v.id, 0))

    async def entry(self, entry_id: int) -> EntryView:
        found = await self.entries_by_ids([entry_id])
        if not found:
            raise PlaylistNotFound(f"there is no playlist entry {entry_id}")
        return found[0]

    async def _entry_row(self, entry_id: int) -> Any:
        row = await self.db.run(db_rows.get_entry, entry_id)
        if row is None:
            raise PlaylistNotFound(f"there is no playlist entry {entry_id} (`syncdeck playlist show ID` lists them)")
        return row

    async def rename_entry(self, entry_id: int, title: str) -> None:
        await self._entry_row(entry_id)
        await self.db.run(db_rows.update_entry, entry_id, title=self._clean_name(title))
        self._changed("playlist_entry", [entry_id])

    async def reorder(self, entry_id: int, index: int) -> None:
        """Move an entry to `index` in its playlist (clamped to the ends)."""
        row = await self._entry_row(entry_id)
        await self.db.run(db_rows.move_entry, entry_id, index)
        self._changed("playlist_entries", [row.playlist_id])

    async def move_entries(self, entry_ids: Sequence[int], playlist_id: int, index: int | None = None) -> None:
        """Entries (in the order given) into another playlist, or to `index` in their own."""
        await self._static(playlist_id)
        for entry_id in entry_ids:
            await self._entry_row(entry_id)
        left = await self.db.run(db_rows.move_entries, list(entry_ids), playlist_id, index)
        self._changed("playlist_entries", [playlist_id, *left])

    async def remove_entries(self, entry_ids: Sequence[int]) -> int:
        removed, touched = await self.db.run(db_rows.delete_entries, list(entry_ids))
        self._changed("playlist_entries", list(touched))
        return removed

    async def set_resume(self, entry_id: int, seconds: float) -> None:
        """Where playback of the entry stopped (0: from the start next time)."""
        await self._entry_row(entry_id)
        await self.db.run(db_rows.update_entry, entry_id, resume=max(0.0, float(seconds)))
        self._changed("playlist_entry", [entry_id])

    async def set_part(self, entry_id: int, part_key: str | None) -> None:
        await self._entry_row(entry_id)
        await self.db.run(db_rows.update_entry, entry_id, part_key=part_key)
        self._changed("playlist_entry", [entry_id])

    async def entry_item(self, entry_id: int) -> EntryItem:
        """What `syncdeck play ENTRY_ID` resolves: (provider, account_id, item_json, part_key, resume)."""
        row = await self._entry_row(entry_id)
        return EntryItem(row.provider, row.account_id, json.loads(row.item_json), row.part_key, float(row.resume))

    async def ref_item(self, ref: PlayRef) -> EntryItem:
        """What a queue's PlayRef plays: a stored entry's item (read now, so a resume position
        saved since counts), or a dynamic folder's child as it was listed."""
        if ref.entry_id is not None:
            return await self.entry_item(ref.entry_id)
        if ref.item_json is None:
            raise ConfigError(f"“{ref.title}” names nothing to play")
        return EntryItem(ref.provider, ref.account_id, dict(ref.item_json), ref.part_key, ref.resume)

    async def record_position(self, entry_id: int, position: float, duration: float = 0.0) -> None:
        """Where the player stopped an entry; played to (nearly) its end, it starts over next time."""
        finished = duration > 0 and position >= duration - FINISHED_WITHIN_S
        await self.set_resume(entry_id, 0.0 if finished else position)

    async def play_refs(self, playlist_id: int) -> list[PlayRef]:
        """Every entry of a playlist, in order, as a play queue takes them."""
        await self._node(playlist_id)
        rows = await self.db.run(db_rows.play_rows, playlist_id)
        return [
            PlayRef(title=r.title, provider=r.provider, account_id=r.account_id, duration=r.duration, entry_id=r.id,
                    part_key=r.part_key, resume=float(r.resume or 0.0))
            for r in rows
        ]  # fmt: skip

    # ------------------------------------------------------------ dynamic folders

    async def dynamic_children(
        self, folder_id: int, sub_path: str = "", page: int = 1, per_page: int = 100
    ) -> DynamicPage:
        """A page of what the provider lists in the dynamic folder (or in a folder below it,
        `sub_path` relative to its root). Nothing of it is stored."""
        from core.providers.protocols import FolderBrowser
        from core.providers.serial import item_to_dict

        node = await self._node(folder_id)
        if node.kind != "dynamic":
            raise ConfigError(f"“{node.name}” is a static playlist; its entries are listed with entries()")
        browser = self.registry.for_stored(node.provider)
        if not isinstance(browser, FolderBrowser):
            raise ConfigError(f"{browser.display_name} can no longer list folders")
        page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
        session = await self.logins.session(browser, node.account_id)
        if paths.path_style(node.root):
            clean = paths.clean_sub_path(node.root, sub_path)
            key = paths.full_path(node.root, clean)
            crumbs = clean.split("/") if clean else []
            breadcrumbs = [(node.name, "")] + [(name, "/".join(crumbs[: n + 1])) for n, name in enumerate(crumbs)]
        else:
            chain = paths.id_chain(sub_path)
            await self._check_chain(node, browser, session, chain)
            clean = paths.chain_sub_path(chain)
            key = chain[-1] if chain else node.root
            breadcrumbs = [(node.name, "")] + [
                (self._folder_titles.get((folder_id, step), step), paths.chain_sub_path(chain[: n + 1]))
                for n, step in enumerate(chain)
            ]
        listing = await browser.browse(session, key, page, per_page)
        children = []
        folders: set[str] = set()
        for entry in listing.entries:
            if paths.path_style(node.root):
                child_sub = "/".join(p for p in (clean, paths.child_name(entry.key)) if p)
            else:
                child_sub = paths.chain_sub_path([*paths.id_chain(clean), entry.key])
            if entry.is_folder:
                folders.add(entry.key)
                if not paths.path_style(node.root):
                    self._folder_titles[(folder_id, entry.key)] = entry.title
            item = entry.item
            children.append(DynamicChild(
                folder_id=folder_id, sub_path=child_sub, key=entry.key, title=entry.title, is_folder=entry.is_folder,
                size=entry.size, duration=(item.duration or sum(p.duration for p in item.parts)) if item else 0,
                cover=item.cover if item else "", provider=node.provider, account_id=node.account_id,
                item_json=item_to_dict(item) if item is not None else None, provider_name=browser.display_name,
            ))  # fmt: skip
        if not paths.path_style(node.root):
            self._known_folders.setdefault((folder_id, clean), set()).update(folders)
        return DynamicPage(
            folder_id=folder_id, sub_path=clean, children=tuple(children), total=listing.total, page=page,
            per_page=per_page, breadcrumbs=tuple(breadcrumbs),
        )  # fmt: skip

    async def _check_chain(self, node: PlaylistNode, browser: FolderBrowser, session: Any, chain: list[str]) -> None:
        """Below an id root, each step must be a folder listed under the step before."""
        parent_key, parent_sub = node.root, ""
        for n, step in enumerate(chain):
            known = self._known_folders.get((node.id or 0, parent_sub), set())
            if step not in known:
                found = await self._find_child(browser, session, parent_key, step)
                if found is None or not found.is_folder:
                    raise OutsideFolder(
                        f"{paths.chain_sub_path(chain)!r} is not inside this dynamic folder: "
                        f"{step!r} is not one of its folders"
                    )
                self._known_folders.setdefault((node.id or 0, parent_sub), set()).add(step)
                self._folder_titles[(node.id or 0, step)] = found.title
            parent_key, parent_sub = step, paths.chain_sub_path(chain[: n + 1])

    async def dynamic_play_refs(self, folder_id: int, sub_path: str = "", limit: int = 2000) -> list[PlayRef]:
        """The playable children of a dynamic (sub-)folder, in the provider's order."""
        refs: list[PlayRef] = []
        page = 1
        while len(refs) < limit:
            listing = await self.dynamic_children(folder_id, sub_path, page, MAX_PER_PAGE)
            refs.extend(
                PlayRef(title=c.title, provider=c.provider, account_id=c.account_id, duration=c.duration,
                        item_json=c.item_json)
                for c in listing.children
                if not c.is_folder and c.item_json is not None
            )  # fmt: skip
            if not listing.has_more or not listing.children:
                break
            page += 1
        return refs[:limit]

"""PlaylistBook against the real engine, database and the toybox provider over 127.0.0.1."""

from __future__ import annotations

import sqlite3

import pytest

from core.engine.engine import Engine
from core.engine.playlists.views import NotStatic, OutsideFolder, PlaylistNotFound
from core.errors import ConfigError, LinkError
from core.events import Event, StateChanged
from core.providers.serial import item_from_dict

pytestmark = pytest.mark.timeout(60)


def recorder(engine: Engine) -> list[StateChanged]:
    seen: list[StateChanged] = []

    def listen(event: Event) -> None:
        if isinstance(event, StateChanged) and event.what.startswith("playlist"):
            seen.append(event)

    engine.bus.subscribe(listen)
    return seen


async def titles(engine: Engine, playlist_id: int) -> list[str]:
    return [e.title for e in await engine.playlists.entries(playlist_id, limit=1000)]


async def test_nested_playlists_form_a_tree_in_their_order(engine: Engine) -> None:
    book = engine.playlists
    events = recorder(engine)
    films = await book.create("Films")
    anime = await book.create("  Anime  ")
    classics = await book.create("Classics", parent=films)
    tree = await book.tree()
    assert [(n.name, n.parent_id, n.position) for n in tree] == [
        ("Films", None, 0), ("Anime", None, 1), ("Classics", films, 0),
    ]  # fmt: skip
    assert next(n for n in tree if n.id == films).child_count == 1
    assert StateChanged("playlists", (films,)) in events
    assert StateChanged("playlists", (films, classics)) in events, "the new playlist and its parent"
    await book.rename(anime, "Animation")
    assert (await book.node(anime)).name == "Animation"
    with pytest.raises(ConfigError):
        await book.create("   ")
    with pytest.raises(PlaylistNotFound):
        await book.create("x", parent=999)


async def test_a_playlist_cannot_move_into_itself_or_below_itself(engine: Engine) -> None:
    book = engine.playlists
    top = await book.create("Top")
    middle = await book.create("Middle", parent=top)
    low = await book.create("Low", parent=middle)
    for target in (top, middle, low):
        with pytest.raises(ConfigError, match="inside itself"):
            await book.move(top, target)
    other = await book.create("Other")
    await book.move(low, other)
    await book.move(middle, None, index=0)
    tree = {n.name: n for n in await book.tree()}
    assert tree["Low"].parent_id == other
    assert (tree["Middle"].parent_id, tree["Middle"].position) == (None, 0)
    assert [tree["Top"].position, tree["Other"].position] == [1, 2]


async def test_a_link_becomes_one_entry_with_the_providers_reference(engine: Engine) -> None:
    book = engine.playlists
    playlist = await book.create("Watch")
    preview = await book.preview_link("toybox:/Parts/Two parts.mp4")
    assert (preview.provider, preview.title, preview.part_titles) == (
        "toybox", "Two parts.mp4", ("Two parts.mp4 part 1", "Two parts.mp4 part 2"),
    )  # fmt: skip
    entry = await book.add_link(playlist, "toybox:/Parts/Two parts.mp4")
    assert (entry.title, entry.duration, entry.provider, entry.provider_name) == (
        "Two parts.mp4",
        1200,
        "toybox",
        "Toybox",
    )
    provider, account_id, item_json, part_key, resume = await book.entry_item(entry.id)
    item = item_from_dict(item_json)
    assert (provider, account_id, part_key, resume) == ("toybox", None, None, 0.0)
    assert [p.key for p in item.parts] == ["1", "2"], "one entry for the item; the part is chosen at play time"
    await book.set_resume(entry.id, 73.5)
    assert (await book.entry_item(entry.id)).resume == (await book.entry_item(entry.id)).position == 73.5
    assert (await book.entry(entry.id)).resume == 73.5


async def test_an_unknown_link_names_the_accepted_forms(engine: Engine) -> None:
    playlist = await engine.playlists.create("Watch")
    with pytest.raises(LinkError) as caught:
        await engine.playlists.add_link(playlist, "gopher://nowhere")
    assert "toybox:/PATH/FILE" in str(caught.value) and "ACCOUNT:PATH" in str(caught.value)
    with pytest.raises(LinkError, match="object not found"):
        await engine.playlists.add_link(playlist, "toybox:/Movies/nothing.mp4")
    assert await titles(engine, playlist) == []


async def test_reorder_move_and_remove_keep_positions_dense(engine: Engine) -> None:
    book = engine.playlists
    a = await book.create("A")
    b = await book.create("B")
    ids = [(await book.add_link(a, f"toybox:/Movies/Series/Ep {n}.mp4")).id for n in (1, 2, 3)]
    film = (await book.add_link(a, "toybox:/Movies/Film A.mp4")).id
    await book.reorder(film, 0)
    assert await titles(engine, a) == ["Film A.mp4", "Ep 1.mp4", "Ep 2.mp4", "Ep 3.mp4"]
    await book.reorder(film, 99)
    assert await titles(engine, a) == ["Ep 1.mp4", "Ep 2.mp4", "Ep 3.mp4", "Film A.mp4"]
    await book.add_link(b, "toybox:/Movies/Film B.mkv")
    await book.move_entries([ids[2], ids[0]], b, index=0)
    assert await titles(engine, a) == ["Ep 2.mp4", "Film A.mp4"]
    assert await titles(engine, b) == ["Ep 3.mp4", "Ep 1.mp4", "Film B.mkv"]
    assert [e.position for e in await book.entries(b)] == [0, 1, 2]
    assert await book.remove_entries([ids[1], film]) == 2
    assert await titles(engine, a) == []
    await book.remove(b)
    assert [n.name for n in await book.tree()] == ["A"]
    with pytest.raises(PlaylistNotFound):
        await book.entry_item(ids[0])


async def test_keyset_pages_walk_a_long_playlist_exactly_once(engine: Engine) -> None:
    from core.engine.playlists import rows

    book = engine.playlists
    playlist = await book.create("Long")
    await engine.db.run(rows.insert_entries_bulk, playlist, [
        {"title": f"t{n}", "provider": "toybox", "item_json": "{}"} for n in range(2500)
    ])  # fmt: skip
    seen, after = [], None
    while page := await book.entries(playlist, after_position=after, limit=700):
        seen += [e.title for e in page]
        after = page[-1].position
    assert seen == [f"t{n}" for n in range(2500)]
    assert await book.count_entries(playlist) == 2500


async def test_a_dynamic_folder_lists_its_children_on_demand_and_stores_none(engine: Engine) -> None:
    book = engine.playlists
    top = await book.create("Server")
    folder = await book.add_dynamic(top, "/Movies", provider="toybox")
    node = await book.node(folder)
    assert (node.kind, node.name, node.root, node.provider) == ("dynamic", "Movies", "/Movies", "toybox")
    page = await book.dynamic_children(folder)
    assert [(c.title, c.is_folder, c.sub_path) for c in page.children] == [
        ("Film A.mp4", False, "Film A.mp4"), ("Film B.mkv", False, "Film B.mkv"), ("Series", True, "Series"),
    ]  # fmt: skip
    series = await book.dynamic_children(folder, "Series", page=2, per_page=2)
    assert [c.title for c in series.children] == ["Ep 3.mp4"] and series.total == 3 and not series.has_more
    assert series.breadcrumbs == (("Movies", ""), ("Series", "Series"))
    child = series.children[0]
    assert child.item_json is not None
    entry = await book.add_item(top, child.provider, child.account_id, child.item_json)
    assert entry.title == "Ep 3.mp4"
    with sqlite3.connect(engine.config.database_path) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM playlist_entry").fetchone()[0]
    assert stored == 1, "only the entry added by hand is stored; the folder's children never are"
    with pytest.raises(NotStatic):
        await book.add_item(folder, child.provider, None, child.item_json)


@pytest.mark.parametrize(
    "sub_path",
    ["..", "../Secret", "Series/../../Secret", "/Secret", "/Secret/secret.mp4", "%2e%2e/Secret", "%252e%252e",
     "Series%2f..%2f..%2fSecret", "..\\Secret", "\uff0e\uff0e/Secret", "\u2024\u2024", "Series/\x00"],
)  # fmt: skip
async def test_a_sub_path_that_leaves_the_dynamic_folder_is_refused(engine: Engine, sub_path: str) -> None:
    folder = await engine.playlists.add_dynamic(None, "/Movies", provider="toybox")
    with pytest.raises(OutsideFolder, match="not inside this dynamic folder"):
        await engine.playlists.dynamic_children(folder, sub_path)


async def test_paths_inside_the_folder_are_accepted_in_any_spelling(engine: Engine) -> None:
    folder = await engine.playlists.add_dynamic(None, "/Movies", provider="toybox")
    for spelling in ("Series", "/Movies/Series", "./Series/", "Series/../Series", "Series//"):
        page = await engine.playlists.dynamic_children(folder, spelling)
        assert (page.sub_path, page.total) == ("Series", 3), spelling


async def test_an_id_rooted_folder_opens_only_folders_it_listed(engine: Engine) -> None:
    book = engine.playlists
    folder = await book.add_dynamic(None, "lib", provider="toybox", name="Library")
    root = await book.dynamic_children(folder)
    show = next(c for c in root.children if c.is_folder)
    season_page = await book.dynamic_children(folder, show.sub_path)
    season = season_page.children[0]
    episodes = await book.dynamic_children(folder, season.sub_path)
    assert [c.title for c in episodes.children] == ["Episode 1", "Episode 2"]
    assert [name for name, _ in episodes.breadcrumbs] == ["Library", "Show One", "Season 1"], "titles, not ids"
    # a fresh engine knows nothing yet: the chain is checked against the provider's listings
    book._known_folders.clear()
    assert (await book.dynamic_children(folder, "show-1/season-1")).total == 2
    for outside in ("hidden-1", "elsewhere", "show-1/hidden-1", "season-1"):
        with pytest.raises(OutsideFolder):
            await book.dynamic_children(folder, outside)


async def test_a_dynamic_folder_at_a_wrong_path_is_refused_when_added(engine: Engine) -> None:
    with pytest.raises(LinkError, match="object not found"):
        await engine.playlists.add_dynamic(None, "/Nope", provider="toybox")
    assert await engine.playlists.tree() == []


async def test_an_empty_folder_lists_nothing(engine: Engine) -> None:
    folder = await engine.playlists.add_dynamic(None, "/Empty", provider="toybox")
    page = await engine.playlists.dynamic_children(folder)
    assert (page.children, page.total, page.has_more) == ((), 0, False)


async def test_account_path_references_without_media_server_accounts(engine: Engine) -> None:
    book = engine.playlists
    playlist = await book.create("Mixed")
    entry = await book.add_ref(playlist, "toybox:/Movies/Film B.mkv")
    assert not isinstance(entry, int) and entry.title == "Film B.mkv"
    folder = await book.add_ref(playlist, "toybox:/Movies/Series", dynamic=True)
    assert isinstance(folder, int) and (await book.node(folder)).parent_id == playlist
    with pytest.raises(LinkError, match="no media-server accounts"):
        await book.add_ref(playlist, "nas:/movies")
    with pytest.raises(LinkError, match="a folder"):
        await book.add_ref(playlist, "toybox:/Movies/Series")


async def test_account_path_references_go_through_the_media_server_accounts(engine: Engine) -> None:
    class Ref:
        provider, account_id, path = "toybox", None, "/Movies/Series"

    class Servers:
        asked: list[str] = []

        async def resolve_ref(self, ref: str) -> Ref:
            self.asked.append(ref)
            return Ref()

    servers = Servers()
    playlist = await engine.playlists.create("Mixed")
    folder = await engine.playlists.add_ref(playlist, "nas:/tv", dynamic=True, servers=servers)
    assert servers.asked == ["nas:/tv"] and (await engine.playlists.node(folder)).root == "/Movies/Series"


async def test_changes_are_announced_for_an_open_window(engine: Engine) -> None:
    book = engine.playlists
    events = recorder(engine)
    playlist = await book.create("P")
    entry = await book.add_link(playlist, "toybox:/Movies/Film A.mp4")
    await book.set_resume(entry.id, 10)
    await book.remove_entries([entry.id])
    assert [e.what for e in events] == ["playlists", "playlist_entries", "playlist_entry", "playlist_entries"]
    assert events[1].ids == (playlist,) and events[2].ids == (entry.id,)


async def test_the_play_queue_of_a_dynamic_folder_holds_its_playable_children(engine: Engine) -> None:
    folder = await engine.playlists.add_dynamic(None, "/Movies", provider="toybox")
    refs = await engine.playlists.dynamic_play_refs(folder)
    assert [r.title for r in refs] == ["Film A.mp4", "Film B.mkv"]
    assert all(r.entry_id is None and r.item_json for r in refs)


async def test_a_play_ref_gives_back_what_to_resolve_and_positions_are_remembered(engine: Engine) -> None:
    book = engine.playlists
    playlist = await book.create("P")
    entry = await book.add_link(playlist, "toybox:/Movies/Film A.mp4")
    [ref] = await book.play_refs(playlist)
    await book.record_position(entry.id, 1234.5, duration=5400)
    provider, account_id, item_json, part_key, resume = await book.ref_item(ref)
    assert (provider, account_id, part_key, resume) == ("toybox", None, None, 1234.5), "read now, not when queued"
    assert item_from_dict(item_json).title == "Film A.mp4"
    await book.record_position(entry.id, 5395, duration=5400)
    assert (await book.entry(entry.id)).resume == 0.0, "played to the end: next time from the start"
    folder = await book.add_dynamic(None, "/Movies", provider="toybox")
    child = (await book.dynamic_play_refs(folder))[1]
    assert (await book.ref_item(child)).item_json["title"] == "Film B.mkv"

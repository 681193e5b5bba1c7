"""`syncdeck playlist …` in-process: output, JSON and exit codes for good and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.cli.main import main
from core.providers import registry
from tests.playlists.toybox import ENTRY, TOYBOX_URL_ENV, ToyboxServer

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def toybox_installed(toybox_server: ToyboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(TOYBOX_URL_ENV, toybox_server.base_url)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    registry.PROVIDERS.append(ENTRY)
    try:
        yield
    finally:
        registry.PROVIDERS.remove(ENTRY)


class Cli:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(self.root / "data"), "--config", str(self.root / "c.toml"), "playlist", *args])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def json(self, *args: str) -> object:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(toybox_installed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def test_create_prints_the_new_id_and_list_shows_the_tree(cli: Cli) -> None:
    code, out, _ = cli("create", "Films")
    assert code == 0 and out.strip().isdigit()
    films = int(out)
    sub = cli.json("create", "Classics", "--parent", str(films))
    assert (sub["name"], sub["parent_id"]) == ("Classics", films)
    code, out, _ = cli("list")
    assert out.splitlines() == [f"#{films:<5} Films  (0 entries)", f"  #{sub['id']:<5} Classics  (0 entries)"]


def test_add_show_rename_move_and_remove_entries(cli: Cli) -> None:
    a = int(cli("create", "A")[1])
    b = int(cli("create", "B")[1])
    first = cli.json("add", str(a), "toybox:/Movies/Film A.mp4")
    assert (first["title"], first["provider"], first["duration"]) == ("Film A.mp4", "toybox", 5400)
    code, out, _ = cli("add", str(a), "toybox:/Movies/Series/Ep 1.mp4")
    assert code == 0 and "Ep 1.mp4 (Toybox, 25:00) in playlist" in out
    shown = cli.json("show", str(a))
    assert [e["title"] for e in shown["entries"]] == ["Film A.mp4", "Ep 1.mp4"]
    assert cli("rename", str(first["id"]), "Film A (director's cut)", "--entry")[0] == 0
    assert cli("move", str(first["id"]), "--entry", "--to", str(b))[0] == 0
    assert [e["title"] for e in cli.json("show", str(b))["entries"]] == ["Film A (director's cut)"]
    code, out, _ = cli("show", str(a))
    assert "Ep 1.mp4" in out and "Film A" not in out
    assert cli.json("remove", str(first["id"]), "--entry") == {"removed": 1}
    assert cli.json("show", str(b))["entries"] == []


def test_a_dynamic_folder_is_added_and_browsed_from_the_command_line(cli: Cli) -> None:
    top = int(cli("create", "Server")[1])
    folder = cli.json("add", str(top), "toybox:/Movies", "--dynamic")
    assert (folder["kind"], folder["root"], folder["parent_id"]) == ("dynamic", "/Movies", top)
    listing = cli.json("show", str(folder["id"]), "--path", "Series", "--limit", "2")
    assert [c["title"] for c in listing["children"]] == ["Ep 1.mp4", "Ep 2.mp4"] and listing["has_more"]
    code, out, _ = cli("show", str(folder["id"]))
    assert "Series/" in out and "Film B.mkv" in out
    code, _, err = cli("show", str(folder["id"]), "--path", "../Secret")
    assert code == 2 and "not inside this dynamic folder" in err and "Traceback" not in err


def test_bad_input_exits_2_with_the_reason(cli: Cli) -> None:
    playlist = int(cli("create", "P")[1])
    code, _, err = cli("add", str(playlist), "gopher://nowhere")
    assert code == 2 and "No provider can play" in err and "toybox:/PATH/FILE" in err and "ACCOUNT:PATH" in err
    code, _, err = cli("add", "999", "toybox:/Movies/Film A.mp4")
    assert code == 2 and "no playlist or folder 999" in err
    code, _, err = cli("add", str(playlist), "nas:/movies", "--dynamic")
    assert code == 2 and "'nas:/movies' is not ACCOUNT:PATH of a server account" in err
    code, _, err = cli("show", "12345")
    assert code == 2 and "12345" in err
    code, _, err = cli("remove", "777", "--entry")
    assert code == 2 and "did not exist" in err
    code, _, err = cli("move", str(playlist), "--to", "somewhere")
    assert code == 2 and "'top'" in err
    code, _, err = cli("move", str(playlist), "--to", str(playlist))
    assert code == 2 and "inside itself" in err
    for err in (cli("add", str(playlist), "x")[2], cli("show", "0")[2]):
        assert "Traceback" not in err


def test_playlists_nest_and_move_to_the_top(cli: Cli) -> None:
    a = int(cli("create", "A")[1])
    b = int(cli("create", "B", "--parent", str(a))[1])
    moved = cli.json("move", str(b), "--to", "top", "--index", "0")
    assert (moved[0]["parent_id"], moved[0]["position"]) == (None, 0)
    assert cli.json("remove", str(a), str(b)) == {"removed": 2}
    assert cli.json("list") == []


def test_download_puts_an_entry_in_the_library_as_a_task(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCDECK_LIBRARY_ROOT", str(tmp_path / "lib"))
    films = int(cli("create", "Films")[1])
    entry = cli.json("add", str(films), "toybox:/Movies/Film A.mp4")
    done = cli.json("download", str(entry["id"]))
    target = tmp_path / "lib" / "Downloads" / "Toybox" / "Film A.mp4"
    assert (done["state"], done["path"]) == ("done", str(target))
    assert target.read_bytes() == b"toybox media /media/Movies/Film%20A.mp4" * 8
    code = main(["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.toml"), "task", "list", "--json"])
    tasks = json.loads(cli.capsys.readouterr().out)
    assert code == 0
    rows = tasks if isinstance(tasks, list) else tasks["tasks"]
    assert [(t["id"], t["title"], t["state"]) for t in rows] == [(done["task_id"], "Film A.mp4", "done")]
    again = cli.json("download", str(entry["id"]))  # asked again: the same task, the file kept
    assert (again["task_id"], again["state"]) == (done["task_id"], "done")

    local = tmp_path / "clip.mp4"
    local.write_bytes(b"not really a video")
    mine = cli.json("add", str(films), str(local))
    code, _, err = cli("download", str(mine["id"]))
    assert code == 1 and "on this computer already" in err
    code, _, err = cli("download", "9999")
    assert code == 2 and "no playlist entry 9999" in err

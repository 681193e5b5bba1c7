"""A provider added by one registry line is accepted everywhere: the command line adds, lists
and scans its sources, and the window's add dialog previews and adds its links."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.cli.main import main
from core.providers import registry
from tests.providers.toy_provider import TOY_URL_ENV, ToyServer

TOY_ENTRY = "tests.providers.toy_provider:ToyProvider"

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def toy_installed(toy_server: ToyServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The toy provider on the one list of providers, as a new provider would be."""
    monkeypatch.setenv(TOY_URL_ENV, toy_server.base_url)
    registry.PROVIDERS.append(TOY_ENTRY)
    try:
        yield
    finally:
        registry.PROVIDERS.remove(TOY_ENTRY)


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.toml"),
                 "--set", f"library.root={tmp_path / 'lib'}", *args])  # fmt: skip
    return code, capsys.readouterr().out


def test_the_command_line_adds_and_scans_a_source_of_a_new_provider(
    toy_installed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(tmp_path, capsys, "account", "providers")
    assert code == 0 and "toy" in out and "Toy" in out
    code, out = run(tmp_path, capsys, "source", "preview", "toy:shelf", "--json")
    assert code == 0 and json.loads(out)["provider"] == "toy"
    code, out = run(tmp_path, capsys, "source", "add", "toy:shelf")
    assert code == 0 and "toy:shelf" in out
    [source] = json.loads(run(tmp_path, capsys, "source", "list", "--json")[1])
    assert (source["provider"], source["key"]) == ("toy", "toy:shelf")
    assert Path(source["path"]).parent == (tmp_path / "lib" / "Toys").resolve(), "filed under the provider's kind"
    code, out = run(tmp_path, capsys, "sync", "--json")
    assert json.loads(out)["new_items"] == 3
    tasks = json.loads(run(tmp_path, capsys, "task", "list", "--json")[1])
    assert sorted(t["title"] for t in tasks) == ["Toy one", "Toy three", "Toy two"]
    assert {t["provider"] for t in tasks} == {"toy"}


def test_a_link_no_provider_claims_names_every_accepted_form(
    toy_installed: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path / "data"), "source", "add", "gopher://nowhere"])
    err = capsys.readouterr().err
    assert code == 2 and "toy:NAME" in err and "fav:ID" in err and "Traceback" not in err

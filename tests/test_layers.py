"""The direction of the dependencies, checked on the source: what a reviewer would grep for."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BILIBILI = ROOT / "core" / "providers" / "bilibili"
BILIBILI_IDS = {"bvid", "cid", "aid", "ep_id"}


def modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def names(path: Path) -> set[str]:
    """Identifiers in code (not in strings or comments)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return {t.string for t in tokens if t.type == tokenize.NAME}


MIGRATIONS = ROOT / "core" / "store" / "migrations" / "versions"  # they describe the old tables as they were


def outside_bilibili() -> list[Path]:
    return [
        p for p in modules("core", "desktop") if not p.is_relative_to(BILIBILI) and not p.is_relative_to(MIGRATIONS)
    ]


def offenders(paths: list[Path], bad: callable) -> list[str]:  # type: ignore[valid-type]
    return [str(p.relative_to(ROOT)) for p in paths if bad(p)]


def test_only_the_bilibili_folder_knows_bilibili() -> None:
    def knows(path: Path) -> bool:
        return any(m.startswith("core.providers.bilibili") for m in imports(path)) or bool(names(path) & BILIBILI_IDS)

    assert offenders(outside_bilibili(), knows) == []


def test_core_never_imports_qt_or_the_desktop() -> None:
    def qt(path: Path) -> bool:
        return any(m.split(".")[0] in ("PySide6", "qasync", "desktop") for m in imports(path))

    assert offenders(modules("core"), qt) == []


def test_the_desktop_talks_only_to_the_facade() -> None:
    def below(path: Path) -> bool:
        return any(m.startswith(("core.store", "core.providers")) for m in imports(path))

    assert offenders(modules("desktop"), below) == []


@pytest.mark.parametrize("layer", ["core/store", "core/config", "core/library", "core/providers", "core/tasks"])
def test_lower_layers_never_import_the_engine(layer: str) -> None:
    assert offenders(modules(layer), lambda p: any(m.startswith("core.engine") for m in imports(p))) == []

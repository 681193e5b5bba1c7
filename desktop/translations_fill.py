"""Fill a Qt Linguist .ts file with the Chinese texts kept as JSON (English source → Chinese).

Plain JSON per area of the UI is easy to review and merge; the .ts stays the format Qt's
tools and translators know. Plural messages ("%n …") take the same text for every form,
since Chinese has a single plural form. Texts that live in core/ (the settings list's labels
and docs), where lupdate cannot find them, are added to the .ts here under the context
"Setting". Prints the messages that still lack a translation.

    python -m desktop.translations_fill resources/i18n/syncdeck_zh_CN.ts resources/i18n/zh_CN
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def load_texts(folder: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for file in sorted(folder.glob("*.json")):
        texts.update(json.loads(file.read_text(encoding="utf-8")))
    return texts


def core_texts() -> dict[str, list[str]]:
    """Texts the window shows from core/ (no Qt there, so lupdate cannot see them), by context."""
    from core.config.settings import translatable_texts
    from core.library.preview import CAPTIONS

    return {"Setting": [*translatable_texts(), *CAPTIONS]}


def add_messages(root: ET.Element, context_name: str, sources: list[str]) -> None:
    context = next((c for c in root.iter("context") if c.findtext("name") == context_name), None)
    if context is None:
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = context_name
    present = {m.findtext("source") for m in context.iter("message")}
    for source in sources:
        if source not in present:
            message = ET.SubElement(context, "message")
            ET.SubElement(message, "source").text = source
            ET.SubElement(message, "translation")


def fill(ts_path: Path, texts: dict[str, str]) -> list[str]:
    tree = ET.parse(ts_path)
    root = tree.getroot()
    root.set("language", "zh_CN")
    for context_name, sources in core_texts().items():
        add_messages(root, context_name, sources)
    missing = []
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        text = texts.get(source)
        if text is None:
            missing.append(source)
            translation.set("type", "unfinished")
            continue
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            for child in list(translation):
                translation.remove(child)
            translation.text = None
            ET.SubElement(translation, "numerusform").text = text
        else:
            translation.text = text
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return missing


def main(argv: list[str]) -> int:
    ts_path, folder = Path(argv[0]), Path(argv[1])
    missing = fill(ts_path, load_texts(folder))
    for source in missing:
        print(f"untranslated: {source!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""LLM accounts in the Accounts panel: add, keys, models with ticks and aliases, tests, export."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core.config import load_config
from core.engine.engine import Engine
from desktop.bridge import EngineBridge
from desktop.panels.accounts import AccountsPanel
from tests.desktop.conftest import screenshot, until
from tests.fakes.openai_fake import FakeOpenAI
from tests.keyring_service import PrivateSecretService

pytestmark = [pytest.mark.timeout(90), pytest.mark.keyring]
KEYS = "sk-desk-key-0001\nsk-desk-key-0002\n"


@pytest.fixture(scope="module")
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def llm_bridge(tmp_path: Path, secret_service: PrivateSecretService) -> AsyncIterator[EngineBridge]:
    environ = {"SYNCDECK_LIBRARY_ROOT": str(tmp_path / "library"), "SYNCDECK_UI_LANGUAGE": "en"}
    engine = Engine(load_config(tmp_path / "config.toml", data_dir=tmp_path / "data", environ=environ))
    bridge = EngineBridge(engine)
    yield bridge
    await bridge.shutdown()
    await engine.close()
    bridge.deleteLater()


async def test_add_tick_alias_test_and_export_an_llm_account(
    qtbot: QtBot, llm_bridge: EngineBridge, fake_openai: FakeOpenAI, secret_service: PrivateSecretService,
    tmp_path: Path,
) -> None:  # fmt: skip
    fake_openai.reset()
    panel = AccountsPanel(llm_bridge)
    qtbot.addWidget(panel)
    panel.resize(900, 640)
    panel.show()
    box = panel.llm_box
    await until(lambda: box.empty.isVisible(), what="the empty LLM list")
    assert not box.open_button.isEnabled() and "No LLM account yet" in box.empty.text()

    box.add_button.click()
    add = box.add_dialog
    assert add is not None and add.isVisible()
    add.name.setText("Relay")
    add.base_url.setText(fake_openai.base_url)
    add.buttons.accepted.emit()  # without a key: the dialog says so and stays open
    await until(lambda: add.error.isVisible(), what="the missing-key message")
    assert "no API key" in add.error.text()
    add.keys.setPlainText(KEYS)
    add.buttons.accepted.emit()
    await until(lambda: box.table.rowCount() == 1 and not add.isVisible(), what="the new account")
    assert add.keys.toPlainText() == ""
    assert box.table.item(0, 2).text() == "2/2 keys · 0/0 models"
    account_id = box.accounts[0].id
    assert secret_service.backend.get_password("SyncDeck", f"llm/account/{account_id}") == KEYS.strip()

    box.table.selectRow(0)
    box.open_button.click()
    dialog = box.account_dialog
    assert dialog is not None
    await until(lambda: dialog.keys_table.rowCount() == 2, what="the keys")
    assert dialog.keys_table.item(0, 0).text() == "sk-…0001"
    qtbot.mouseClick(dialog.refresh_models, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.models_table.rowCount() == 7, what="the fetched models")
    names = [dialog.models_table.item(r, 1).text() for r in range(7)]
    assert "gpt-4o" in names and "gpt-4.1-nano" in names
    row = names.index("qwen3-32b")
    dialog.models_table.item(row, 0).setCheckState(Qt.CheckState.Unchecked)
    dialog.models_table.item(names.index("deepseek-chat"), 2).setText("ds")
    dialog.models_table.item(names.index("deepseek-chat"), 3).setText("0.27")  # per million tokens in
    dialog.models_table.item(names.index("deepseek-chat"), 4).setText("1,1")  # out, with a decimal comma
    dialog.models_table.item(names.index("gpt-4o"), 3).setText("cheap")
    assert "0 or more" in dialog.status.text() and dialog.models_table.item(names.index("gpt-4o"), 3).text() == ""
    llm = llm_bridge.engine.llm

    async def model(upstream: str) -> object:
        return next(m for m in await llm.models("Relay") if m.upstream == upstream)

    for _ in range(100):
        qwen, ds = await model("qwen3-32b-latest"), await model("deepseek-chat")
        if not qwen.enabled and (ds.alias, ds.price_in, ds.price_out) == ("ds", 0.27, 1.1):  # type: ignore[attr-defined]
            break
        await until(lambda: True)
    else:
        raise AssertionError("the tick and the alias did not reach the engine")

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.history_table.rowCount() >= 4, what="the health history")
    assert "models answered" in dialog.status.text()
    assert all(dialog.history_table.item(r, 2).text().startswith("ok") for r in range(dialog.history_table.rowCount()))
    screenshot(dialog, "llm-account-dialog")

    dialog.tabs.setCurrentIndex(3)
    dialog.rename_rules.setPlainText("^gpt- => official/gpt-")
    dialog.block_rules.setPlainText("nano")
    qtbot.mouseClick(dialog.save_rules, Qt.MouseButton.LeftButton)

    def shown_names() -> list[str]:
        return [dialog.models_table.item(r, 1).text() for r in range(dialog.models_table.rowCount())]

    await until(lambda: "official/gpt-4o" in shown_names(), what="the renamed models")
    assert not any("nano" in name for name in shown_names())
    assert (await llm.account("Relay")).rules["rename"] == [["^gpt-", "official/gpt-"]]
    dialog.reject()

    box.export_button.click()
    export = box.export_dialog
    assert export is not None
    export.target.setCurrentIndex(export.target.findData("litellm"))
    qtbot.mouseClick(export.preview_button, Qt.MouseButton.LeftButton)
    await until(lambda: "model_list" in export.preview.toPlainText(), what="the LiteLLM preview")
    assert "sk-desk-key" not in export.preview.toPlainText() and "os.environ/" in export.preview.toPlainText()
    assert "model_name: ds" in export.preview.toPlainText()
    export.target.setCurrentIndex(export.target.findData("uni-api"))
    target = tmp_path / "gateway" / "api.yaml"
    export.save(target)
    await until(lambda: target.exists() and "Written to" in export.status.text(), what="the saved file")
    assert [p["provider"] for p in yaml.safe_load(target.read_text())["providers"]] == ["Relay"]
    export.target.setCurrentIndex(export.target.findData("gpt-load"))
    assert export.apply_button.isVisibleTo(export) and not export.save_button.isVisibleTo(export)
    screenshot(panel, "accounts-panel-llm")
    export.reject()

"""One LLM account: its keys, its models (ticks, aliases) and their health checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.bridge import EngineBridge

if TYPE_CHECKING:
    from core.engine.llm.views import HealthView, KeyView, LlmAccountView, ModelView

ENABLED, NAME, ALIAS, PRICE_IN, PRICE_OUT, KIND, HEALTH = range(7)


class LlmAccountDialog(QDialog):
    def __init__(self, bridge: EngineBridge, account: LlmAccountView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("llm-account-dialog")
        self.bridge = bridge
        self.account = account
        self.models: list[ModelView] = []
        self._filling = False
        llm = bridge.engine.llm

        # keys
        self.keys_table = QTableWidget(0, 3)
        self.keys_table.setObjectName("llm-keys")
        self.keys_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.keys_table.verticalHeader().hide()
        self.keys_table.horizontalHeader().setStretchLastSection(True)
        self.new_keys = QPlainTextEdit()
        self.new_keys.setObjectName("llm-new-keys")
        self.new_keys.setFixedHeight(70)
        self.replace_keys = QPushButton()
        self.replace_keys.setObjectName("llm-replace-keys")
        self.replace_keys.clicked.connect(self._replace_keys)
        self.reset_keys = QPushButton()
        self.reset_keys.clicked.connect(
            lambda: self.bridge.run(llm.reset_keys(account.name), done=lambda _r: self.load_keys())
        )
        keys_page = QWidget()
        keys_layout = QVBoxLayout(keys_page)
        keys_layout.addWidget(self.keys_table)
        keys_layout.addWidget(self.new_keys)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.replace_keys)
        key_buttons.addStretch(1)
        key_buttons.addWidget(self.reset_keys)
        keys_layout.addLayout(key_buttons)

        # models
        self.models_table = QTableWidget(0, 7)
        self.models_table.setObjectName("llm-models")
        self.models_table.verticalHeader().hide()
        self.models_table.horizontalHeader().setStretchLastSection(True)
        self.models_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.models_table.itemChanged.connect(self._model_edited)
        self.refresh_models = QPushButton()
        self.refresh_models.setObjectName("llm-refresh-models")
        self.refresh_models.clicked.connect(lambda: self.load_models(refresh=True))
        self.test_button = QPushButton()
        self.test_button.setObjectName("llm-test")
        self.test_button.clicked.connect(self.test)
        models_page = QWidget()
        models_layout = QVBoxLayout(models_page)
        models_layout.addWidget(self.models_table)
        model_buttons = QHBoxLayout()
        model_buttons.addWidget(self.refresh_models)
        model_buttons.addWidget(self.test_button)
        model_buttons.addStretch(1)
        models_layout.addLayout(model_buttons)

        # health history
        self.history_table = QTableWidget(0, 4)
        self.history_table.setObjectName("llm-history")
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.verticalHeader().hide()
        self.history_table.horizontalHeader().setStretchLastSection(True)

        # rules: renames by regex, allow and block lists
        self.rename_rules = QPlainTextEdit()
        self.rename_rules.setObjectName("llm-rename-rules")
        self.allow_rules = QPlainTextEdit()
        self.allow_rules.setObjectName("llm-allow-rules")
        self.block_rules = QPlainTextEdit()
        self.block_rules.setObjectName("llm-block-rules")
        self.save_rules = QPushButton()
        self.save_rules.setObjectName("llm-save-rules")
        self.save_rules.clicked.connect(self._save_rules)
        self.rules_help = QLabel()
        self.rules_help.setWordWrap(True)
        rules_page = QWidget()
        self.rules_form = QFormLayout(rules_page)
        self.rules_form.addRow(self.rules_help)
        self.rule_labels = [QLabel(), QLabel(), QLabel()]
        for label, field in zip(self.rule_labels, (self.rename_rules, self.allow_rules, self.block_rules), strict=True):
            self.rules_form.addRow(label, field)
        self.rules_form.addRow(self.save_rules)
        self._show_rules(account.rules)

        self.tabs = QTabWidget()
        self.tabs.addTab(models_page, "")
        self.tabs.addTab(keys_page, "")
        self.tabs.addTab(self.history_table, "")
        self.tabs.addTab(rules_page, "")
        self.status = QLabel()
        self.status.setObjectName("llm-status")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(720, 480)
        self.retranslate()
        self.load_models()
        self.load_keys()
        self.load_history()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("LLM account %1").replace("%1", self.account.name))
        self.tabs.setTabText(0, self.tr("Models"))
        self.tabs.setTabText(1, self.tr("Keys"))
        self.tabs.setTabText(2, self.tr("Health history"))
        self.tabs.setTabText(3, self.tr("Rules"))
        self.rules_help.setText(self.tr(
            "Applied to every fetched list after SyncDeck's own clean-up of names. Renames: one "
            "“regular expression => replacement” a line, in order. Allow and block: one regular expression "
            "a line, matched against the provider's id and the name."
        ))  # fmt: skip
        for label, text in zip(
            self.rule_labels, (self.tr("Renames"), self.tr("Allow only"), self.tr("Block")), strict=True
        ):
            label.setText(text)
        self.save_rules.setText(self.tr("Save rules"))
        self.keys_table.setHorizontalHeaderLabels([self.tr("Key"), self.tr("State"), self.tr("Note")])
        self.models_table.setHorizontalHeaderLabels([
            self.tr("Use"), self.tr("Name"), self.tr("Alias"), self.tr("Input price"), self.tr("Output price"),
            self.tr("Kind"), self.tr("Last test"),
        ])  # fmt: skip
        price_tip = self.tr("Price per million tokens, in your currency; notes then show what they cost")
        for column in (PRICE_IN, PRICE_OUT):
            header = self.models_table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(price_tip)
        self.history_table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Model"), self.tr("Result"), self.tr("Error")]
        )
        self.new_keys.setPlaceholderText(self.tr("New keys, one a line, to replace the ones above"))
        self.replace_keys.setText(self.tr("Replace keys"))
        self.reset_keys.setText(self.tr("Use spent keys again"))
        self.refresh_models.setText(self.tr("Fetch model list"))
        self.test_button.setText(self.tr("Test enabled models"))

    # ---- rules

    def _show_rules(self, rules: dict[str, object]) -> None:
        renames = rules.get("rename") or []
        self.rename_rules.setPlainText("\n".join(f"{a} => {b}" for a, b in renames))  # type: ignore[union-attr]
        self.allow_rules.setPlainText("\n".join(rules.get("allow") or []))  # type: ignore[arg-type]
        self.block_rules.setPlainText("\n".join(rules.get("block") or []))  # type: ignore[arg-type]

    def _save_rules(self) -> None:
        rename = []
        for line in self.rename_rules.toPlainText().splitlines():
            if line.strip():
                pattern, _, replacement = line.partition("=>")
                rename.append([pattern.strip(), replacement.strip()])
        rules = {
            "rename": rename,
            "allow": [line.strip() for line in self.allow_rules.toPlainText().splitlines() if line.strip()],
            "block": [line.strip() for line in self.block_rules.toPlainText().splitlines() if line.strip()],
        }

        def saved(view: LlmAccountView) -> None:
            self.account = view
            self.status.setText(self.tr("Rules saved and applied to the model list"))
            self.load_models(refresh=True)  # a relaxed rule brings back what the last fetch listed

        coro = self.bridge.engine.llm.update_account(self.account.name, rules=rules)
        self.bridge.run(coro, what=self.tr("Save rules"), done=saved, failed=self.status.setText)

    # ---- keys

    def load_keys(self) -> None:
        self.bridge.run(
            self.bridge.engine.llm.keys(self.account.name), done=self._show_keys, failed=self.status.setText
        )

    def _show_keys(self, keys: list[KeyView]) -> None:
        states = {"ok": self.tr("usable"), "spent": self.tr("daily quota used up"), "invalid": self.tr("refused")}
        self.keys_table.setRowCount(len(keys))
        for row, k in enumerate(keys):
            state = states.get(k.state, k.state)
            if k.usable_at is not None:
                state += " " + self.tr("until %1").replace("%1", k.usable_at.astimezone().strftime("%Y-%m-%d %H:%M"))
            for column, text in enumerate((k.masked, state, k.last_error)):
                self.keys_table.setItem(row, column, QTableWidgetItem(text))

    def _replace_keys(self) -> None:
        keys = self.new_keys.toPlainText().splitlines()

        def done(view: LlmAccountView) -> None:
            self.new_keys.clear()
            self.status.setText(self.tr("%1 key(s) saved in the keyring").replace("%1", str(view.keys)))
            self.load_keys()

        self.bridge.run(self.bridge.engine.llm.set_keys(self.account.name, keys), done=done, failed=self.status.setText)

    # ---- models

    def load_models(self, refresh: bool = False) -> None:
        if refresh:
            self.status.setText(self.tr("Fetching the model list…"))
        coro = self.bridge.engine.llm.models(self.account.name, refresh=refresh)
        self.bridge.run(coro, done=lambda m: self._show_models(m, refresh), failed=self.status.setText)

    def _show_models(self, models: list[ModelView], fetched: bool = False) -> None:
        self._filling = True
        self.models = [m for m in models if m.listed]
        self.models_table.setRowCount(len(self.models))
        for row, m in enumerate(self.models):
            use = QTableWidgetItem()
            use.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            use.setCheckState(Qt.CheckState.Checked if m.enabled else Qt.CheckState.Unchecked)
            name = QTableWidgetItem(m.name)
            name.setToolTip(m.upstream)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            alias = QTableWidgetItem(m.alias)
            price_in = QTableWidgetItem(_price_text(m.price_in))
            price_out = QTableWidgetItem(_price_text(m.price_out))
            kind = QTableWidgetItem(m.kind)
            kind.setFlags(kind.flags() & ~Qt.ItemFlag.ItemIsEditable)
            health = QTableWidgetItem(self._health_text(m))
            health.setFlags(health.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if m.auto_disabled:
                health.setToolTip(m.disabled_reason)
            for column, item in enumerate((use, name, alias, price_in, price_out, kind, health)):
                self.models_table.setItem(row, column, item)
        self.models_table.resizeColumnsToContents()
        self._filling = False
        if fetched:
            self.status.setText(self.tr("%1 models listed").replace("%1", str(len(self.models))))

    def _health_text(self, m: ModelView) -> str:
        if m.auto_disabled:
            return self.tr("set aside after errors")
        if m.last_ok is None:
            return ""
        return self.tr("ok, %1 ms").replace("%1", str(m.last_latency_ms)) if m.last_ok else self.tr("failed")

    def _model_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.row() >= len(self.models):
            return
        model = self.models[item.row()]
        llm = self.bridge.engine.llm
        if item.column() == ENABLED:
            coro = llm.set_model(self.account.name, model.upstream, enabled=item.checkState() == Qt.CheckState.Checked)
        elif item.column() == ALIAS:
            coro = llm.set_model(self.account.name, model.upstream, alias=item.text())
        elif item.column() in (PRICE_IN, PRICE_OUT):
            try:
                price = float(item.text().strip().replace(",", ".") or 0)
            except ValueError:
                price = -1.0
            if price < 0:
                self.status.setText(self.tr("A price is a number of 0 or more (per million tokens)"))
                self._filling = True
                before = model.price_in if item.column() == PRICE_IN else model.price_out
                item.setText(_price_text(before))
                self._filling = False
                return
            which = "price_in" if item.column() == PRICE_IN else "price_out"
            coro = llm.set_model(self.account.name, model.upstream, **{which: price})
            row = item.row()
            self.bridge.run(coro, what=self.tr("Change model"), done=lambda m: self._changed(row, m),
                            failed=self.status.setText)  # fmt: skip
            return
        else:
            return
        self.bridge.run(coro, what=self.tr("Change model"), failed=self.status.setText)

    def _changed(self, row: int, model: ModelView) -> None:
        if row < len(self.models) and self.models[row].upstream == model.upstream:
            self.models[row] = model

    # ---- health

    def test(self) -> None:
        self.test_button.setEnabled(False)
        self.status.setText(self.tr("Testing…"))
        self.bridge.run(self.bridge.engine.llm.check(self.account.name), done=self._tested, failed=self._test_failed)

    def _tested(self, results: list[HealthView]) -> None:
        self.test_button.setEnabled(True)
        passed = sum(1 for r in results if r.ok)
        self.status.setText(
            self.tr("%1 of %2 models answered").replace("%1", str(passed)).replace("%2", str(len(results)))
        )
        self.load_models()
        self.load_history()

    def _test_failed(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(message)

    def load_history(self) -> None:
        coro = self.bridge.engine.llm.health_history(self.account.name)
        self.bridge.run(coro, done=self._show_history, failed=self.status.setText)

    def _show_history(self, history: list[HealthView]) -> None:
        self.history_table.setRowCount(len(history))
        for row, h in enumerate(history):
            result = self.tr("ok, %1 ms").replace("%1", str(h.latency_ms)) if h.ok else self.tr("failed")
            cells = (h.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), h.model, result, h.error)
            for column, text in enumerate(cells):
                self.history_table.setItem(row, column, QTableWidgetItem(text))
        self.history_table.resizeColumnsToContents()


def _price_text(price: float) -> str:
    return f"{price:g}" if price else ""

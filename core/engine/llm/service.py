"""LLM provider accounts: keys, model lists, health checks, rate limits, gateway export.

`engine.llm` (LlmBook). The keys of an account live in the keyring under `llm/account/<id>`
(newline-separated); the database knows them only by count and fingerprint. Every client of an
account shares one key pool and one rate limiter (built on first use), so a key spent by one
caller is skipped by all, and the account's rpm/tpm hold across callers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.engine.feature import FeatureService
from core.errors import ConfigError, LlmError, SecretStoreError

if TYPE_CHECKING:
    import httpx
    from sqlmodel import Session

    from core.engine.llm.views import ExportResult, HealthView, KeyView, LlmAccountView, ModelView
    from core.events import Event
    from core.llm.base_client import AccountContext, HttpClient
    from core.llm.export import ExportAccount
    from core.llm.hooks import Hooks
    from core.llm.keypool import KeyState
    from core.llm.protocol import LlmClient
    from core.store.notes_tables import LlmAccount

log = logging.getLogger(__name__)

KINDS = ("openai", "gemini")
TARGETS = ("uni-api", "litellm", "gpt-load")


def _views() -> Any:
    """The view types, imported on first use (building dataclasses costs start-up time)."""
    from core.engine.llm import views

    return views


def _now() -> datetime:
    return datetime.now(UTC)


def _mask(key: str) -> str:
    return f"{key[:3]}…{key[-4:]}" if len(key) > 10 else "…"


def _split_keys(keys: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in keys:
        for key in raw.replace(",", "\n").splitlines():
            key = key.strip()
            if key and key not in out:
                if any(ch.isspace() for ch in key):
                    raise ConfigError("an API key cannot contain spaces; give one key a line")
                out.append(key)
    return out


class LlmBook(FeatureService):
    """Built with every engine, so it must be cheap: heavy imports and work start on first use."""

    def __init__(self, *parts: Any) -> None:
        super().__init__(*parts)
        self._contexts: dict[int, AccountContext] = {}
        self._http: httpx.AsyncClient | None = None
        self._hooks: Hooks | None = None
        self._errors: dict[tuple[int, str], deque[float]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._refreshing: asyncio.Task[Any] | None = None
        self.bus.subscribe(self._on_event)

    # ------------------------------------------------------------ plumbing

    @property
    def hooks(self) -> Hooks:
        """The extension point; the notes feature fires "note_written" and "task_failed" here."""
        if self._hooks is None:
            from core.llm.hooks import Hooks

            enabled = bool(self.config["llm.hooks"])
            self._hooks = Hooks(self.config.data_dir / "plugins" if enabled else None, entry_points=enabled)
        return self._hooks

    def _on_event(self, event: Event) -> None:
        from core.events import RoundStarted, TaskAdded, TaskFinished

        if isinstance(event, RoundStarted):
            # Model lists ride on the sync schedule: each round refreshes the lists that are due.
            self._start_refresh()
        elif isinstance(event, TaskAdded) and event.kind == "video":
            payload: dict[str, Any] = {"task_id": event.task_id, "source_id": event.source_id, "title": event.title}
            self._fire_soon("video_added", payload)
        elif isinstance(event, TaskFinished):
            name = "video_downloaded" if event.ok else "task_failed"
            self._fire_soon(name, {"task_id": event.task_id, "error": "" if event.ok else "download failed"})

    def _start_refresh(self) -> None:
        if self._refreshing is not None and not self._refreshing.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._refreshing = loop.create_task(self.refresh_due())
        self._tasks.add(self._refreshing)
        self._refreshing.add_done_callback(self._tasks.discard)

    def _fire_soon(self, event: str, payload: dict[str, Any]) -> None:
        if not self.config["llm.hooks"]:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if not self.hooks.has(event):
            return
        task = loop.create_task(self.hooks.fire(event, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _client_http(self) -> httpx.AsyncClient:
        if self._http is None:
            from core.net.client import NetOptions, make_client

            options = NetOptions(
                proxy=self.config["net.proxy"], ca_bundle=self.config["net.ca_bundle"],
                timeout=float(self.config["llm.timeout_s"]),
            )  # fmt: skip
            self._http = make_client(options, headers={"User-Agent": "SyncDeck"}, max_connections=32)
        return self._http

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # ------------------------------------------------------------ rows

    @staticmethod
    def _row(session: Session, name: str) -> LlmAccount:
        from sqlmodel import select

        from core.store.notes_tables import LlmAccount

        row = session.exec(select(LlmAccount).where(LlmAccount.name == name)).first()
        if row is None:
            names = session.exec(select(LlmAccount.name)).all()
            known = f" (known: {', '.join(names)})" if names else " (there is none yet: `syncdeck llm add`)"
            raise ConfigError(f"no LLM account named {name!r}{known}")
        return row

    def _environment_keys(self, name: str) -> list[str]:
        """Keys a server gives by environment variable (never saved), instead of the keyring's."""
        from core.llm.keypool import keys_from_environment
        from core.secrets import register_secret

        keys = keys_from_environment(name, self.config.environ if self.config.environ is not None else os.environ)
        for key in keys:
            register_secret(key)
        return keys

    def _keys_of(self, row: LlmAccount) -> list[str]:
        from_env = self._environment_keys(row.name)
        if from_env:
            return from_env
        value = self.secrets.get(row.secret_ref) if row.secret_ref else None
        return [k for k in (value or "").splitlines() if k]

    def _view(self, session: Session, row: LlmAccount) -> LlmAccountView:
        from sqlmodel import select

        from core.llm.names import is_transcriber
        from core.store.notes_tables import LlmKeyState, LlmModel

        models = session.exec(select(LlmModel).where(LlmModel.account_id == row.id)).all()
        states = session.exec(select(LlmKeyState).where(LlmKeyState.account_id == row.id)).all()
        now = _now()
        unusable = sum(1 for s in states if s.invalid or (s.exhausted_until and s.exhausted_until > now))
        assert row.id is not None
        return _views().LlmAccountView(
            id=row.id, name=row.name, kind=row.kind, base_url=row.base_url, keys=row.key_count,
            usable_keys=max(0, row.key_count - unusable), rpm=row.rpm, tpm=row.tpm,
            models=sum(1 for m in models if m.listed),
            enabled_models=sum(1 for m in models if m.listed and m.enabled and not m.auto_disabled),
            models_fetched_at=row.models_fetched_at, rules=json.loads(row.rules or "{}"),
            last_error=row.last_error,
            can_transcribe=row.kind == "openai" and any(is_transcriber(m.upstream) and m.enabled for m in models),
            can_watch_video=row.kind == "gemini",
        )  # fmt: skip

    # ------------------------------------------------------------ accounts

    async def add_account(
        self, kind: str, name: str, keys: Sequence[str], *, base_url: str = "", rpm: int = 0, tpm: int = 0
    ) -> LlmAccountView:
        from core.store.notes_tables import LlmAccount

        name = name.strip()
        if kind not in KINDS:
            raise ConfigError(f"an LLM account is of kind {' or '.join(KINDS)}, not {kind!r}")
        if not name or len(name) > 100 or any(ch in name for ch in "\n\r\t/"):
            raise ConfigError("give the account a name of 1-100 characters, without slashes")
        base_url = base_url.strip()
        if kind == "openai" and not base_url:
            raise ConfigError("an OpenAI-compatible account needs --base-url (e.g. https://api.openai.com/v1)")
        if base_url and not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"--base-url must start with http:// or https://, got {base_url!r}")
        if rpm < 0 or tpm < 0:
            raise ConfigError("rpm and tpm are 0 (no limit) or more")
        clean = _split_keys(keys)
        from_env = self._environment_keys(name)
        if not clean and not from_env:
            raise ConfigError("no API key given (one a line on stdin)")
        status = self.secrets.check()
        if clean and not status.secure:
            raise SecretStoreError(status.message)

        def insert(session: Session) -> int:
            from sqlmodel import select

            if session.exec(select(LlmAccount).where(LlmAccount.name == name)).first() is not None:
                raise ConfigError(f"an LLM account named {name!r} exists already")
            count = len(clean or from_env)
            row = LlmAccount(name=name, kind=kind, base_url=base_url, rpm=rpm, tpm=tpm, key_count=count)
            session.add(row)
            session.flush()
            assert row.id is not None
            row.secret_ref = f"llm/account/{row.id}" if clean else ""
            return row.id

        account_id = await self.db.run(insert)
        if not clean:  # the keys come from the environment each time
            return await self.account(name)
        try:
            self.secrets.set(f"llm/account/{account_id}", "\n".join(clean))
        except Exception:
            await self.db.run(lambda s: s.delete(s.get(LlmAccount, account_id)))
            raise
        return await self.account(name)

    async def accounts(self) -> list[LlmAccountView]:
        from sqlmodel import select

        from core.store.notes_tables import LlmAccount

        def read(session: Session) -> list[LlmAccountView]:
            rows = session.exec(select(LlmAccount).order_by(LlmAccount.name)).all()  # type: ignore[arg-type]
            return [self._view(session, r) for r in rows]

        return await self.db.run(read)

    async def account(self, name: str) -> LlmAccountView:
        return await self.db.run(lambda s: self._view(s, self._row(s, name)))

    async def remove_account(self, name: str) -> None:
        from sqlmodel import delete

        from core.store.notes_tables import LlmHealth, LlmKeyState, LlmModel

        def remove(session: Session) -> tuple[int, str]:
            row = self._row(session, name)
            for table in (LlmHealth, LlmKeyState, LlmModel):
                session.exec(delete(table).where(table.account_id == row.id))  # type: ignore[call-overload]
            session.delete(row)
            assert row.id is not None
            return row.id, row.secret_ref

        account_id, ref = await self.db.run(remove)
        self._contexts.pop(account_id, None)
        if ref:
            self.secrets.delete(ref)

    async def update_account(
        self, name: str, *, base_url: str | None = None, rpm: int | None = None, tpm: int | None = None,
        rules: dict[str, Any] | None = None,
    ) -> LlmAccountView:  # fmt: skip
        from core.llm.names import ModelRules

        if rules is not None:
            rules = ModelRules.from_json(rules).to_json()  # refuses a bad regex

        def change(session: Session) -> int:
            row = self._row(session, name)
            if base_url is not None:
                if base_url and not base_url.startswith(("http://", "https://")):
                    raise ConfigError(f"the base URL must start with http:// or https://, got {base_url!r}")
                row.base_url = base_url
            if rpm is not None:
                row.rpm = max(0, rpm)
            if tpm is not None:
                row.tpm = max(0, tpm)
            if rules is not None:
                row.rules = json.dumps(rules, ensure_ascii=False)
            session.add(row)
            assert row.id is not None
            return row.id

        account_id = await self.db.run(change)
        self._contexts.pop(account_id, None)
        if rules is not None:
            await self._apply_rules(name)
        return await self.account(name)

    async def set_keys(self, name: str, keys: Sequence[str]) -> LlmAccountView:
        """Replace the account's keys (the keyring's copy); states of keys kept stay."""
        clean = _split_keys(keys)
        if not clean:
            raise ConfigError("an account needs at least one API key")

        def count(session: Session) -> tuple[int, str]:
            row = self._row(session, name)
            row.key_count = len(clean)
            assert row.id is not None
            row.secret_ref = row.secret_ref or f"llm/account/{row.id}"
            session.add(row)
            return row.id, row.secret_ref

        account_id, ref = await self.db.run(count)
        self.secrets.set(ref, "\n".join(clean))
        self._contexts.pop(account_id, None)
        return await self.account(name)

    async def keys(self, name: str) -> list[KeyView]:
        from sqlmodel import select

        from core.llm.keypool import fingerprint
        from core.store.notes_tables import LlmKeyState

        def read(session: Session) -> tuple[LlmAccount, dict[str, LlmKeyState]]:
            row = self._row(session, name)
            states = session.exec(select(LlmKeyState).where(LlmKeyState.account_id == row.id)).all()
            return row, {s.fingerprint: s for s in states}

        row, states = await self.db.run(read)
        now = _now()
        out = []
        for i, key in enumerate(self._keys_of(row), start=1):
            fp = fingerprint(key)
            s = states.get(fp)
            state = "ok"
            if s is not None and s.invalid:
                state = "invalid"
            elif s is not None and s.exhausted_until and s.exhausted_until > now:
                state = "spent"
            out.append(_views().KeyView(i, _mask(key), fp, state, s.exhausted_until if state == "spent" and s else None,
                               s.last_error if s else ""))  # fmt: skip
        return out

    async def reset_keys(self, name: str) -> None:
        """Forget that keys were spent or refused (after the user fixed them)."""
        from sqlmodel import delete

        from core.store.notes_tables import LlmKeyState

        def clear(session: Session) -> int:
            row = self._row(session, name)
            session.exec(delete(LlmKeyState).where(LlmKeyState.account_id == row.id))  # type: ignore[call-overload]
            assert row.id is not None
            return row.id

        self._contexts.pop(await self.db.run(clear), None)

    # ------------------------------------------------------------ clients

    def _context(self, row: LlmAccount) -> AccountContext:
        from sqlmodel import select

        from core.llm.base_client import AccountContext
        from core.llm.keypool import KeyPool, KeyState
        from core.llm.names import is_transcriber
        from core.llm.ratelimit import RateLimiter
        from core.store.notes_tables import LlmKeyState, LlmModel

        assert row.id is not None
        ctx = self._contexts.get(row.id)
        if ctx is not None:
            return ctx
        account_id = row.id

        def read(session: Session) -> tuple[list[LlmKeyState], list[LlmModel]]:
            states = list(session.exec(select(LlmKeyState).where(LlmKeyState.account_id == account_id)).all())
            models = list(session.exec(select(LlmModel).where(LlmModel.account_id == account_id)).all())
            return states, models

        states, models = self.db.call(read)
        pool = KeyPool(row.name, self._keys_of(row), on_change=lambda s: self._save_key_state(account_id, s))
        for s in states:
            if s.fingerprint in pool.states:
                pool.states[s.fingerprint] = KeyState(s.fingerprint, s.exhausted_until, s.invalid, s.last_error)
        transcriber = next((m.upstream for m in models if m.enabled and m.listed and is_transcriber(m.upstream)), "")
        prices = {m.upstream: price for m in models if any(price := _price(m.info))}
        ctx = AccountContext(
            name=row.name, kind=row.kind, base_url=row.base_url, pool=pool, limiter=RateLimiter(row.rpm, row.tpm),
            http=self._client_http(), max_retries=int(self.config["llm.retries"]),
            max_wait_s=float(self.config["llm.max_wait_s"]), poll_s=float(self.config["llm.gemini_poll_s"]),
            transcribe_model=transcriber if row.kind == "openai" else "", prices=prices,
            report=lambda model, error: self._report(account_id, model, error),
        )  # fmt: skip
        self._contexts[account_id] = ctx
        return ctx

    def _save_key_state(self, account_id: int, state: KeyState) -> None:
        from sqlmodel import select

        from core.store.notes_tables import LlmKeyState

        def save(session: Session) -> None:
            same = (LlmKeyState.account_id == account_id, LlmKeyState.fingerprint == state.fingerprint)
            row = session.exec(select(LlmKeyState).where(*same)).first()
            row = row or LlmKeyState(account_id=account_id, fingerprint=state.fingerprint)
            row.exhausted_until, row.invalid, row.last_error = state.exhausted_until, state.invalid, state.last_error
            session.add(row)

        self.db.call(save)

    def _report(self, account_id: int, model: str, error: str) -> None:
        """Count a model's errors; N within the window set it aside until a health check passes."""
        limit = int(self.config["llm.disable_errors"])
        if not error or not model or not limit:
            return
        window = float(self.config["llm.disable_window_s"])
        now = time.monotonic()
        errors = self._errors.setdefault((account_id, model), deque())
        errors.append(now)
        while errors and errors[0] < now - window:
            errors.popleft()
        if len(errors) >= limit:
            errors.clear()
            reason = f"{limit} errors within {window:g} s; the last: {error}"[:500]
            self.db.call(self._set_auto_disabled, account_id, model, True, reason)
            log.warning("LLM model %s set aside: %s", model, reason)

    @staticmethod
    def _set_auto_disabled(session: Session, account_id: int, model: str, value: bool, reason: str) -> None:
        from sqlmodel import select

        from core.store.notes_tables import LlmModel

        row = session.exec(
            select(LlmModel).where(LlmModel.account_id == account_id, LlmModel.upstream == model)
        ).first()
        if row is not None and row.auto_disabled != value:
            row.auto_disabled, row.disabled_reason = value, reason
            session.add(row)

    def client(self, account_name: str, model: str | None = None) -> LlmClient:
        """A client of the account for `model` (an upstream id, a name or an alias; None = the
        first usable chat model). Raises ConfigError for an unknown account, LlmError when no
        model can be chosen."""
        from sqlmodel import select

        from core.store.notes_tables import LlmModel

        def read(session: Session) -> tuple[LlmAccount, list[LlmModel]]:
            row = self._row(session, account_name)
            return row, list(session.exec(select(LlmModel).where(LlmModel.account_id == row.id)).all())

        row, models = self.db.call(read)
        chosen = self._choose_model(row.name, models, model)
        return self._make_client(row, chosen)

    def _make_client(self, row: LlmAccount, model: str) -> HttpClient:
        from core.llm.gemini_client import GeminiClient
        from core.llm.openai_client import OpenAIClient

        ctx = self._context(row)
        return GeminiClient(ctx, model) if row.kind == "gemini" else OpenAIClient(ctx, model)

    @staticmethod
    def _choose_model(account: str, models: Sequence[Any], wanted: str | None) -> str:
        if wanted:
            for m in models:
                if wanted in (m.upstream, m.name, m.alias) or m.upstream == f"models/{wanted}":
                    return str(m.upstream)
            return wanted  # not listed (yet): the provider will say whether it knows it
        usable = [m for m in models if m.kind == "chat" and m.enabled and m.listed and not m.auto_disabled]
        if not usable:
            raise LlmError(f"the LLM account {account!r} has no usable chat model; "
                           f"fetch its list (`syncdeck llm models {account} --refresh`) or name one")  # fmt: skip
        return str(usable[0].upstream)

    # ------------------------------------------------------------ models

    async def models(self, name: str, *, refresh: bool = False) -> list[ModelView]:
        if refresh:
            return await self.refresh_models(name)
        return await self.db.run(lambda s: self._model_views(s, self._row(s, name)))

    def _model_views(self, session: Session, row: LlmAccount) -> list[ModelView]:
        from sqlmodel import select

        from core.store.notes_tables import LlmHealth, LlmModel

        models = session.exec(select(LlmModel).where(LlmModel.account_id == row.id).order_by(LlmModel.name)).all()  # type: ignore[arg-type]
        latest: dict[str, LlmHealth] = {}
        for h in session.exec(select(LlmHealth).where(LlmHealth.account_id == row.id).order_by(LlmHealth.at)).all():  # type: ignore[arg-type]
            latest[h.model] = h
        views = []
        for m in models:
            h = latest.get(m.upstream)
            price_in, price_out = _price(m.info)
            views.append(_views().ModelView(
                upstream=m.upstream, name=m.name, alias=m.alias, kind=m.kind, enabled=m.enabled,
                auto_disabled=m.auto_disabled, disabled_reason=m.disabled_reason, listed=m.listed,
                last_ok=h.ok if h else None, last_latency_ms=h.latency_ms if h else 0,
                last_checked_at=h.at if h else None, price_in=price_in, price_out=price_out,
            ))  # fmt: skip
        return views

    async def refresh_models(self, name: str) -> list[ModelView]:
        """Fetch the provider's list, normalise and filter it (rules, then hooks), store it."""
        from core.llm.names import ModelRules, guess_kind

        row = await self.db.run(lambda s: self._row(s, name))
        client = self._make_client(row, "")
        try:
            raw = await client.list_models()  # type: ignore[attr-defined]
        except LlmError as exc:
            await self.db.run(self._set_error, row.id, str(exc))
            raise
        rules = ModelRules.from_json(json.loads(row.rules or "{}"))
        entries = []
        for item in raw:
            upstream = str(item["id"])
            methods = item.get("supportedGenerationMethods") or ()
            info = {k: item[k] for k in ("displayName", "inputTokenLimit", "outputTokenLimit", "owned_by") if k in item}
            kind = guess_kind(upstream, methods)
            entries.append({"upstream": upstream, "name": rules.name_for(upstream), "kind": kind, "info": info})
        payload = await self.hooks.fire("models_fetched", {"account": row.name, "kind": row.kind, "models": entries})
        entries = [e for e in payload.get("models", entries) if rules.admits(e["upstream"], e["name"])]
        await self.db.run(self._store_models, row.id, entries)
        self._contexts.pop(row.id, None)  # the speech-to-text model may have changed
        return await self.models(name)

    @staticmethod
    def _set_error(session: Session, account_id: int, error: str) -> None:
        from core.store.notes_tables import LlmAccount

        row = session.get(LlmAccount, account_id)
        if row is not None:
            row.last_error = error[:500]
            session.add(row)

    @staticmethod
    def _store_models(session: Session, account_id: int, entries: list[dict[str, Any]]) -> None:
        from sqlmodel import select

        from core.llm.names import is_transcriber
        from core.store.notes_tables import LlmAccount, LlmModel

        now = _now()
        existing = {
            m.upstream: m for m in session.exec(select(LlmModel).where(LlmModel.account_id == account_id)).all()
        }
        seen = set()
        for e in entries:
            row = existing.get(e["upstream"])
            if row is None:  # new models start ticked when they can chat or transcribe
                wanted = e["kind"] == "chat" or is_transcriber(e["upstream"])
                row = LlmModel(account_id=account_id, upstream=e["upstream"], name=e["name"], enabled=wanted)
            row.name, row.kind, row.listed, row.fetched_at = e["name"], e["kind"], True, now
            price = json.loads(row.info or "{}").get("price")  # the user's, kept when the list comes again
            info = {**(e.get("info") or {}), **({"price": price} if price else {})}
            row.info = json.dumps(info, ensure_ascii=False)
            session.add(row)
            seen.add(e["upstream"])
        for upstream, row in existing.items():
            if upstream not in seen and row.listed:
                row.listed = False
                session.add(row)
        account = session.get(LlmAccount, account_id)
        if account is not None:
            account.models_fetched_at, account.last_error = now, ""
            session.add(account)

    async def _apply_rules(self, name: str) -> None:
        """Names and the allow/block lists again, on the stored list, without asking the provider."""
        from sqlmodel import select

        from core.llm.names import ModelRules
        from core.store.notes_tables import LlmModel

        def apply(session: Session) -> None:
            row = self._row(session, name)
            rules = ModelRules.from_json(json.loads(row.rules or "{}"))
            for m in session.exec(select(LlmModel).where(LlmModel.account_id == row.id)).all():
                m.name = rules.name_for(m.upstream)
                if not rules.admits(m.upstream, m.name):
                    m.listed = False
                session.add(m)

        await self.db.run(apply)

    async def set_model(
        self, name: str, model: str, *, enabled: bool | None = None, alias: str | None = None,
        price_in: float | None = None, price_out: float | None = None,
    ) -> ModelView:  # fmt: skip
        """Tick or untick a model, give it an alias ("" removes it), or its prices per million
        prompt (`price_in`) and completion (`price_out`) tokens, in the user's currency (0 = none).
        Notes cost what the account's replies count in tokens at these prices."""
        from sqlmodel import select

        from core.store.notes_tables import LlmModel

        for price in (price_in, price_out):
            if price is not None and not (price >= 0 and price < 1e6):
                raise ConfigError(f"a price per million tokens is 0 or more, got {price!r}")

        def change(session: Session) -> tuple[int, str]:
            row = self._row(session, name)
            models = session.exec(select(LlmModel).where(LlmModel.account_id == row.id)).all()
            target = next((m for m in models if model in (m.upstream, m.name, m.alias)), None)
            if target is None:
                raise ConfigError(f"the LLM account {name!r} lists no model {model!r}")
            if enabled is not None:
                target.enabled = enabled
            if alias is not None:
                target.alias = alias.strip()
            if price_in is not None or price_out is not None:
                info = json.loads(target.info or "{}")
                old_in, old_out = _price(target.info)
                new_in = old_in if price_in is None else float(price_in)
                new_out = old_out if price_out is None else float(price_out)
                info["price"] = {"input": new_in, "output": new_out} if new_in or new_out else None
                target.info = json.dumps({k: v for k, v in info.items() if v is not None}, ensure_ascii=False)
            session.add(target)
            assert row.id is not None
            return row.id, target.upstream

        account_id, upstream = await self.db.run(change)
        if price_in is not None or price_out is not None:
            self._contexts.pop(account_id, None)  # clients price replies from the account's context
        return next(m for m in await self.models(name) if m.upstream == upstream)

    async def refresh_due(self) -> list[str]:
        """Fetch the lists of accounts whose list is older than `llm.models_refresh_h`."""
        hours = float(self.config["llm.models_refresh_h"])
        if not hours:
            return []
        due = [a.name for a in await self.accounts()
               if a.models_fetched_at is None or a.models_fetched_at < _now() - timedelta(hours=hours)]  # fmt: skip
        for name in due:
            try:
                await self.refresh_models(name)
            except (LlmError, ConfigError) as exc:
                log.warning("model list of %s not refreshed: %s", name, exc)
        return due

    async def run_schedule(self, stop: asyncio.Event) -> None:
        """Refresh model lists on their schedule until `stop` is set (the daemon and the window)."""
        while not stop.is_set():
            await self.refresh_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=600)

    # ------------------------------------------------------------ health

    async def check(self, name: str, model: str | None = None) -> list[HealthView]:
        """A tiny real request to each enabled chat model (or to `model`): ok, latency, error.

        A good answer clears an automatic set-aside; history is kept per model."""
        from sqlmodel import select

        from core.store.notes_tables import LlmModel

        def read(session: Session) -> tuple[LlmAccount, list[LlmModel]]:
            row = self._row(session, name)
            return row, list(session.exec(select(LlmModel).where(LlmModel.account_id == row.id)).all())

        row, models = await self.db.run(read)
        if model:
            targets = [self._choose_model(name, models, model)]
        else:
            targets = [m.upstream for m in models if m.kind == "chat" and m.enabled and m.listed]
            if not targets:
                targets = [self._choose_model(name, models, None)]
        results = await asyncio.gather(*(self._check_one(row, t) for t in targets))
        return list(results)

    async def _check_one(self, row: LlmAccount, model: str) -> HealthView:
        from core.store.notes_tables import LlmHealth

        client = self._make_client(row, model)
        started = time.monotonic()
        error = ""
        try:
            await client.ping()  # type: ignore[attr-defined]
        except LlmError as exc:
            error = str(exc)
        latency = int((time.monotonic() - started) * 1000)
        view = _views().HealthView(model=model, ok=not error, latency_ms=latency, at=_now(), error=error[:500])
        keep = int(self.config["llm.health_history"])
        assert row.id is not None
        account_id = row.id

        def save(session: Session) -> None:
            from sqlmodel import select

            session.add(LlmHealth(account_id=account_id, model=model, at=view.at, ok=view.ok,
                                  latency_ms=latency, error=view.error))  # fmt: skip
            session.flush()
            old = session.exec(select(LlmHealth).where(LlmHealth.account_id == account_id, LlmHealth.model == model)
                               .order_by(LlmHealth.at.desc()).offset(keep)).all()  # type: ignore[attr-defined]  # fmt: skip
            for h in old:
                session.delete(h)
            if view.ok:
                self._set_auto_disabled(session, account_id, model, False, "")

        await self.db.run(save)
        if view.ok:
            self._errors.pop((account_id, model), None)
        return view

    async def health_history(self, name: str, model: str | None = None) -> list[HealthView]:
        """Newest first."""
        from sqlmodel import select

        from core.store.notes_tables import LlmHealth

        def read(session: Session) -> list[HealthView]:
            row = self._row(session, name)
            query = select(LlmHealth).where(LlmHealth.account_id == row.id)
            if model:
                query = query.where(LlmHealth.model == model)
            rows = session.exec(query.order_by(LlmHealth.at.desc())).all()  # type: ignore[attr-defined]
            return [_views().HealthView(h.model, h.ok, h.latency_ms, h.at, h.error) for h in rows]

        return await self.db.run(read)

    # ------------------------------------------------------------ export

    async def _export_accounts(self, names: Sequence[str] | None, include_keys: bool) -> list[ExportAccount]:
        from core.llm.export import ExportAccount, ExportModel

        views = await self.accounts()
        if names:
            unknown = set(names) - {v.name for v in views}
            if unknown:
                raise ConfigError(f"no LLM account named {', '.join(sorted(unknown))}")
            views = [v for v in views if v.name in names]
        if not views:
            raise ConfigError("there is no LLM account to export (`syncdeck llm add` first)")
        out = []
        for view in views:
            models = [ExportModel(m.upstream.removeprefix("models/"), m.exported_name)
                      for m in await self.models(view.name) if m.usable and m.kind == "chat"]  # fmt: skip
            row = await self.db.run(lambda s, n=view.name: self._row(s, n))
            keys = tuple(self._keys_of(row)) if include_keys else ()
            out.append(ExportAccount(view.name, view.kind, view.base_url, keys, view.keys, tuple(models),
                                     view.rpm, view.tpm, include_keys))  # fmt: skip
        return out

    async def export(
        self,
        target: str,
        *,
        path: Path | None = None,
        include_keys: bool = False,
        accounts: Sequence[str] | None = None,
    ) -> ExportResult:
        """uni-api's api.yaml or LiteLLM's config.yaml: built, checked, and written when `path` is
        given (merged into the existing file, which is backed up; restored if the new one fails)."""
        import yaml

        from core.llm.export import files, litellm, uni_api

        if target not in ("uni-api", "litellm"):
            raise ConfigError(f"export to uni-api or litellm (gpt-load goes through its admin API), not {target!r}")
        module = uni_api if target == "uni-api" else litellm
        existing: dict[str, Any] | None = None
        if path is not None and path.exists():
            try:
                loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as exc:
                raise ConfigError(f"{path} cannot be read as YAML ({exc}); move it away or fix it") from None
            existing = loaded if isinstance(loaded, dict) else None
        config = module.build(await self._export_accounts(accounts, include_keys), existing)
        payload = await self.hooks.fire("config_generated", {"target": target, "config": config})
        config = payload.get("config", config)
        found = module.problems(config)
        if found:
            raise LlmError(f"the {target} configuration would not load: {'; '.join(found)}")
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        if path is None:
            return _views().ExportResult(target, text)

        def validate(candidate: Path) -> None:
            problems = module.problems(yaml.safe_load(candidate.read_text(encoding="utf-8")))
            if problems:
                raise ValueError("; ".join(problems))

        backup = await asyncio.to_thread(files.write_validated, path, text, validate)
        return _views().ExportResult(target, text, path=str(path), backup=str(backup or ""))

    async def export_gpt_load(
        self, url: str, admin_key: str = "", *, apply: bool = False, accounts: Sequence[str] | None = None
    ) -> ExportResult:
        """The admin API calls that make gpt-load serve the accounts; carried out with `apply`."""
        from core.llm.export import gpt_load

        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--url must be gpt-load's address (http://host:3001), got {url!r}")
        if apply and not admin_key:
            raise ConfigError(
                "applying needs gpt-load's admin key (AUTH_KEY): set GPT_LOAD_AUTH_KEY or give it on stdin"
            )
        chosen = await self._export_accounts(accounts, include_keys=True)
        admin = gpt_load.GptLoadAdmin(url, admin_key, self._client_http()) if admin_key else None
        existing = await admin.groups() if admin is not None else []
        calls = gpt_load.plan(chosen, existing)
        payload = await self.hooks.fire(
            "config_generated", {"target": "gpt-load", "config": [c.shown() for c in calls]}
        )
        del payload  # the plan is shown as hooks see it; the calls themselves are not changed by hooks
        text = gpt_load.render(calls)
        if not apply or admin is None:
            return _views().ExportResult("gpt-load", text)
        steps = await admin.apply(calls)
        return _views().ExportResult("gpt-load", text, applied=True, steps=tuple(steps))


def _price(info: str) -> tuple[float, float]:
    """(input, output) per million tokens, as the user set them on a model; (0, 0) = not set."""
    try:
        price = json.loads(info or "{}").get("price") or {}
        return float(price.get("input") or 0), float(price.get("output") or 0)
    except (ValueError, TypeError, AttributeError):
        return 0.0, 0.0


def health_summary(views: Sequence[HealthView]) -> tuple[int, int]:
    """(passed, failed)."""
    passed = sum(1 for v in views if v.ok)
    return passed, len(views) - passed


__all__ = ["KINDS", "TARGETS", "LlmBook", "health_summary"]

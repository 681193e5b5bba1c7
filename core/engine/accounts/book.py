"""Accounts of every provider: secrets from the keyring (or the environment), one session
each, logins made and kept fresh through the provider's Authenticator."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from core.config import Config
from core.errors import ConfigError, LoginExpiredError, SecretStoreError
from core.events import AccountStateChanged, EventBus, StateChanged
from core.providers.protocols import Authenticator, LoginResult, Provider, ProviderSession
from core.providers.registry import ProviderRegistry
from core.secrets import SecretStore
from core.store import repo
from core.store.db import Database
from core.store.models import Account, utcnow

log = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(hours=24)
SessionKey = tuple[str, int | None]


class AccountBook:
    """Hands out one provider session per account and keeps logins fresh.

    `account_id=None` is the provider's anonymous session, or the login its environment
    variable gives (process only, never stored).
    """

    def __init__(
        self, config: Config, db: Database, secrets: SecretStore, bus: EventBus, registry: ProviderRegistry
    ) -> None:
        self.config = config
        self.db = db
        self.secrets = secrets
        self.bus = bus
        self.registry = registry
        self._sessions: dict[SessionKey, ProviderSession] = {}
        self._env_secrets: dict[str, str | None] = {}

    def env_secret(self, provider: Provider) -> str | None:
        if provider.name not in self._env_secrets:
            self._env_secrets[provider.name] = provider.secret_from_environment()
        return self._env_secrets[provider.name]

    async def session(self, provider: Provider, account_id: int | None) -> ProviderSession:
        key = (provider.name, account_id)
        if key not in self._sessions:
            secret = self.env_secret(provider)
            if account_id is not None:
                account = await self.db.run(repo.get_account, account_id)
                if account is None:
                    raise LoginExpiredError(f"account {account_id} no longer exists; bind the source to another")
                secret = await asyncio.to_thread(self._load_secret, account, provider)
            self._sessions[key] = await provider.open_session(secret)
        return self._sessions[key]

    async def anonymous(self, provider: Provider) -> ProviderSession:
        """A fresh session without a login (login flows); the caller closes it."""
        return await provider.open_session(None)

    @property
    def api_calls(self) -> int:
        return sum(s.api_calls for s in self._sessions.values())

    def _load_secret(self, account: Account, provider: Provider) -> str:
        """Blocking (the keyring may be a D-Bus round trip, or ask to be unlocked): run off the loop."""
        try:
            secret = self.secrets.get(account.secret_ref) if account.secret_ref else None
        except SecretStoreError:
            if self.env_secret(provider) is not None:
                return self.env_secret(provider) or ""
            raise
        if secret is None:
            env = self.env_secret(provider)
            if env is not None:
                return env
            raise LoginExpiredError(f"no saved login for account {account.name}; log in again")
        return secret

    async def check(self, provider: Provider, account_id: int | None) -> None:
        """Before a round: renew the login once a day where the provider can, and confirm it."""
        if not isinstance(provider, Authenticator):
            return
        if account_id is None:
            if self.env_secret(provider) is None:
                return  # anonymous: public lists still sync
            session = await self.session(provider, None)
            try:
                await provider.check_login(session, refresh=False)
            except LoginExpiredError as exc:
                raise LoginExpiredError(f"the login in {provider.login_variable} is not valid: {exc}") from None
            return
        account = await self.db.run(repo.get_account, account_id)
        if account is None:
            raise LoginExpiredError(f"account {account_id} no longer exists; bind the source to another")
        session = await self.session(provider, account_id)
        due = account.last_refresh_at is None or utcnow() - account.last_refresh_at > REFRESH_EVERY
        try:
            check = await provider.check_login(session, refresh=due)
        except LoginExpiredError as exc:
            await self.mark_expired(account_id, str(exc))
            raise
        if check.secret is not None:
            await asyncio.to_thread(self.secrets.set, account.secret_ref, check.secret)
            log.info("renewed the login of %s", account.name)
        profile = check.profile
        fields = {"state": "ok", "last_check_at": utcnow(), "user_name": profile.name, "avatar": profile.avatar,
                  "vip": profile.vip, **({"last_refresh_at": utcnow()} if due else {})}  # fmt: skip
        await self.db.run(repo.update_account, account_id, **fields)
        if account.state != "ok":
            self.bus.publish(AccountStateChanged(account_id, "ok", ""))

    async def mark_expired(self, account_id: int, message: str) -> None:
        await self.db.run(repo.update_account, account_id, state="expired")
        for key in [k for k in self._sessions if k[1] == account_id]:
            await self._sessions.pop(key).aclose()
        log.warning("the login of account %s expired: %s", account_id, message)
        self.bus.publish(AccountStateChanged(account_id, "expired", message or "login expired"))

    def authenticator(self, provider_name: str) -> Authenticator:
        provider = self.registry.for_stored(provider_name)
        if not isinstance(provider, Authenticator):
            raise ConfigError(f"{provider.display_name} has no login")
        return provider

    async def save_login(self, provider_name: str, result: LoginResult, name: str = "") -> Account:
        """Store a confirmed login: a new account, or a new login of one already known."""
        profile = result.profile
        existing = await self.db.run(repo.find_account, provider_name, profile.user_id)
        fields = dict(
            user_name=profile.name, avatar=profile.avatar, vip=profile.vip, server_url=profile.server_url,
            state="ok", last_check_at=utcnow(), last_refresh_at=utcnow(),
        )  # fmt: skip
        if existing is not None:
            await asyncio.to_thread(self.secrets.set, existing.secret_ref, result.secret)
            await self.db.run(repo.update_account, existing.id, **({"name": name} if name else {}), **fields)
            account_id = existing.id or 0
        else:
            account = Account(provider=provider_name, name=name or profile.name, user_id=profile.user_id, **fields)
            account_id = (await self.db.run(repo.add_account, account)).id or 0
            ref = f"{provider_name}/account/{account_id}"
            try:
                await asyncio.to_thread(self.secrets.set, ref, result.secret)
            except SecretStoreError:
                await self.db.run(repo.delete_account, account_id)
                raise
            await self.db.run(repo.update_account, account_id, secret_ref=ref)
        for key in [k for k in self._sessions if k[1] == account_id]:
            await self._sessions.pop(key).aclose()
        log.info("logged in to %s as %s (account %s)", provider_name, profile.name, account_id)
        self.bus.publish(StateChanged("accounts", (account_id,)))
        self.bus.publish(AccountStateChanged(account_id, "ok", ""))
        saved = await self.db.run(repo.get_account, account_id)
        assert saved is not None
        return saved

    async def forget(self, account_id: int) -> None:
        account = await self.db.run(repo.get_account, account_id)
        if account is None:
            raise ConfigError(f"there is no account {account_id} (see `syncdeck account list`)")
        if account.secret_ref:
            await asyncio.to_thread(self.secrets.delete, account.secret_ref)
        await self.db.run(repo.delete_account, account_id)
        for key in [k for k in self._sessions if k[1] == account_id]:
            await self._sessions.pop(key).aclose()
        self.bus.publish(StateChanged("accounts", (account_id,)))

    async def close(self) -> None:
        for session in self._sessions.values():
            await session.aclose()
        self._sessions.clear()

"""Bilibili accounts: credentials from the keyring (or the environment), one client each."""

from __future__ import annotations

import logging
from datetime import timedelta

from core.config import Config
from core.errors import LoginExpiredError, SecretStoreError
from core.events import EventBus, LoginExpired, StateChanged
from core.net import NetOptions, RateLimiter
from core.providers.bilibili import api, login
from core.providers.bilibili.client import BiliClient, BiliHosts
from core.providers.bilibili.models import Credential, NavInfo
from core.secrets import SecretStore, credential_from_env, load_bilibili_credential, save_bilibili_credential
from core.store import repo
from core.store.db import Database
from core.store.models import Account, utcnow

log = logging.getLogger(__name__)

REFRESH_EVERY = timedelta(hours=24)


def net_options(config: Config) -> NetOptions:
    return NetOptions(proxy=config["net.proxy"], ca_bundle=config["net.ca_bundle"], timeout=config["net.timeout_s"])


def bili_hosts(config: Config) -> BiliHosts:
    return BiliHosts(
        api=config["bilibili.api_host"],
        passport=config["bilibili.passport_host"],
        www=config["bilibili.www_host"],
        comment=config["bilibili.comment_host"],
        b23=config["bilibili.b23_host"],
    )


class AccountBook:
    """Hands out one BiliClient per account and keeps logins fresh.

    All clients share one API rate limiter: the limit protects the IP, not the account.
    `account_id=None` is the anonymous client, or the `SYNCDECK_BILIBILI_COOKIE` login when
    that variable is set (process only, never stored).
    """

    def __init__(self, config: Config, db: Database, secrets: SecretStore, bus: EventBus) -> None:
        self.config = config
        self.db = db
        self.secrets = secrets
        self.bus = bus
        self.limiter = RateLimiter(config["limits.api_calls"], config["limits.api_window_ms"] / 1000)
        self._clients: dict[int | None, BiliClient] = {}
        self.env_credential = credential_from_env()

    def _new_client(self, credential: Credential | None) -> BiliClient:
        return BiliClient(
            hosts=bili_hosts(self.config),
            net=net_options(self.config),
            credential=credential,
            limiter=self.limiter,
        )

    async def client(self, account_id: int | None) -> BiliClient:
        if account_id not in self._clients:
            credential = self.env_credential
            if account_id is not None:
                account = await self.db.run(repo.get_account, account_id)
                if account is None:
                    raise LoginExpiredError(f"account {account_id} no longer exists; bind the source to another")
                credential = await self._load_secret(account)
            self._clients[account_id] = self._new_client(credential)
        return self._clients[account_id]

    def anonymous(self) -> BiliClient:
        return self._new_client(None)

    @property
    def api_calls(self) -> int:
        return sum(c.api_calls for c in self._clients.values())

    async def _load_secret(self, account: Account) -> Credential:
        try:
            credential = load_bilibili_credential(self.secrets, account.secret_ref)
        except SecretStoreError:
            if self.env_credential is not None:
                return self.env_credential
            raise
        if credential is None:
            if self.env_credential is not None:
                return self.env_credential
            raise LoginExpiredError(f"no saved login for account {account.name}; log in again")
        return credential

    async def check(self, account_id: int | None) -> NavInfo | None:
        """Before a round: refresh cookies once a day and confirm the login with `nav`."""
        client = await self.client(account_id)
        if account_id is None:
            if client.credential is None:
                return None  # anonymous: public lists still sync
            try:
                return await api.ensure_login(client)
            except LoginExpiredError as exc:
                raise LoginExpiredError(f"the login in SYNCDECK_BILIBILI_COOKIE is not valid: {exc}") from None
        account = await self.db.run(repo.get_account, account_id)
        assert account is not None
        due = account.last_refresh_at is None or utcnow() - account.last_refresh_at > REFRESH_EVERY
        try:
            if due:
                await self._refresh(account, client, strict=False)
            try:
                nav = await api.ensure_login(client)
            except LoginExpiredError:
                if due or client.credential is None or not client.credential.ac_time_value:
                    raise
                await self._refresh(account, client, strict=True)  # expired: one refresh, then judge
                nav = await api.ensure_login(client)
        except LoginExpiredError as exc:
            await self.mark_expired(account_id, str(exc))
            raise
        await self.db.run(
            repo.update_account, account_id, state="ok", last_check_at=utcnow(), uname=nav.uname,
            face=nav.face, vip_type=nav.vip_type, vip_status=nav.vip_status,
        )  # fmt: skip
        return nav

    async def _refresh(self, account: Account, client: BiliClient, *, strict: bool) -> None:
        """Bilibili's cookie refresh; the new cookies and token go straight back to the keyring.

        Not strict (the daily refresh): a refresh that cannot run is logged and the current
        login is still tried, since it is often valid for a while longer.
        """
        try:
            refreshed = await login.refresh_if_needed(client)
        except LoginExpiredError as exc:
            if strict:
                raise
            log.warning("could not refresh the login of %s: %s", account.name, exc)
            return
        if refreshed:
            assert client.credential is not None
            save_bilibili_credential(self.secrets, account.secret_ref, client.credential)
            log.info("refreshed the login of %s", account.name)
        await self.db.run(repo.update_account, account.id, last_refresh_at=utcnow())

    async def mark_expired(self, account_id: int, message: str) -> None:
        await self.db.run(repo.update_account, account_id, state="expired")
        self._clients.pop(account_id, None)
        self.bus.publish(LoginExpired(account_id, message or "login expired"))

    async def save_login(self, credential: Credential, name: str = "") -> Account:
        """Verify a credential with `nav`, then store it (new account, or re-login of a known one)."""
        client = self._new_client(credential)
        try:
            nav = await api.ensure_login(client)
        finally:
            await client.aclose()
        existing = await self.db.run(repo.find_account_by_mid, nav.mid)
        fields = dict(
            uname=nav.uname, face=nav.face, vip_type=nav.vip_type, vip_status=nav.vip_status,
            state="ok", last_check_at=utcnow(), last_refresh_at=utcnow(),
        )  # fmt: skip
        if existing is not None:
            save_bilibili_credential(self.secrets, existing.secret_ref, credential)
            await self.db.run(repo.update_account, existing.id, **({"name": name} if name else {}), **fields)
            account_id = existing.id
        else:
            account = await self.db.run(repo.add_account, Account(name=name or nav.uname, mid=nav.mid, **fields))
            account_id = account.id
            ref = f"bilibili/account/{account_id}"
            try:
                save_bilibili_credential(self.secrets, ref, credential)
            except SecretStoreError:
                await self.db.run(repo.delete_account, account_id)
                raise
            await self.db.run(repo.update_account, account_id, secret_ref=ref)
        old = self._clients.pop(account_id, None)
        if old is not None:
            await old.aclose()
        self.bus.publish(StateChanged("accounts", (account_id,)))
        result = await self.db.run(repo.get_account, account_id)
        assert result is not None
        return result

    async def forget(self, account_id: int) -> None:
        account = await self.db.run(repo.get_account, account_id)
        if account is None:
            return
        if account.secret_ref:
            self.secrets.delete(account.secret_ref)
        await self.db.run(repo.delete_account, account_id)
        client = self._clients.pop(account_id, None)
        if client is not None:
            await client.aclose()
        self.bus.publish(StateChanged("accounts", (account_id,)))

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

"""ServerBook: media server accounts of any provider that logs in with a password and can
browse and search (Alist, OpenList, Emby, Jellyfin…), without knowing which one it is.

Places on a server are written `ACCOUNT:PATH`, ACCOUNT being an account's id or name:
`2:/Movies`, `nas:/Movies/Film.mkv`. Paths are normalised, and one that climbs above the
server's root with `..` is refused.
"""

from __future__ import annotations

import asyncio
import logging
import posixpath
from typing import TYPE_CHECKING, Any

from core.engine.feature import FeatureService
from core.engine.servers.views import BrowsePage, ServerEntry, ServerRef
from core.engine.views import AccountView
from core.errors import ConfigError, LoginExpiredError, UnavailableError
from core.providers.protocols import (
    Authenticator,
    FolderBrowser,
    FolderPasswords,
    LoginMethod,
    MediaItem,
    Provider,
    ProviderSession,
    Searcher,
    SourcePreview,
    SourceScanner,
    SourceTarget,
)

if TYPE_CHECKING:
    from core.store.models import Account

log = logging.getLogger(__name__)


def normalise_path(path: str) -> str:
    """`/a/./b/../c/` → `/a/c`; ConfigError when `..` climbs above the root."""
    text = path.strip().replace("\\", "/")
    lead = "/" if text.startswith("/") else ""
    parts: list[str] = []
    for segment in text.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                raise ConfigError(f"{path!r} leads outside the server's root folder")
            parts.pop()
        else:
            parts.append(segment)
    return lead + "/".join(parts) or lead


def path_inside(root: str, sub: str) -> str:
    """`sub` (relative to `root`, e.g. a dynamic folder's) as a full path; ConfigError when it
    leads out of `root` ("../x", "/../x")."""
    base = normalise_path(root)
    inner = normalise_path(sub.lstrip("/\\"))  # relative: its ".." may not climb above `root`
    if not inner:
        return base
    return (base.rstrip("/") + "/" + inner) if base else inner


def _item_json(item: MediaItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    from core.providers.serial import item_to_dict

    return item_to_dict(item)


class ServerBook(FeatureService):
    """Built with every engine, so it must stay cheap: nothing happens before the first call."""

    # ------------------------------------------------------------ providers and accounts

    def server_providers(self) -> list[Provider]:
        """Providers with a password login and folders: the kinds of server one can add."""
        return [
            p
            for p in self.registry.capable(FolderBrowser)
            if isinstance(p, Authenticator) and LoginMethod.PASSWORD in p.login_methods
        ]

    def _account_view(self, a: Account) -> AccountView:
        try:
            provider_name = self.registry.for_stored(a.provider).display_name
        except ConfigError:
            provider_name = a.provider
        return AccountView(
            id=a.id or 0, provider=a.provider, provider_name=provider_name, name=a.name, user_id=a.user_id,
            user_name=a.user_name, avatar=a.avatar, vip=a.vip, server_url=a.server_url, state=a.state,
            last_check_at=a.last_check_at,
        )  # fmt: skip

    async def server_accounts(self) -> list[AccountView]:
        from core.store import repo

        kinds = {p.name for p in self.server_providers()}
        return [self._account_view(a) for a in await self.db.run(repo.list_accounts) if a.provider in kinds]

    async def _find_account(self, account: int | str) -> Account | None:
        from core.store import repo

        text = str(account).strip()
        kinds = {p.name for p in self.server_providers()}
        accounts = [a for a in await self.db.run(repo.list_accounts) if a.provider in kinds]
        if text.isdigit():
            found = next((a for a in accounts if a.id == int(text)), None)
            if found is not None:
                return found
        named = [a for a in accounts if a.name == text] or [a for a in accounts if a.name.lower() == text.lower()]
        if len(named) > 1:
            raise ConfigError(f"{len(named)} server accounts are named {text!r}: use the account's id")
        return named[0] if named else None

    async def _account(self, account: int | str) -> Account:
        found = await self._find_account(account)
        if found is None:
            raise ConfigError(f"there is no server account {account!r} (see `syncdeck account list`)")
        return found

    async def _session(self, account: Account) -> tuple[Provider, ProviderSession]:
        provider = self.registry.for_stored(account.provider)
        return provider, await self.logins.session(provider, account.id)

    # ------------------------------------------------------------ login

    async def login(self, provider_name: str, server_url: str, user: str, password: str, name: str = "") -> AccountView:
        """Log in to a server and keep the account (its secret in the keyring only). Raises
        LoginExpiredError for a wrong password, TransientError for a server that cannot be
        reached, InvalidResponseError for one that is not of that kind."""
        provider = self.registry.for_stored(provider_name)
        if provider not in self.server_providers():
            kinds = ", ".join(p.name for p in self.server_providers()) or "none"
            raise ConfigError(f"{provider.display_name} is not a server one logs in to with a password ({kinds})")
        assert isinstance(provider, Authenticator)
        fields = {"server": server_url, "username": user, "password": password}
        result = await provider.login_with(LoginMethod.PASSWORD, fields)
        account = await self.logins.save_login(provider.name, result, name)
        return self._account_view(account)

    # ------------------------------------------------------------ references

    async def _split(self, text: str) -> tuple[Account, str] | None:
        """The account named before a colon and the rest; an account's name may hold colons
        itself ("alice@nas:5244"), so every colon is tried from the left."""
        text = text.strip()
        if "://" in text:
            return None  # a link, not ACCOUNT:PATH
        for at in [i for i, c in enumerate(text) if c == ":"]:
            name = text[:at].strip()
            if name and (account := await self._find_account(name)) is not None:
                return account, text[at + 1 :]
        return None

    async def resolve_ref(self, text: str) -> ServerRef:
        """`ACCOUNT:PATH` → the account, its provider and the normalised path (ConfigError
        for an unknown account or a path that leaves the root)."""
        found = await self._split(text)
        if found is None:
            raise ConfigError(
                f"{text!r} is not ACCOUNT:PATH of a server account (e.g. 2:/Movies, or the account's name before "
                "the colon; see `syncdeck account list`)"
            )
        account, path = found
        return ServerRef(account.id or 0, account.provider, normalise_path(path))

    async def claims_ref(self, text: str) -> bool:
        """Does `text` start with the id or name of a server account and a colon?"""
        try:
            return await self._split(text) is not None
        except ConfigError:
            return True  # an ambiguous name: resolve_ref says so

    # ------------------------------------------------------------ browse and search

    async def _guarded(self, account: Account, call: Any) -> Any:
        try:
            return await call
        except LoginExpiredError as exc:
            await self.logins.mark_expired(account.id or 0, str(exc))
            raise

    def _entry(self, account: Account, key: str, title: str, is_folder: bool, size: int,
               item: MediaItem | None) -> ServerEntry:  # fmt: skip
        return ServerEntry(account_id=account.id or 0, provider=account.provider, key=key, title=title,
                           is_folder=is_folder, size=size, item_json=_item_json(item))  # fmt: skip

    async def browse(self, account_ref: int | str, path: str = "", page: int = 1, per_page: int = 200) -> BrowsePage:
        """One page of a folder ("" or "/" is the top). FolderPasswordError for a locked folder:
        ask for its password and call `unlock`."""
        account = await self._account(account_ref)
        path = normalise_path(path)
        provider, session = await self._session(account)
        if not isinstance(provider, FolderBrowser):
            raise ConfigError(f"{provider.display_name} has no folders to browse")
        page, per_page = max(page, 1), max(per_page, 1)
        listing = await self._guarded(account, provider.browse(session, path, page, per_page))
        entries = tuple(self._entry(account, e.key, e.title, e.is_folder, e.size, e.item) for e in listing.entries)
        return BrowsePage(account.id or 0, account.provider, path, entries, listing.total, page, per_page)

    async def search(self, account_ref: int | str, query: str, page: int = 1) -> list[ServerEntry]:
        """Playable items whose names match, anywhere the account may look."""
        account = await self._account(account_ref)
        if not query.strip():
            raise ConfigError("give something to search for")
        provider, session = await self._session(account)
        if not isinstance(provider, Searcher):
            raise ConfigError(f"{provider.display_name} cannot search")
        items = await self._guarded(account, provider.search(session, query.strip(), max(page, 1)))
        return [self._entry(account, i.key, i.title, False, int(i.details.get("size", 0) or 0), i) for i in items]

    async def lookup(self, ref: str) -> ServerEntry:
        """The entry `ACCOUNT:PATH` names, found in its parent folder (path-like keys)."""
        where = await self.resolve_ref(ref)
        parent = posixpath.dirname(where.path.rstrip("/")) or "/"
        page = 1
        while True:
            listing = await self.browse(where.account_id, parent, page, 500)
            for entry in listing.entries:
                if normalise_path(entry.key) == where.path:
                    return entry
            if not listing.has_more:
                raise ConfigError(f"{where.path} is not on the server of account {where.account_id}")
            page += 1

    async def unlock(self, account_ref: int | str, folder: str, password: str) -> None:
        """Give a locked folder's password: checked at once, kept in the keyring (with the
        account's login) when right; FolderPasswordError(wrong=True) when not."""
        account = await self._account(account_ref)
        provider, session = await self._session(account)
        if not isinstance(provider, FolderPasswords) or not isinstance(provider, FolderBrowser):
            raise ConfigError(f"{provider.display_name} has no folder passwords")
        folder = normalise_path(folder)
        secret = provider.unlock_folder(session, folder, password)
        try:  # a wrong password raises FolderPasswordError(wrong=True) here and is not kept
            await self._guarded(account, provider.browse(session, folder, 1, 1))
        except UnavailableError as exc:  # a file rather than a folder: playing it will tell
            log.debug("folder password for %s not checked by listing: %s", folder, exc)
        if account.secret_ref:
            await asyncio.to_thread(self.secrets.set, account.secret_ref, secret)
        log.info("kept the folder password of %s for account %s", folder, account.id)

    # ------------------------------------------------------------ mirroring a folder

    async def source_target(self, text: str) -> tuple[Provider, SourcePreview, int] | None:
        """`ACCOUNT:PATH` as a source to mirror (for the sources book), or None when `text`
        names no server account (then it is a link for the providers' parsers)."""
        if not await self.claims_ref(text):
            return None
        where = await self.resolve_ref(text)
        account = await self._account(where.account_id)
        provider = self.registry.for_stored(account.provider)
        if not isinstance(provider, SourceScanner):
            raise ConfigError(f"{provider.display_name} folders cannot be mirrored")
        listing = await self.browse(account.id or 0, where.path, 1, 1)
        title = posixpath.basename(where.path.rstrip("/")) or account.name
        target = SourceTarget(provider=provider.name, locator=where.path, kind="folder",
                              kind_label=provider.display_name, needs_login=True)  # fmt: skip
        return provider, SourcePreview(target=target, title=title, owner=None, count=listing.total), account.id or 0

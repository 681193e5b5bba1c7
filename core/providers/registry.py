"""Which providers exist, and which of them can do what.

Callers ask for a capability ("who parses this text?", "who can resolve playback?"), never
for a provider by name, except for rows that stored a provider's name (`for_stored`).
Adding a provider is one line in `PROVIDERS`; its module is imported only when a registry
is built, so `syncdeck --help` does not pay for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

from core.errors import ConfigError, LinkError
from core.providers.protocols import (
    Authenticator,
    DanmakuSource,
    FolderBrowser,
    ItemParser,
    LinkParser,
    LoginMethod,
    PlaybackResolver,
    Provider,
    Searcher,
    SourceScanner,
    SubtitleSource,
)

if TYPE_CHECKING:
    from core.config import Config

# "module:Class", one provider a line.
PROVIDERS: list[str] = [
    "core.providers.bilibili.provider:BilibiliProvider",
    "core.providers.alist.provider:AlistProvider",
    "core.providers.alist.provider:OpenListProvider",
    "core.providers.emby.provider:EmbyProvider",
    "core.providers.emby.provider:JellyfinProvider",
    "core.providers.direct.provider:DirectProvider",
    "core.providers.local.provider:LocalProvider",
    "core.providers.torrent.provider:TorrentSourceProvider",
]

# The capability protocols by the names `describe` reports, in the order panels list them.
CAPABILITIES: dict[str, type] = {
    "parse": LinkParser,
    "scan": SourceScanner,
    "playback": PlaybackResolver,
    "danmaku": DanmakuSource,
    "subtitles": SubtitleSource,
    "browse": FolderBrowser,
    "search": Searcher,
    "login": Authenticator,
}

_Capability = TypeVar("_Capability")


class ProviderInfo(NamedTuple):
    """What the command line and the settings show about one provider."""

    name: str
    display_name: str
    capabilities: tuple[str, ...]  # keys of CAPABILITIES
    login_methods: tuple[LoginMethod, ...]
    link_help: str  # the links it accepts ("" when it parses none)


def _load(entry: str | type) -> type:
    if isinstance(entry, type):
        return entry
    module_name, _, class_name = entry.partition(":")
    return cast(type, getattr(importlib.import_module(module_name), class_name))


class ProviderRegistry:
    """One instance of every provider, built from the settings, answering capability questions.

    `provider_classes` entries are classes or "module:Class" names (tests add their own).
    """

    def __init__(self, config: Config, provider_classes: Sequence[str | type] = PROVIDERS) -> None:
        self._providers: list[Any] = []
        by_name: dict[str, Any] = {}
        for entry in provider_classes:
            provider = _load(entry)(config)
            if provider.name in by_name:
                raise ConfigError(f"two providers are named {provider.name!r}")
            by_name[provider.name] = provider
            self._providers.append(provider)
        self._by_name = by_name

    def all(self) -> list[Provider]:
        return list(self._providers)

    def capable(self, protocol: type[_Capability]) -> list[_Capability]:
        """The providers that implement `protocol` (one of `core.providers.protocols`)."""
        return [provider for provider in self._providers if isinstance(provider, protocol)]

    def parser_for(self, text: str) -> LinkParser:
        """The first provider that claims `text`; LinkError listing every accepted form otherwise."""
        parsers = self.capable(LinkParser)
        for parser in parsers:
            if parser.claims(text):
                return parser
        shown = text.strip()
        shown = shown if len(shown) <= 200 else shown[:200] + "…"
        helps = "\n\n".join(parser.link_help for parser in parsers) or "No installed provider reads links."
        if not shown:
            raise LinkError(f"Nothing was given to add.\n\n{helps}")
        raise LinkError(f"No provider can use {shown!r}.\n\n{helps}")

    def item_parser_for(self, text: str) -> ItemParser:
        """The provider that claims `text` as a link to something that plays. Providers that
        claim any URL (`fallback_item_parser`, e.g. direct links) are asked last, whatever
        their place in PROVIDERS; LinkError listing every accepted form when none claims it."""
        parsers = sorted(self.capable(ItemParser), key=lambda p: bool(getattr(p, "fallback_item_parser", False)))
        for parser in parsers:
            if parser.claims_item(text):
                return parser
        shown = text.strip()
        shown = shown if len(shown) <= 200 else shown[:200] + "…"
        helps = "\n\n".join(getattr(p, "item_help", "") for p in parsers if getattr(p, "item_help", ""))
        helps = helps or "No installed provider plays links."
        if not shown:
            raise LinkError(f"Nothing was given to play.\n\n{helps}")
        raise LinkError(f"No provider can play {shown!r}.\n\n{helps}")

    def for_stored(self, name: str) -> Provider:
        """The provider whose name a source, an account or an item stored."""
        provider = self._by_name.get(name)
        if provider is None:
            installed = ", ".join(self._by_name) or "none"
            raise ConfigError(
                f"this needs the {name!r} provider, which this SyncDeck does not have (installed: {installed})"
            )
        return cast(Provider, provider)

    def describe(self) -> list[ProviderInfo]:
        return [
            ProviderInfo(
                name=provider.name,
                display_name=provider.display_name,
                capabilities=tuple(key for key, protocol in CAPABILITIES.items() if isinstance(provider, protocol)),
                login_methods=tuple(provider.login_methods) if isinstance(provider, Authenticator) else (),
                link_help=provider.link_help if isinstance(provider, LinkParser) else "",
            )
            for provider in self._providers
        ]

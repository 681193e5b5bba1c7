from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from typing import Any

import httpx

from core.errors import ConfigError

BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


@dataclass(frozen=True)
class NetOptions:
    """Network settings from config. Empty strings mean "use the environment".

    httpx already honours HTTP(S)_PROXY / ALL_PROXY / NO_PROXY and SSL_CERT_FILE when
    `trust_env` is on; an explicit `proxy` or `ca_bundle` setting wins over them.
    """

    proxy: str = ""
    ca_bundle: str = ""
    timeout: float = 10.0
    trust_env: bool = True


def net_options(settings: Any) -> NetOptions:
    """The network settings (`net.*`) of a config, as options for `make_client`."""
    return NetOptions(
        proxy=settings["net.proxy"], ca_bundle=settings["net.ca_bundle"], timeout=settings["net.timeout_s"]
    )


def _ssl_context(options: NetOptions) -> ssl.SSLContext | bool:
    cafile = options.ca_bundle or (os.environ.get("SSL_CERT_FILE", "") if options.trust_env else "")
    if not cafile:
        return True
    if not os.path.isfile(cafile):
        raise ConfigError(f"CA bundle not found: {cafile}")
    return ssl.create_default_context(cafile=cafile)


def make_client(
    options: NetOptions,
    *,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    follow_redirects: bool = True,
    max_connections: int = 100,
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        headers={"User-Agent": BROWSER_UA, **(headers or {})},
        cookies=cookies,
        proxy=options.proxy or None,
        verify=_ssl_context(options),
        trust_env=options.trust_env,
        timeout=httpx.Timeout(options.timeout, connect=options.timeout),
        follow_redirects=follow_redirects,
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
    )

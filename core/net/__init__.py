"""Shared HTTP setup: one place decides proxy, CA bundle, timeouts and browser headers."""

from core.net.client import BROWSER_UA, NetOptions, make_client, net_options
from core.net.limiter import RateLimiter

__all__ = ["BROWSER_UA", "NetOptions", "RateLimiter", "make_client", "net_options"]

"""The shared path of every API request: count it, apply scenario faults, check WBI, answer."""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.bilibili import wbi
from tests.fakes.bilibili.responses import BodySender, error, html, voucher_response
from tests.fakes.bilibili.scenario import FaultRule
from tests.fakes.bilibili.state import FakeState, Session


@dataclass
class Call:
    """One API request as a handler sees it."""

    request: Request
    state: FakeState
    empty_dash: bool = False  # the `empty_dash` risk kind fired for this call

    @property
    def session(self) -> Session | None:
        return self.state.session_for(self.request.cookies.get("SESSDATA"))

    def param(self, name: str, default: str = "") -> str:
        return self.request.query_params.get(name, default)

    async def form(self) -> dict[str, str]:
        """An application/x-www-form-urlencoded body (the passport POSTs), first value per key."""
        fields = urllib.parse.parse_qsl((await self.request.body()).decode(), keep_blank_values=True)
        return dict(reversed(fields))

    def int_param(self, name: str, default: int | None = None) -> int | None:
        value = self.request.query_params.get(name, "")
        try:
            return int(value)
        except ValueError:
            return default


Handler = Callable[[Call], Awaitable[Response]]


def is_bilibili_url(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host == "bilibili.com" or host.endswith(".bilibili.com")


def fault_response(rule: FaultRule) -> Response | None:
    """The answer a firing rule forces, or None when the rule only changes the normal answer."""
    match rule.kind:
        case "-352":
            return voucher_response(-352)
        case "v_voucher":
            return voucher_response(0)
        case "-412" | "-799":
            return error(int(rule.kind))
        case "http412":
            return error(-412, status=412)
        case "http403":
            return html(403, "Forbidden")
        case "http5xx":
            return html(rule.status, "Service Unavailable")
        case "code":
            return error(rule.code)
    return None


async def run_faults(state: FakeState, endpoint: str, category: str) -> tuple[Response | None, list[FaultRule]]:
    """Apply the delays of the firing rules; return the forced answer (if any) and the rules."""
    rules = state.firing_rules(endpoint, category)
    delay = sum(rule.seconds for rule in rules if rule.kind == "delay")
    if delay:
        await asyncio.sleep(delay)
    forced = next((response for rule in rules if (response := fault_response(rule)) is not None), None)
    return forced, rules


def cut_short(response: Response, rules: Sequence[FaultRule]) -> Response:
    truncate = next((rule for rule in rules if rule.kind == "truncate"), None)
    if truncate is None:
        return response
    headers = {key: value for key, value in response.headers.items() if key != "content-length"}
    return BodySender(response.body, response.status_code, headers, cut_at=int(len(response.body) * truncate.fraction))


def api_route(
    state: FakeState,
    path: str,
    handler: Handler,
    *,
    counter: str | None = None,
    methods: Sequence[str] = ("GET",),
    wbi_signed: bool = False,
) -> Route:
    """A route counted under `counter` (default: the path) that honours the scenario knobs."""
    name = counter or path

    async def endpoint(request: Request) -> Response:
        state.counters.calls[name] += 1
        forced, rules = await run_faults(state, name, "api")
        if forced is not None:
            return cut_short(forced, rules)
        if wbi_signed and not wbi.verify(request.query_params.multi_items(), *state.wbi_keys()):
            return voucher_response(-352)
        call = Call(request, state, empty_dash=any(rule.kind == "empty_dash" for rule in rules))
        return cut_short(await handler(call), rules)

    return Route(path, endpoint, methods=list(methods), name=name)

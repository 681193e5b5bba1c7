"""gpt-load (v1.x) groups and keys through its admin API: a plan of calls, then carried out.

gpt-load reads no config file for groups: they live in its database and change only through
`/api/groups` and `/api/keys/add-multiple` (admin key as `Authorization: Bearer`). Each account
becomes one standard group named by uni-load's rule (`^[a-z0-9_-]{1,100}$`) whose upstream is
the account's server root (gpt-load appends the path clients call, e.g. /v1/chat/completions),
with the renames as `model_redirect_rules`. A group of that name already there is updated.

Models that several accounts of one channel type serve also get an aggregate group
(`agg-<model>`) over those groups. Applying is all or nothing: if a call fails, groups created
so far are deleted and groups updated get their previous body back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.errors import LlmError
from core.llm.export import ExportAccount
from core.llm.names import safe_group_name
from core.secrets import redact


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any]
    group: str  # the group it concerns
    secret_keys: tuple[str, ...] = field(default=(), repr=False)  # filled into keys_text when applied
    members: tuple[str, ...] = ()  # sub-groups of an aggregate group, by name

    def shown(self) -> dict[str, Any]:
        body = dict(self.body)
        if self.secret_keys and "keys_text" in body:
            body["keys_text"] = f"<{len(self.secret_keys)} key(s) from the keyring>"
        return {"method": self.method, "path": self.path, "body": body}


def group_body(account: ExportAccount) -> dict[str, Any]:
    root = account.api_base.removesuffix("/v1") if account.kind == "openai" else account.api_base
    redirects = {m.name: m.upstream for m in account.models if m.name != m.upstream}
    test_model = next((m.upstream for m in account.models), "")
    body: dict[str, Any] = {
        "name": safe_group_name(account.name),
        "display_name": account.name,
        "description": "managed by SyncDeck",
        "group_type": "standard",
        "upstreams": [{"url": root, "weight": 1}],
        "channel_type": "gemini" if account.kind == "gemini" else "openai",
        "sort": 20,
        "test_model": test_model.removeprefix("models/"),
    }
    if redirects:
        body["model_redirect_rules"] = redirects
    return body


def plan(accounts: Sequence[ExportAccount], existing: Sequence[dict[str, Any]] = ()) -> list[Call]:
    """The calls that make gpt-load match the accounts; `existing` is what GET /api/groups gave."""
    by_name = {g.get("name"): g for g in existing}
    calls: list[Call] = []
    for account in accounts:
        body = group_body(account)
        name = body["name"]
        if name in by_name:
            calls.append(Call("PUT", f"/api/groups/{by_name[name]['id']}", body, name))
        else:
            calls.append(Call("POST", "/api/groups", body, name))
        if account.keys:
            calls.append(Call("POST", "/api/keys/add-multiple", {"group_id": f"<id of {name}>", "keys_text": ""},
                              name, secret_keys=tuple(account.keys)))  # fmt: skip
    calls += _aggregates(accounts, by_name)
    return calls


def _aggregates(accounts: Sequence[ExportAccount], by_name: dict[Any, dict[str, Any]]) -> list[Call]:
    """One aggregate group per model that several accounts of one channel type serve, so a
    client asks `/proxy/agg-<model>/…` and gpt-load balances across them (each sub-group maps
    the model's name to its own upstream id through its redirects)."""
    served: dict[tuple[str, str], list[str]] = {}
    for account in accounts:
        channel = "gemini" if account.kind == "gemini" else "openai"
        for model in account.models:
            groups = served.setdefault((channel, model.name), [])
            if safe_group_name(account.name) not in groups:
                groups.append(safe_group_name(account.name))
    calls: list[Call] = []
    for (channel, model_name), members in sorted(served.items()):
        if len(members) < 2:
            continue
        name = safe_group_name(f"agg-{model_name}")
        body = {"name": name, "display_name": model_name, "description": "managed by SyncDeck",
                "group_type": "aggregate", "channel_type": channel, "sort": 40}  # fmt: skip
        if name in by_name:
            calls.append(Call("PUT", f"/api/groups/{by_name[name]['id']}", body, name))
        else:
            calls.append(Call("POST", "/api/groups", body, name))
        sub_groups = [{"group_id": f"<id of {m}>", "weight": 100} for m in members]
        calls.append(Call("POST", f"/api/groups/<id of {name}>/sub-groups", {"sub_groups": sub_groups}, name,
                          members=tuple(members)))  # fmt: skip
    return calls


def render(calls: Sequence[Call]) -> str:
    return json.dumps([c.shown() for c in calls], ensure_ascii=False, indent=2)


class GptLoadAdmin:
    def __init__(self, url: str, admin_key: str, http: httpx.AsyncClient) -> None:
        self.url = url.rstrip("/")
        self.admin_key = admin_key
        self.http = http

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        try:
            response = await self.http.request(method, f"{self.url}{path}", json=body,
                                               headers={"Authorization": f"Bearer {self.admin_key}"})  # fmt: skip
        except httpx.TransportError as exc:
            raise LlmError(f"gpt-load at {self.url} cannot be reached ({type(exc).__name__})") from None
        try:
            data = response.json()
        except ValueError:
            data = {"code": response.status_code, "message": response.text[:200]}
        if response.status_code >= 400 or data.get("code") not in (0, None):
            message = redact(str(data.get("message") or f"HTTP {response.status_code}")).replace(self.admin_key, "***")
            raise LlmError(f"gpt-load refused {method} {path}: {message}")
        return data.get("data")

    async def groups(self) -> list[dict[str, Any]]:
        return list(await self.call("GET", "/api/groups") or [])

    async def apply(self, calls: Sequence[Call]) -> list[str]:
        before = {g["name"]: g for g in await self.groups()}
        created: list[int] = []
        updated: list[dict[str, Any]] = []
        ids = {name: g["id"] for name, g in before.items()}
        done: list[str] = []
        try:
            for c in calls:
                body = dict(c.body)
                if c.members:
                    result = await self._add_members(ids, c, c.group in before)
                    done.append(f"{c.group}: {result}")
                elif c.path == "/api/keys/add-multiple":
                    body = {"group_id": ids[c.group], "keys_text": "\n".join(c.secret_keys)}
                    result = await self.call("POST", c.path, body)
                    done.append(
                        f"{c.group}: {len(c.secret_keys)} key(s) sent, {(result or {}).get('added_count', 0)} new"
                    )
                elif c.method == "POST":
                    group = await self.call("POST", c.path, body)
                    ids[c.group] = group["id"]
                    created.append(group["id"])
                    done.append(f"{c.group}: group created (id {group['id']})")
                else:
                    updated.append(before[c.group])
                    await self.call("PUT", c.path, body)
                    done.append(f"{c.group}: group updated")
        except LlmError as exc:
            undo = await self._roll_back(created, updated)
            raise LlmError(f"{exc}; {undo}") from None
        return done

    async def _add_members(self, ids: dict[str, int], c: Call, existed: bool) -> str:
        group_id = ids[c.group]
        present: set[int] = set()
        if existed:
            listed = await self.call("GET", f"/api/groups/{group_id}/sub-groups") or []
            present = {int(s.get("group_id") or (s.get("group") or {}).get("id") or 0) for s in listed}
        wanted = [{"group_id": ids[m], "weight": 100} for m in c.members if ids[m] not in present]
        if wanted:
            await self.call("POST", f"/api/groups/{group_id}/sub-groups", {"sub_groups": wanted})
        return f"aggregate over {', '.join(c.members)}"

    async def _roll_back(self, created: list[int], updated: list[dict[str, Any]]) -> str:
        failed = []
        for group_id in reversed(created):
            try:
                await self.call("DELETE", f"/api/groups/{group_id}")
            except LlmError:
                failed.append(str(group_id))
        for group in updated:
            body = {k: v for k, v in group.items() if k not in ("id", "created_at", "updated_at", "keys")}
            try:
                await self.call("PUT", f"/api/groups/{group['id']}", body)
            except LlmError:
                failed.append(str(group["id"]))
        if failed:
            return f"rolling back failed for group(s) {', '.join(failed)}"
        return "everything done before the failure was rolled back"

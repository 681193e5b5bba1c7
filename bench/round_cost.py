"""Cost of a sync round in which nothing changed upstream, over 50 sources.

    .venv/bin/python bench/round_cost.py [--quiet-rounds 2]

Runs the real `Engine` in this process against the fake Bilibili (`tests/fakes/bilibili`)
started in a temp folder. Fifty sources of every kind are added with a filter rule that
matches nothing, so the first round lists and reads details but downloads nothing; then
rounds in which nothing changed upstream are run and measured.

Reference: the first round, in the same run. Target: a round with nothing new costs at most
one API call per source, plus one login check (`nav`) per account per round. The API rate
limit stays at its default (4 calls per 250 ms), as a user runs it, so wall time is mostly
calls divided by the limit; the floor that limit sets is printed next to each round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring.backends.null  # noqa: E402

from core.config import Config, load_config  # noqa: E402
from core.engine.engine import Engine, RoundResult  # noqa: E402
from core.secrets import SecretStore  # noqa: E402
from tests.fakes.bilibili import FakeBilibili, world  # noqa: E402

SOURCE_COUNT = 50
NO_MATCH_RULE = "title contains ZZZ_NO_MATCH"
NEW_UPPER_MIDS = (3001, 3002, 3003, 3004)
# Lists the default world already has, besides its favorite folder.
DEFAULT_LISTS = (
    world.SEASON_KEY,
    world.SERIES_KEY,
    world.WATCH_LATER_KEY,
    f"ss:{world.BANGUMI_SEASON_1}",
    f"ss:{world.BANGUMI_SEASON_2}",
)
FAVORITE_COUNT = SOURCE_COUNT - len(DEFAULT_LISTS) - len(NEW_UPPER_MIDS)  # fav:101 and new folders
LOGIN_CHECK = "/x/web-interface/nav"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")

# What each endpoint is used for, to read the per-endpoint table.
ENDPOINT_ROLES = {
    LOGIN_CHECK: "login check (and WBI keys)",
    "/x/v3/fav/resource/list": "list: favorites",
    "/x/v3/fav/resource/ids": "removal check: favorites",
    "/x/space/wbi/arc/search": "list: UP uploads",
    "/x/polymer/web-space/seasons_archives_list": "list: collection",
    "/x/series/archives": "list: series",
    "/x/v2/history/toview": "list: watch later",
    "/pgc/view/web/season": "list: bangumi",
    "/x/web-interface/wbi/view": "video details",
    "/x/web-interface/view/detail/tag": "video tags",
}


@dataclass
class RoundCost:
    label: str
    seconds: float
    result: RoundResult
    fake_calls: Counter[str]

    @property
    def login_checks(self) -> int:
        return self.fake_calls[LOGIN_CHECK]

    @property
    def per_source(self) -> float:
        """API calls per source, the login check left out."""
        return (self.result.api_calls - self.login_checks) / SOURCE_COUNT


@dataclass(frozen=True)
class RateLimit:
    calls: int
    window_s: float

    def floor(self, calls: int) -> float:
        """The least time `calls` can take under this limit (the first window is free)."""
        return max(calls - self.calls, 0) / self.calls * self.window_s


def build_world(fake: FakeBilibili) -> list[str]:
    """Create the lists the default world lacks; return the 50 source links."""
    links = [world.FAV_KEY, *DEFAULT_LISTS]
    for mid in NEW_UPPER_MIDS:
        fake.add_video(f"up:{mid}", {"title": f"UP {mid} 的投稿"})
        links.append(f"up:{mid}")
    while len(links) < SOURCE_COUNT:
        media_id = fake.add_favorite_folder(f"测试收藏夹 {len(links)}")
        fake.add_video(f"fav:{media_id}", {"title": f"收藏夹 {media_id} 的视频"})
        links.append(f"fav:{media_id}")
    return links


def write_config(root: Path, fake: FakeBilibili) -> Config:
    config_path = root / "config.toml"
    hosts = "".join(f"{name}_host = {json.dumps(url)}\n" for name, url in fake.hosts().items())
    config_path.write_text(
        f"[library]\nroot = {json.dumps(str(root / 'library'))}\n[bilibili]\n{hosts}", encoding="utf-8"
    )
    # An empty environment: SYNCDECK_* settings of whoever runs the bench must not leak in.
    return load_config(config_path, data_dir=root / "data", environ={})


def use_fake_login(fake: FakeBilibili) -> None:
    """The engine reads the login from the environment; 127.0.0.1 must not go through a proxy."""
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = "*"
    os.environ["SYNCDECK_BILIBILI_COOKIE"] = fake.COOKIE


async def timed_round(engine: Engine, fake: FakeBilibili, label: str) -> RoundCost:
    before = Counter(fake.state()["calls"])
    started = time.perf_counter()
    result = await engine.sync()
    seconds = time.perf_counter() - started
    after = Counter(fake.state()["calls"])
    return RoundCost(label, seconds, result, after - before)


async def measure(fake: FakeBilibili, config: Config, links: list[str], quiet_rounds: int) -> list[RoundCost]:
    engine = Engine(config, secrets=SecretStore(keyring.backends.null.Keyring()))
    try:
        for link in links:
            await engine.add_source(link, rules=NO_MATCH_RULE)
        rounds = [await timed_round(engine, fake, "first")]
        for index in range(1, quiet_rounds + 1):
            rounds.append(await timed_round(engine, fake, f"no change {index}"))
        return rounds
    finally:
        await engine.close()


def report(rounds: list[RoundCost], limit: RateLimit) -> None:
    first = rounds[0]
    print(
        f"\n{SOURCE_COUNT} sources: {FAVORITE_COUNT} favorites, {len(NEW_UPPER_MIDS)} UP uploads, "
        "1 collection, 1 series, watch later, 2 bangumi"
    )
    print(
        f"one account (login from SYNCDECK_BILIBILI_COOKIE); API rate limit {limit.calls} calls per "
        f"{limit.window_s * 1000:g} ms (the default)\n"
    )
    header = (
        f"{'round':<12}{'outcome':<9}{'new':>5}{'wall s':>8}{'vs first':>10}{'limit floor s':>15}"
        f"{'API calls':>11}{'fake saw':>10}{'login':>7}{'per source':>12}"
    )
    print(header)
    print("-" * len(header))
    for cost in rounds:
        calls = cost.result.api_calls
        print(
            f"{cost.label:<12}{cost.result.outcome:<9}{cost.result.new_items:>5}{cost.seconds:>8.2f}"
            f"{cost.seconds / first.seconds:>9.2f}x{limit.floor(calls):>15.2f}"
            f"{calls:>11}{sum(cost.fake_calls.values()):>10}{cost.login_checks:>7}{cost.per_source:>12.2f}"
        )
    print(
        "\nAPI calls = RoundResult.api_calls; fake saw = the fake's own counters; login = nav calls;\n"
        f"per source = (API calls - login) / {SOURCE_COUNT}; limit floor = the least time the rate limit allows"
    )

    endpoints = sorted({name for cost in rounds for name in cost.fake_calls}, key=lambda name: -first.fake_calls[name])
    print(f"\n{'endpoint':<46}{'used for':<28}" + "".join(f"{cost.label:>13}" for cost in rounds))
    for name in endpoints:
        counts = "".join(f"{cost.fake_calls[name]:>13}" for cost in rounds)
        print(f"{name:<46}{ENDPOINT_ROLES.get(name, ''):<28}{counts}")

    worst = max(rounds[1:], key=lambda cost: cost.per_source)
    verdict = "met" if worst.per_source <= 1.0 and worst.login_checks <= 1 else "NOT met"
    print(
        f"\ntarget: a round with nothing new costs <= 1.00 API call per source + 1 login check per account"
        f" -> {verdict} (worst: {worst.per_source:.2f} per source + {worst.login_checks} login check)"
    )
    beyond = {
        name: count
        for name, count in worst.fake_calls.items()
        if name != LOGIN_CHECK and not ENDPOINT_ROLES.get(name, "").startswith("list:")
    }
    if beyond:
        listed = ", ".join(f"{name} x{count}" for name, count in sorted(beyond.items()))
        print(f"calls beyond one listing per source in '{worst.label}': {listed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet-rounds", type=int, default=2, help="rounds to run after the first (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="syncdeck-round-cost-") as temp:
        root = Path(temp)
        with FakeBilibili(root / "fake") as fake:
            links = build_world(fake)
            use_fake_login(fake)
            config = write_config(root, fake)
            rounds = asyncio.run(measure(fake, config, links, max(args.quiet_rounds, 1)))
        report(rounds, RateLimit(config["limits.api_calls"], config["limits.api_window_ms"] / 1000))


if __name__ == "__main__":
    main()

"""The Starlette application: every Bilibili host on one port (their paths do not collide)."""

from __future__ import annotations

from starlette.applications import Starlette

from tests.fakes.bilibili import api, cdn, control, passport
from tests.fakes.bilibili.media import MediaSet
from tests.fakes.bilibili.state import FakeState


def create_app(base_url: str, media: MediaSet) -> Starlette:
    """`base_url` ("http://127.0.0.1:PORT") is where the answers point media and images."""
    state = FakeState(base_url, media)
    # cdn.routes() ends with the catch-all b23 route, so it goes last.
    app = Starlette(routes=control.routes(state) + api.routes(state) + passport.routes(state) + cdn.routes(state))
    app.state.fake = state
    return app

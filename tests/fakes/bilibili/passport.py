"""passport.bilibili.com (QR login, cookie refresh) and www's /correspond page.

Cookies are set without `Domain=.bilibili.com` and `Secure`, so that a cookie jar talking
to 127.0.0.1 over plain HTTP keeps them; name, value and path are as the real ones.
"""

from __future__ import annotations

import re
import secrets
import time
import urllib.parse
from email.utils import formatdate

from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.bilibili.responses import BiliJSON, error, html, ok
from tests.fakes.bilibili.routing import Call, api_route
from tests.fakes.bilibili.state import QR_LIFETIME, FakeState, QrKey, Session

CORRESPOND_PATH = re.compile(r"[0-9a-fA-F]{256}")
COOKIE_LIFETIME = 180 * 86400


def with_login_cookies(response: Response, session: Session) -> Response:
    expires = formatdate(time.time() + COOKIE_LIFETIME, usegmt=True)
    for name, value in session.cookie_values().items():
        flags = "; HttpOnly" if name == "SESSDATA" else ""
        response.raw_headers.append(
            (b"set-cookie", f"{name}={value}; Path=/; Expires={expires}{flags}".encode("latin-1"))
        )
    return response


def qr_state(state: FakeState, qr: QrKey) -> str:
    """Advance a key by time and by the `qr_auto_confirm` knob; return its state."""
    if qr.state in ("new", "scanned") and time.time() - qr.created > QR_LIFETIME:
        qr.state = "expired"
    auto = state.knobs.qr_auto_confirm
    if auto and qr.state in ("new", "scanned"):
        if qr.polls >= auto:
            qr.state = "confirmed"
        elif qr.polls >= 2:
            qr.state = "scanned"
    return qr.state


async def qr_generate(call: Call) -> Response:
    key = secrets.token_hex(16)
    call.state.qr_keys[key] = QrKey(key, time.time())
    call.state.latest_qr_key = key
    return ok(
        {
            "url": f"https://account.bilibili.com/h5/account-h5/auth/scan-web?navhide=1&callback=close"
            f"&qrcode_key={key}&from=main-fe-header",
            "qrcode_key": key,
        }
    )


async def qr_poll(call: Call) -> Response:
    qr = call.state.qr_keys.get(call.param("qrcode_key"))
    if qr is None:
        return ok({"url": "", "refresh_token": "", "timestamp": 0, "code": 86038, "message": "二维码已失效"})
    qr.polls += 1
    current = qr_state(call.state, qr)
    timestamp = int(time.time() * 1000)
    pending = {"url": "", "refresh_token": "", "timestamp": timestamp}
    if current == "new":
        return ok({**pending, "code": 86101, "message": "未扫码"})
    if current == "scanned":
        return ok({**pending, "code": 86090, "message": "二维码已扫码未确认"})
    if current != "confirmed":
        return ok({**pending, "code": 86038, "message": "二维码已失效"})
    qr.state = "used"
    session = call.state.new_session()
    values = session.cookie_values()
    cross_domain = urllib.parse.urlencode(
        {
            "DedeUserID": values["DedeUserID"],
            "DedeUserID__ckMd5": values["DedeUserID__ckMd5"],
            "Expires": str(COOKIE_LIFETIME),
            "SESSDATA": urllib.parse.unquote(values["SESSDATA"]),
            "bili_jct": values["bili_jct"],
            "gourl": "https://www.bilibili.com",
            "first_domain": ".bilibili.com",
        }
    )
    body = {
        "url": f"https://passport.biligame.com/x/passport-login/web/crossDomain?{cross_domain}",
        "refresh_token": session.refresh_token,
        "timestamp": timestamp,
        "code": 0,
        "message": "",
    }
    return with_login_cookies(ok(body), session)


async def cookie_info(call: Call) -> Response:
    session = call.session
    if session is None:
        return error(-101)
    return ok({"refresh": session.needs_refresh, "timestamp": int(time.time() * 1000)})


async def correspond(call: Call) -> Response:
    if not CORRESPOND_PATH.fullmatch(call.request.path_params["path"]):
        return html(404, "Not Found")
    session = call.session
    if session is None:
        return Response(
            "<!DOCTYPE html><html><head><title>哔哩哔哩</title></head><body></body></html>",
            media_type="text/html",
        )
    session.refresh_csrf = secrets.token_hex(16)
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>哔哩哔哩</title></head><body>'
        f'<div id="1-name">{session.refresh_csrf}</div><div id="1-value">0</div></body></html>'
    )
    return Response(page, media_type="text/html; charset=utf-8")


async def cookie_refresh(call: Call) -> Response:
    session = call.session
    if session is None:
        return error(-101)
    form = await call.form()
    if form.get("csrf") != session.bili_jct:
        return error(-111)
    if (
        not session.refresh_csrf
        or form.get("refresh_csrf") != session.refresh_csrf
        or form.get("refresh_token") != session.refresh_token
    ):
        return error(86095)
    fresh = call.state.new_session()
    fresh.replaces = session
    fresh.previous_refresh_token = session.refresh_token
    session.refresh_token = ""  # the old token cannot refresh twice
    session.refresh_csrf = ""
    body = {"status": 0, "message": "", "refresh_token": fresh.refresh_token}
    return with_login_cookies(ok(body), fresh)


async def confirm_refresh(call: Call) -> Response:
    session = call.session
    if session is None:
        return error(-101)
    form = await call.form()
    if form.get("csrf") != session.bili_jct:
        return error(-111)
    if session.replaces is None or form.get("refresh_token") != session.previous_refresh_token:
        return error(86095)
    session.replaces.alive = False
    session.replaces = None
    return BiliJSON({"code": 0, "message": "0", "ttl": 1})


def routes(state: FakeState) -> list[Route]:
    base = "/x/passport-login/web"
    return [
        api_route(state, f"{base}/qrcode/generate", qr_generate),
        api_route(state, f"{base}/qrcode/poll", qr_poll),
        api_route(state, f"{base}/cookie/info", cookie_info),
        api_route(state, f"{base}/cookie/refresh", cookie_refresh, methods=("POST",)),
        api_route(state, f"{base}/confirm/refresh", confirm_refresh, methods=("POST",)),
        api_route(state, "/correspond/1/{path}", correspond, counter="/correspond/1"),
    ]

"""Linux: a response body moved from one socket to another in the kernel (splice through a
pipe), for the stream proxy's plain relay of a whole file."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys

RELAY_CHUNK = 1024 * 1024  # bytes read from an origin at a time by the plain relay
SPLICE = hasattr(os, "splice") and sys.platform.startswith("linux")  # zero-copy relay of a body


async def splice_body(
    up_reader: asyncio.StreamReader, up_writer: asyncio.StreamWriter, writer: asyncio.StreamWriter, left: int
) -> bool:
    """Linux: the body moves from the origin's socket to the player's in the kernel (splice
    through a pipe, in a thread), never through Python. Both transports stand aside meanwhile:
    the origin's stops reading, the player's has written everything it held."""
    up_writer.transport.pause_reading()
    held = bytes(up_reader._buffer)  # noqa: SLF001 - what the head read brought of the body
    up_reader._buffer.clear()  # noqa: SLF001
    transport = writer.transport
    transport.set_write_buffer_limits(high=0)
    try:
        if held:
            writer.write(held[:left])
            left -= min(len(held), left)
        await writer.drain()  # with a zero limit: until the player's socket has it all
        up_socket = up_writer.get_extra_info("socket")
        player_socket = writer.get_extra_info("socket")
        if left <= 0:
            return True
        if up_socket is None or player_socket is None:
            return False
        return await asyncio.to_thread(_splice, up_socket.fileno(), player_socket.fileno(), left)
    finally:
        transport.set_write_buffer_limits()


def _splice(source: int, target: int, left: int) -> bool:
    """Move `left` bytes from one non-blocking socket to another; False when either ends first."""
    import fcntl
    import select

    read_end, write_end = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # a bigger pipe: fewer splices per MiB
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, RELAY_CHUNK)
    poller_in, poller_out = select.poll(), select.poll()
    poller_in.register(source, select.POLLIN | select.POLLHUP | select.POLLERR)
    poller_out.register(target, select.POLLOUT | select.POLLHUP | select.POLLERR)
    try:
        while left > 0:
            try:
                moved = os.splice(source, write_end, min(left, RELAY_CHUNK))
            except BlockingIOError:
                if not poller_in.poll(60_000):
                    return False
                continue
            if moved == 0:
                return False
            left -= moved
            while moved > 0:
                try:
                    moved -= os.splice(read_end, target, moved)
                except BlockingIOError:
                    events = poller_out.poll(60_000)
                    if not events or events[0][1] & (select.POLLHUP | select.POLLERR):
                        return False
        return True
    except OSError:
        return False
    finally:
        os.close(read_end)
        os.close(write_end)

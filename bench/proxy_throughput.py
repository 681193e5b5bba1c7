"""Stream proxy throughput: one 1 GiB file fetched through the proxy vs directly, same run.

    .venv/bin/python bench/proxy_throughput.py [--mib 1024] [--runs 3] [--origin-mbps 1000] [--limited-mib 256]

A local origin (a subprocess on 127.0.0.1, asyncio streams) serves a file generated on the
fly (a 1 MiB pattern repeated; nothing is stored), with Content-Length and Range. curl reads
it to /dev/null directly and through the StreamProxy (running in this process, upstream via
httpx with the headers a provider would add), alternating, `--runs` times each. Reported:
the median MB/s of each and their ratio; the target is a ratio of at least 0.9. It runs twice:
with the origin unlimited (loopback: curl reads at several GB/s, the proxy is bound by one
Python core) and with the origin limited to `--origin-mbps` (1 Gbit/s: a fast real link, where
the proxy must not be what slows a player down). Always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TARGET_RATIO = 0.9

ORIGIN = textwrap.dedent("""
    import asyncio, sys, time
    SIZE = int(sys.argv[1])
    RATE = float(sys.argv[2]) * 1e6 / 8  # bytes per second; 0 = as fast as it can
    BLOCK = bytes(range(256)) * 4096  # 1 MiB

    async def serve(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\\r\\n\\r\\n")
                lines = head.decode("latin-1").split("\\r\\n")
                start, end = 0, SIZE - 1
                status = "200 OK"
                extra = ""
                for line in lines[1:]:
                    if line.lower().startswith("range: bytes="):
                        first, _, last = line.split("=", 1)[1].partition("-")
                        start = int(first or 0)
                        end = int(last) if last else SIZE - 1
                        status = "206 Partial Content"
                        extra = f"Content-Range: bytes {start}-{end}/{SIZE}\\r\\n"
                length = end - start + 1
                writer.write((f"HTTP/1.1 {status}\\r\\nContent-Type: video/mp4\\r\\nAccept-Ranges: bytes\\r\\n"
                              f"Content-Length: {length}\\r\\n{extra}\\r\\n").encode())
                offset = start
                view = memoryview(BLOCK)
                began = time.perf_counter()
                while offset <= end:
                    inner = offset % len(BLOCK)
                    piece = view[inner : min(len(BLOCK), inner + end - offset + 1)]
                    writer.write(piece)
                    await writer.drain()
                    offset += len(piece)
                    if RATE:
                        ahead = (offset - start) / RATE - (time.perf_counter() - began)
                        if ahead > 0:
                            await asyncio.sleep(ahead)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main():
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(main())
""")


async def curl_speed(url: str) -> float:
    """Bytes per second curl measured while reading `url` to /dev/null."""
    process = await asyncio.create_subprocess_exec(
        "curl", "-s", "--noproxy", "*", "-o", "/dev/null", "-w", "%{speed_download} %{size_download}", url,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    speed, size = out.decode().split()
    return float(speed) if int(float(size)) > 0 else 0.0


async def run(mib: int, runs: int, origin_mbps: float) -> tuple[float, float]:
    import httpx

    from core.playback.proxy import StreamProxy, UpstreamTarget

    size = mib * 1024 * 1024
    origin = subprocess.Popen([sys.executable, "-c", ORIGIN, str(size), str(origin_mbps)], stdout=subprocess.PIPE,
                              text=True)  # fmt: skip
    try:
        assert origin.stdout is not None
        port = int(origin.stdout.readline())
        direct_url = f"http://127.0.0.1:{port}/big.mp4"
        proxy = StreamProxy(httpx.AsyncClient(trust_env=False, timeout=60), owns_client=True)
        await proxy.start()
        proxied_url = proxy.add_upstream(
            UpstreamTarget(direct_url, {"Referer": "https://www.example.com/", "User-Agent": "bench"})
        )
        direct: list[float] = []
        proxied: list[float] = []
        for _ in range(runs):
            direct.append(await curl_speed(direct_url))
            proxied.append(await curl_speed(proxied_url))
        await proxy.close()
    finally:
        origin.terminate()
        origin.wait()
    return statistics.median(direct), statistics.median(proxied)


def report(label: str, direct: float, proxied: float) -> None:
    ratio = proxied / direct if direct else 0.0
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"{label:<32} direct {direct / 1e6:8.1f} MB/s   proxied {proxied / 1e6:8.1f} MB/s   "
          f"ratio {ratio:.2f} ({verdict} {TARGET_RATIO})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--origin-mbps",
        type=float,
        default=1000.0,
        help="also measure with the origin limited to this many Mbit/s (a fast real link); 0 = skip",
    )
    parser.add_argument("--limited-mib", type=int, default=256, help="file size for the limited run (time: size/rate)")
    args = parser.parse_args()
    print(f"file: {args.mib} MiB generated on the fly by a local origin; curl to /dev/null, median of {args.runs}")
    report("origin unlimited (loopback)", *asyncio.run(run(args.mib, args.runs, 0)))
    if args.origin_mbps:
        limited = asyncio.run(run(args.limited_mib, args.runs, args.origin_mbps))
        report(f"origin at {args.origin_mbps:g} Mbit/s, {args.limited_mib} MiB", *limited)


if __name__ == "__main__":
    main()

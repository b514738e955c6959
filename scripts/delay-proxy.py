#!/usr/bin/env python3
"""A loopback TCP proxy that delays every byte, for scripts/bench-latency.sh.

Usage: delay-proxy.py LISTEN_PORT TARGET_PORT ONE_WAY_MS

Forwards every connection on 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT
and holds each piece of data ONE_WAY_MS milliseconds in each direction before
passing it on, in order: a round trip through it costs 2 * ONE_WAY_MS more, as
a server in another zone or region would. Bandwidth is not limited; at most
64 MiB wait in each direction of a connection (then reading pauses). SIGTERM
or SIGINT ends it.
"""
import asyncio
import collections
import signal
import sys
import time

MAX_WAITING = 64 << 20


async def pipe(reader, writer, delay):
    """Copies reader to writer, each piece delay seconds after it was read."""
    waiting = collections.deque()  # (due, data)
    size = 0
    more = asyncio.Event()  # something was queued, or the input ended
    room = asyncio.Event()  # size fell under MAX_WAITING
    room.set()
    done = False

    async def read():
        nonlocal size, done
        try:
            while True:
                await room.wait()
                data = await reader.read(1 << 16)
                if not data:
                    break
                waiting.append((time.monotonic() + delay, data))
                size += len(data)
                if size >= MAX_WAITING:
                    room.clear()
                more.set()
        except (ConnectionError, OSError):
            pass
        done = True
        more.set()

    async def write():
        nonlocal size
        try:
            while True:
                if not waiting:
                    if done:
                        break
                    more.clear()
                    await more.wait()
                    continue
                due, data = waiting[0]
                now = time.monotonic()
                if due > now:
                    await asyncio.sleep(due - now)
                waiting.popleft()
                size -= len(data)
                if size < MAX_WAITING:
                    room.set()
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        try:
            writer.close()
        except (ConnectionError, OSError):
            pass

    await asyncio.gather(read(), write())


async def main():
    listen_port, target_port, one_way_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    delay = one_way_ms / 1000.0

    async def accept(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer, delay),
                             pipe(server_reader, client_writer, delay))

    server = await asyncio.start_server(accept, "127.0.0.1", listen_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    asyncio.run(main())

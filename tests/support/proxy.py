"""A TCP proxy on 127.0.0.1 that misbehaves on cue: pass, stall, or cut connections mid-transfer.
With `server_ssl` it is also a TLS front for a plain-text test server.

It runs an asyncio loop in a thread and forwards to a loopback target only.

    with FaultProxy(target_port=dovecot.port) as proxy:
        proxy.port                  # point the client here
        proxy.stall()               # bytes stop flowing both ways; connections stay open
        proxy.cut_after(50_000)     # the next connections are cut after 50 kB from the server
        proxy.cut()                 # cut every open connection now, and refuse new ones
        proxy.heal()                # back to passing bytes
        proxy.rewrite(b"Authentication failed.", b"Basic authentication is disabled.")  # what the server says
"""

from __future__ import annotations

import asyncio
import threading

LOOPBACK = "127.0.0.1"
CHUNK = 16 * 1024


class FaultProxy:
    def __init__(self, target_port: int, target_host: str = LOOPBACK, server_ssl=None):
        if not target_host.startswith("127."):
            raise ValueError("the fault proxy forwards to loopback addresses only")
        self.target = (target_host, target_port)
        self.server_ssl = server_ssl  # an ssl.SSLContext: clients talk TLS to the proxy (a TLS front for a plain server)
        self.port = 0
        self.mode = "pass"
        self.cut_after_bytes: int | None = None
        self.connections = 0
        self.rewrites: list[tuple[bytes, bytes]] = []  # applied to what the server sends
        self.cut_on_client: tuple[bytes, int | None] | None = None  # (marker, connections left to cut)
        self._flowing = None  # asyncio.Event, set while bytes may pass
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)
        self._server = None

    def start(self) -> "FaultProxy":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._handle, LOOPBACK, 0, ssl=self.server_ssl)
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._server is not None:
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _stop(self) -> None:
        self._server.close()
        self._cut_all()
        self._flowing.set()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- faults, called from the test thread ---------------------------------

    def retarget(self, port: int) -> None:
        """Forward new connections to another loopback port (e.g. a server made after the proxy)."""
        self.target = (self.target[0], port)

    def stall(self) -> None:
        self._call(self._set_mode, "stall")

    def heal(self) -> None:
        self.cut_after_bytes = None
        self._call(self._set_mode, "pass")

    def cut(self) -> None:
        self._call(self._set_mode, "cut")

    def rewrite(self, old: bytes, new: bytes) -> None:
        """Replace `old` with `new` in what the server sends (another server's wording of an answer)."""
        self.rewrites.append((old, new))

    def cut_when_client_sends(self, marker: bytes, times: int | None = None) -> None:
        """Cut a connection as soon as the client sends `marker` (b"AUTHENTICATE": a login cut off mid-way), for the
        next `times` connections that send it (all when None)."""
        self.cut_on_client = (marker, times)

    def cut_after(self, server_bytes: int) -> None:
        """Cut each new connection once the server has sent `server_bytes` through it."""
        self.cut_after_bytes = server_bytes

    def _call(self, function, *args) -> None:
        async def run():
            function(*args)

        asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=10)

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        if mode == "stall":
            self._flowing.clear()
        else:
            self._flowing.set()
        if mode == "cut":
            self._cut_all()

    def _cut_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    # -- forwarding ----------------------------------------------------------

    async def _handle(self, client_reader, client_writer) -> None:
        self.connections += 1
        if self.mode == "cut":
            client_writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._writers.update((client_writer, server_writer))
        budget = [self.cut_after_bytes]
        pumps = [
            asyncio.ensure_future(self._pump(client_reader, server_writer, None)),
            asyncio.ensure_future(self._pump(server_reader, client_writer, budget)),
        ]
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)  # one side ended: end both
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        for writer in (client_writer, server_writer):
            self._writers.discard(writer)
            writer.transport.abort()

    async def _pump(self, reader, writer, budget) -> None:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            await self._flowing.wait()
            if budget is None and self.cut_on_client is not None and self.cut_on_client[0] in data:
                marker, times = self.cut_on_client
                if times is None or times > 0:
                    self.cut_on_client = (marker, None if times is None else times - 1)
                    raise ConnectionAbortedError("cut by the fault proxy")
            if budget is not None:  # the server's side
                for old, new in self.rewrites:
                    data = data.replace(old, new)
            if budget is not None and budget[0] is not None:
                if len(data) >= budget[0]:
                    writer.write(data[: budget[0]])
                    await writer.drain()
                    raise ConnectionAbortedError("cut by the fault proxy")
                budget[0] -= len(data)
            writer.write(data)
            await writer.drain()
        writer.transport.abort()

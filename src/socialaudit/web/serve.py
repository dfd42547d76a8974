"""Serving the dashboard: uvicorn, with the deadlines a server reachable by others needs.

uvicorn closes an idle keep-alive connection after a few seconds, but a client that sends its
request headers a byte at a time keeps a connection (and its memory) for as long as it likes,
since every byte resets the idle timer. `HeaderDeadline` gives each request HEADER_TIMEOUT
seconds from its first byte (or from the end of the previous response) to finish its headers,
then answers 408 and closes. Connections are capped too (`limit_concurrency`): past the cap,
uvicorn answers 503 at once instead of queueing without end.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0
KEEP_ALIVE = 5
MAX_CONNECTIONS = 100


class HeaderDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for the request line and headers."""

    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
            self._deadline = None

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # the headers are in: the request runs as long as it needs

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or (
            self.cycle is not None and not self.cycle.response_complete
        ):
            return
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            try:
                body = b"request headers took too long\n"
                self.transport.write(
                    self.conn.send(
                        h11.Response(
                            status_code=408,
                            headers=[
                                (b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"),
                            ],
                        )
                    )
                    or b""
                )
                self.transport.write(self.conn.send(h11.Data(data=body)) or b"")
            except h11.LocalProtocolError:
                pass
        self.transport.close()


def run(app: Any, host: str, port: int) -> None:
    import uvicorn

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=HeaderDeadline,
        timeout_keep_alive=KEEP_ALIVE,
        limit_concurrency=MAX_CONNECTIONS,
        server_header=False,
    )
    uvicorn.Server(config).run()

"""uvicorn's HTTP protocol (httptools) with two guards uvicorn has no setting for, given to it through
its own ``http=`` option (``runner.serve``):

* a client address may hold at most ``max_client_connections`` open connections per worker; one
  more is answered 503 (``Retry-After``) and closed at once;
* a connection must deliver a request's headers within ``read_timeout`` seconds of opening or of
  its previous answer (uvicorn's keep-alive timeout only covers a silent connection, not one that
  sends a byte now and then); else it is closed. The body's own deadline is the middleware's (408).

Behind a reverse proxy every client has the proxy's address: set ``max_client_connections=0`` and
limit connections in the proxy.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_REFUSED = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 5\r\n"
            b"connection: close\r\ncontent-length: %d\r\n\r\n%s")
_MESSAGE = b'{"error": "too many open connections from your address"}'


class GuardedProtocol(HttpToolsProtocol):
    """See the module docstring; ``configure`` sets the limits for this process."""

    max_client_connections: ClassVar[int] = 64
    read_timeout: ClassVar[float] = 20.0
    open_by_client: ClassVar[Counter] = Counter()

    @classmethod
    def configure(cls, max_client_connections: int, read_timeout: float) -> None:
        cls.max_client_connections, cls.read_timeout = max_client_connections, read_timeout

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._address = self.client[0] if self.client else ""
        self._header_timer: asyncio.TimerHandle | None = None
        self.open_by_client[self._address] += 1
        limit = self.max_client_connections
        if limit and self.open_by_client[self._address] > limit:
            transport.write(_REFUSED % (len(_MESSAGE), _MESSAGE))
            transport.close()
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        left = self.open_by_client[self._address] - 1
        if left > 0:
            self.open_by_client[self._address] = left
        else:
            self.open_by_client.pop(self._address, None)
        super().connection_lost(exc)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.read_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing() and (self.cycle is None or self.cycle.response_complete):
            self.transport.close()


def uvicorn_settings(opts: Any) -> dict[str, Any]:
    """uvicorn's own settings for these options (``http`` is this module's protocol)."""
    return {"http": "newsmt.serve.protocol:GuardedProtocol", "timeout_keep_alive": opts.keep_alive,
            "h11_max_incomplete_event_size": 64 * 1024}

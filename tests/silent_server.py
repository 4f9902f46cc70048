"""A TCP server on 127.0.0.1 that accepts connections and never answers (a hung Ocote).

Used as a context manager: it counts the connections it accepted, keeps them open without reading
an answer back, and on exit closes them and stops its thread. The accept loop wakes up every
0.05 s to notice the stop, and gives up by itself after ``lifetime`` seconds, so a failing test
can never leave it running.
"""

from __future__ import annotations

import socket
import threading
import time


class SilentServer:
    def __init__(self, lifetime: float = 60.0) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self.connections = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._deadline = time.monotonic() + lifetime
        self._thread = threading.Thread(target=self._serve, name="silent-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/connect"

    def _serve(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                conn, _addr = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            self.connections += 1
            self._held.append(conn)  # never read, never answered

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._sock.close()

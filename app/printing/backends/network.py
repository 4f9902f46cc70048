"""``tcp://host[:9100]``: Ethernet/Wi-Fi printers on their raw port. Bidirectional."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any, NoReturn

from app.domain.errors import PrintError
from app.i18n import _
from app.printing import url as urls
from app.printing.backends.base import DEFAULT_OPEN_TIMEOUT, EscposConnection, send_budget
from app.printing.backends.registry import Target, register
from app.printing.status import PrinterNotResponding, PrinterUnreachable

if TYPE_CHECKING:
    from app.printing.profiles import PrinterProfile

DEFAULT_TCP_PORT = 9100


def _describe(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"tcp://{shown}:{port}"


class NetworkConnection(EscposConnection):
    """A printer on ``host:port`` (raw TCP, usually 9100). Bidirectional."""

    bidirectional = True
    open_is_bounded = True  # the connect itself gives up at open_timeout

    def __init__(
        self, host: str, port: int = DEFAULT_TCP_PORT, timeout: float = 10.0, open_timeout: float = DEFAULT_OPEN_TIMEOUT
    ) -> None:
        self.host, self.port = host, port
        super().__init__(_describe(host, port), timeout, open_timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import Network

        return Network(host=self.host, port=self.port, timeout=self.timeout)

    def _open_error(self, exc: Exception) -> PrintError:
        if isinstance(exc, ConnectionRefusedError):
            return PrinterUnreachable(
                _(
                    "The printer {printer} refused the connection: check that it is on and that the address is right."
                ).format(printer=self.description)
            )
        if isinstance(exc, TimeoutError):
            return PrinterNotResponding(
                _(
                    "The printer {printer} is not answering (no connection within {seconds} s): "
                    "check that it is on and on the network."
                ).format(printer=self.description, seconds=f"{self.open_timeout:g}")
            )
        if isinstance(exc, socket.gaierror):
            return PrinterUnreachable(
                _("The printer name in {printer} cannot be resolved: check the address.").format(
                    printer=self.description
                )
            )
        return PrinterUnreachable(
            _("Cannot connect to the printer {printer}: check that it is on and on the network.").format(
                printer=self.description
            )
        )

    def _open(self, printer: Any) -> None:
        # Network.open() leaks its socket when connect fails and knows only IPv4; connect here
        # and hand python-escpos the socket (it only needs it for _raw and close).
        sock = socket.create_connection((self.host, self.port), timeout=self.open_timeout)
        # Status requests are 3-byte writes; Nagle would hold each one for the previous ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(self.timeout)
        printer.device = sock

    def _write(self, printer: Any, data: bytes) -> None:
        sock = printer.device
        # Since Python 3.5 the socket timeout bounds the whole sendall, not each chunk.
        sock.settimeout(send_budget(self.timeout, len(data)))
        try:
            printer._raw(data)
        finally:
            sock.settimeout(self.timeout)

    def _recv(self, printer: Any, wait: float) -> bytes:
        sock = printer.device
        sock.settimeout(wait)
        try:
            return sock.recv(64)
        except TimeoutError:
            return b""
        finally:
            sock.settimeout(self.timeout)


class TcpBackend:
    scheme = "tcp"

    def is_usable(self) -> bool:
        return True

    def unusable_error(self) -> NoReturn:  # never: sockets are always there
        raise AssertionError("tcp:// is always usable")

    def parse(self, url: str, rest: str) -> Target:
        authority, query = urls.split(urls.strip_slashes(rest))
        authority = authority.rstrip("/")
        urls.options(url, query, {})
        if authority.startswith("["):
            host, _bracket, after = authority[1:].partition("]")
            if after and not after.startswith(":"):
                raise urls.bad(url, _("no host name (example: tcp://192.168.1.50:9100)"))
            port_text = after[1:]
        else:
            host, _sep, port_text = authority.partition(":")
            if ":" in port_text:
                raise urls.bad(url, _("write IPv6 addresses in brackets (example: tcp://[fd00::50]:9100)"))
        if not host:
            raise urls.bad(url, _("no host name (example: tcp://192.168.1.50:9100)"))
        try:
            port = int(port_text) if port_text else DEFAULT_TCP_PORT
            if not 0 < port < 65536:
                raise ValueError(port_text)
        except ValueError:
            raise urls.bad(url, _('invalid port "{port}"').format(port=port_text)) from None
        return Target(self.scheme, _describe(host, port), {"host": host, "port": port})

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> NetworkConnection:
        return NetworkConnection(timeout=timeout, open_timeout=open_timeout, **target.options)


register(TcpBackend())

"""Printer connections from one URL syntax, one backend module per scheme.

::

    tcp://host[:9100]                          Ethernet/Wi-Fi printers (raw port 9100)
    usb://VID:PID[?in_ep=0x82&out_ep=0x01]     USB printers through pyusb/libusb  (caja[usb])
    serial:///dev/ttyUSB0[?baudrate=115200&bytesize=8&parity=N&stopbits=1&rtscts=0&dsrdtr=1]
                                               RS-232 / USB-serial printers        (caja[serial])
    file:/dev/usb/lp0                          raw bytes to a device node or a file
    cups://queue                               a raw CUPS queue                    (caja[cups])
    win32://Printer Name                       a Windows spooler printer (RAW)     (caja[win32])
    dummy:                                     bytes kept in memory (``.output``)
    preview:DIR                                a PNG of exactly what would print (training mode)

:func:`validate_url` checks an address (syntax, and that its transport is installed) without
building or opening anything; :func:`open_connection` returns an unopened
:class:`~app.printing.backends.base.Connection` for one job. The backends are registered in
:mod:`app.printing.backends.registry` by scheme; importing this package registers the built-in ones
(importing a backend module never imports its transport library).
"""

from __future__ import annotations

from app.printing.backends import cups, dummy, file, network, preview, serial, usb, win32  # noqa: F401 - register
from app.printing.backends.base import DEFAULT_OPEN_TIMEOUT, Connection
from app.printing.backends.registry import Backend, Target, lookup, parse_url, register, schemes, validate_url
from app.printing.profiles import PrinterProfile

__all__ = [
    "DEFAULT_OPEN_TIMEOUT",
    "Backend",
    "Connection",
    "Target",
    "lookup",
    "open_connection",
    "parse_url",
    "register",
    "schemes",
    "validate_url",
]


def open_connection(
    url: str,
    *,
    timeout: float = 10.0,
    open_timeout: float = DEFAULT_OPEN_TIMEOUT,
    profile: PrinterProfile | None = None,
) -> Connection:
    """Build the connection for a printer URL (see the module docstring); nothing is opened yet.

    Args:
        url: The printer address.
        timeout: Seconds allowed to wait for a status answer (at most ``STATUS_TIMEOUT``), and (plus
            the job's paper time) to send.
        open_timeout: Seconds allowed to open the printer (connect, open the device or port).
        profile: The printer model; ``preview:`` needs it to lay out feeds and width exactly.

    Raises:
        ConfigurationError: the URL is malformed, or the transport's optional dependency is missing.
    """
    if timeout <= 0 or open_timeout <= 0:
        raise ValueError("timeouts must be positive")
    backend, target = parse_url(url)
    if not backend.is_usable():
        raise backend.unusable_error()
    return backend.connect(target, timeout=timeout, open_timeout=open_timeout, profile=profile)

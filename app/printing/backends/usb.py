"""``usb://VID:PID[?in_ep=0x82&out_ep=0x01]``: USB printers through pyusb/libusb (caja[usb])."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain.errors import ConfigurationError, PrintError
from app.i18n import _
from app.printing import url as urls
from app.printing.backends.base import (
    DEFAULT_OPEN_TIMEOUT,
    EscposConnection,
    persistent_escpos_cache,
    send_budget,
)
from app.printing.backends.registry import Target, missing_dependency, register
from app.printing.status import PrinterUnreachable

if TYPE_CHECKING:
    from app.printing.profiles import PrinterProfile


class UsbConnection(EscposConnection):
    """A USB printer found by vendor and product id (pyusb + libusb). Bidirectional.

    Args:
        backend: a pyusb backend object (tests inject one; None lets pyusb pick libusb).
    """

    bidirectional = True

    def __init__(
        self,
        vendor: int,
        product: int,
        *,
        in_ep: int = 0x82,
        out_ep: int = 0x01,
        timeout: float = 10.0,
        open_timeout: float = DEFAULT_OPEN_TIMEOUT,
        backend: Any = None,
    ) -> None:
        self.vendor, self.product, self.in_ep, self.out_ep = vendor, product, in_ep, out_ep
        self.backend = backend
        super().__init__(f"usb://{vendor:04x}:{product:04x}", timeout, open_timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import usb as escpos_usb

        if not escpos_usb.is_usable():
            raise missing_dependency("USB", "pyusb", "usb")
        usb_args = {"backend": self.backend} if self.backend is not None else {}
        # pyusb timeouts are milliseconds; python-escpos's default 0 would wait forever.
        return escpos_usb.Usb(
            self.vendor,
            self.product,
            usb_args=usb_args,
            timeout=int(self.timeout * 1000),
            in_ep=self.in_ep,
            out_ep=self.out_ep,
        )

    def _device(self) -> Any:
        import usb.core

        try:
            return super()._device()
        except usb.core.NoBackendError as exc:
            self._discard()
            raise ConfigurationError(
                _(
                    "USB printing needs the libusb library, which was not found: install "
                    "libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0)."
                )
            ) from exc

    def _open_error(self, exc: Exception) -> PrintError:
        return PrinterUnreachable(
            _("USB printer {printer} not found: check that it is on and that the cable is plugged in.").format(
                printer=self.description
            )
        )

    def _write(self, printer: Any, data: bytes) -> None:
        import errno

        import usb.core

        printer.timeout = int(send_budget(self.timeout, len(data)) * 1000)
        try:
            printer._raw(data)
        except usb.core.USBError as exc:
            if exc.errno == errno.EACCES:
                self._discard()
                raise PrinterUnreachable(
                    _(
                        "No permission to use the USB printer {printer}: install Caja's udev "
                        "rule (see packaging/) and plug the printer in again."
                    ).format(printer=self.description)
                ) from exc
            raise

    def _recv(self, printer: Any, wait: float) -> bytes:
        import usb.core

        try:
            return bytes(printer.device.read(self.in_ep, 64, max(1, int(wait * 1000))))
        except usb.core.USBTimeoutError:
            return b""


class UsbBackend:
    scheme = "usb"

    def is_usable(self) -> bool:
        persistent_escpos_cache()
        from escpos.printer import usb as escpos_usb

        return bool(escpos_usb.is_usable())

    def unusable_error(self) -> ConfigurationError:
        return missing_dependency("USB", "pyusb", "usb")

    def parse(self, url: str, rest: str) -> Target:
        ids, query = urls.split(urls.strip_slashes(rest))
        vid, sep, pid = ids.rstrip("/").partition(":")
        try:
            if not sep:
                raise ValueError(ids)
            vendor, product = (int(part.removeprefix("0x").removeprefix("0X"), 16) for part in (vid, pid))
            if not (0 < vendor <= 0xFFFF and 0 < product <= 0xFFFF):
                raise ValueError(ids)
        except ValueError:
            raise urls.bad(url, _("expected usb://VID:PID in hexadecimal (example: usb://04b8:0e28)")) from None
        opts = urls.options(url, query, {"in_ep": urls.int_any_base, "out_ep": urls.int_any_base})
        return Target(self.scheme, f"usb://{vendor:04x}:{product:04x}", {"vendor": vendor, "product": product, **opts})

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> UsbConnection:
        return UsbConnection(timeout=timeout, open_timeout=open_timeout, **target.options)


register(UsbBackend())

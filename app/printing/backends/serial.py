"""``serial:///dev/ttyUSB0[?baudrate=115200&bytesize=8&parity=N&stopbits=1&rtscts=0&dsrdtr=1]``:
RS-232 / USB-serial printers through pyserial (caja[serial]). Bidirectional when the cable carries RX."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.domain.errors import ConfigurationError, PrintError
from app.i18n import _
from app.printing import url as urls
from app.printing.backends import base
from app.printing.backends.base import DEFAULT_OPEN_TIMEOUT, EscposConnection, persistent_escpos_cache, send_budget
from app.printing.backends.registry import Target, missing_dependency, register
from app.printing.status import PrinterUnreachable

if TYPE_CHECKING:
    from app.printing.profiles import PrinterProfile

# python-escpos defaults to 9600 baud: two minutes for a raster ticket. Receipt printers with a
# serial port commonly support 115200; the URL can lower it.
DEFAULT_BAUDRATE = 115_200


def _describe(device: str, baudrate: int) -> str:
    return f"serial://{device}?baudrate={baudrate}"


class SerialConnection(EscposConnection):
    """A printer on a serial port (pyserial). Bidirectional when the cable carries RX."""

    bidirectional = True

    def __init__(
        self,
        device: str,
        *,
        baudrate: int = DEFAULT_BAUDRATE,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        rtscts: bool = False,
        dsrdtr: bool = True,
        timeout: float = 10.0,
        open_timeout: float = DEFAULT_OPEN_TIMEOUT,
    ) -> None:
        self.device_path, self.baudrate = device, baudrate
        self.options = {
            "bytesize": bytesize,
            "parity": parity,
            "stopbits": stopbits,
            "rtscts": rtscts,
            "dsrdtr": dsrdtr,
        }
        super().__init__(_describe(device, baudrate), timeout, open_timeout)

    def _make_printer(self) -> Any:
        from escpos.printer import serial as escpos_serial

        if not escpos_serial.is_usable():
            raise missing_dependency("Serial", "pyserial", "serial")
        o = self.options
        return escpos_serial.Serial(
            devfile=self.device_path,
            baudrate=self.baudrate,
            bytesize=o["bytesize"],
            timeout=self._status_wait(),
            parity=o["parity"],
            stopbits=o["stopbits"],
            dsrdtr=o["dsrdtr"],
            # Never XON/XOFF: raster data is full of 0x11/0x13 bytes.
            xonxoff=False,
        )

    def _device(self) -> Any:
        fresh = not self._opened
        printer = super()._device()
        if fresh:
            # python-escpos does not pass rtscts through; pyserial applies it on assignment.
            printer.device.rtscts = self.options["rtscts"]
            printer.device.reset_input_buffer()
        return printer

    def _open_error(self, exc: Exception) -> PrintError:
        import errno

        code = getattr(exc, "errno", None)
        if code == errno.ENOENT:
            return PrinterUnreachable(
                _("The serial port {device} does not exist: check the cable and the device name.").format(
                    device=self.device_path
                )
            )
        if code in (errno.EACCES, errno.EPERM):
            return PrinterUnreachable(
                _(
                    "No permission to open the serial port {device}: add the user to the "
                    "dialout group (Linux) and log in again."
                ).format(device=self.device_path)
            )
        if code == errno.EBUSY:
            return PrinterUnreachable(
                _("The serial port {device} is in use by another program.").format(device=self.device_path)
            )
        return PrinterUnreachable(_("Cannot open the serial port {device}.").format(device=self.device_path))

    def _write(self, printer: Any, data: bytes) -> None:
        port = printer.device
        port.write_timeout = send_budget(self.timeout, len(data), min(base.PAPER_BYTES_PER_SECOND, self.baudrate / 10))
        printer._raw(data)

    def _recv(self, printer: Any, wait: float) -> bytes:
        port = printer.device
        port.timeout = wait
        first = port.read(1)
        return first + (port.read(port.in_waiting) if first and port.in_waiting else b"")


class SerialBackend:
    scheme = "serial"

    def is_usable(self) -> bool:
        persistent_escpos_cache()
        from escpos.printer import serial as escpos_serial

        return bool(escpos_serial.is_usable())

    def unusable_error(self) -> ConfigurationError:
        return missing_dependency("Serial", "pyserial", "serial")

    def parse(self, url: str, rest: str) -> Target:
        device, query = urls.split(urls.strip_slashes(rest))
        if not device:
            raise urls.bad(url, _("no serial device (example: serial:///dev/ttyUSB0?baudrate=115200)"))
        opts = urls.options(
            url,
            query,
            {
                "baudrate": int,
                "bytesize": int,
                "parity": urls.choice("N", "E", "O", "M", "S"),
                "stopbits": urls.stopbits,
                "rtscts": urls.flag,
                "dsrdtr": urls.flag,
            },
        )
        if opts.get("baudrate", DEFAULT_BAUDRATE) <= 0 or opts.get("bytesize", 8) not in (5, 6, 7, 8):
            raise urls.bad(url, _("invalid baud rate or byte size"))
        description = _describe(device, opts.get("baudrate", DEFAULT_BAUDRATE))
        return Target(self.scheme, description, {"device": device, **opts})

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> SerialConnection:
        return SerialConnection(timeout=timeout, open_timeout=open_timeout, **target.options)


register(SerialBackend())

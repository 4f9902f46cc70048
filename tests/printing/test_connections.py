"""Printer URLs and the one-way connections (dummy, file, preview) plus the transports that need
hardware or optional packages, up to their python-escpos object and the error a user would see."""

from __future__ import annotations

import sys

import escpos.printer.cups
import escpos.printer.serial
import escpos.printer.usb
import pytest
from PIL import Image, ImageChops, ImageDraw

from app.domain.errors import ConfigurationError, PrintError
from app.printing.backends import open_connection
from app.printing.backends.cups import CupsConnection
from app.printing.backends.dummy import DummyConnection
from app.printing.backends.file import FileConnection
from app.printing.backends.network import NetworkConnection
from app.printing.backends.preview import PreviewConnection
from app.printing.backends.serial import DEFAULT_BAUDRATE, SerialConnection
from app.printing.backends.usb import UsbConnection
from app.printing.decoder import decode_job
from app.printing.escpos import encode_job
from app.printing.profiles import get_profile
from app.printing.status import PaperOut, PrinterStatus, PrinterUnreachable, is_status_byte

PROFILE = get_profile("generic-80")


def load_png(path) -> Image.Image:
    """Read a PNG fully and close the file (pytest turns unclosed files into errors)."""
    with Image.open(path) as image:
        image.load()
        return image.copy()


def sample_image() -> Image.Image:
    """A small 1-bit ticket-like image: text-like blocks, a rule and blank runs."""
    image = Image.new("1", (PROFILE.dots, 120), 1)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 5, 200, 20), fill=0)
    draw.line((0, 40, PROFILE.dots - 1, 40), fill=0, width=2)
    draw.text((20, 80), "Total $10.17", fill=0)
    draw.rectangle((PROFILE.dots - 30, 100, PROFILE.dots - 1, 119), fill=0)
    return image


def sample_job() -> bytes:
    return encode_job(sample_image(), PROFILE, cut=True)


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


# -- URL parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind", "description"),
    [
        ("tcp://192.168.1.50", NetworkConnection, "tcp://192.168.1.50:9100"),
        ("tcp://printer.local:9101", NetworkConnection, "tcp://printer.local:9101"),
        ("TCP://10.0.0.7:9100/", NetworkConnection, "tcp://10.0.0.7:9100"),
        ("tcp://[fd00::50]", NetworkConnection, "tcp://[fd00::50]:9100"),
        ("usb://04b8:0e28", UsbConnection, "usb://04b8:0e28"),
        ("usb://0x04B8:0x0E28?in_ep=0x81&out_ep=2", UsbConnection, "usb://04b8:0e28"),
        ("serial:///dev/ttyUSB0", SerialConnection, f"serial:///dev/ttyUSB0?baudrate={DEFAULT_BAUDRATE}"),
        (
            "serial:///dev/ttyS1?baudrate=38400&parity=e&stopbits=2&rtscts=1",
            SerialConnection,
            "serial:///dev/ttyS1?baudrate=38400",
        ),
        ("serial://COM3?baudrate=9600", SerialConnection, "serial://COM3?baudrate=9600"),
        ("file:/dev/usb/lp0", FileConnection, "file:/dev/usb/lp0"),
        ("file:///dev/usb/lp0", FileConnection, "file:/dev/usb/lp0"),
        ("dummy:", DummyConnection, "dummy:"),
    ],
)
def test_urls_parse_to_their_connection(url, kind, description):
    connection = open_connection(url)
    try:
        assert isinstance(connection, kind)
        assert connection.description == description
    finally:
        connection.close()


def test_usb_and_serial_options_reach_python_escpos():
    usb = open_connection("usb://04b8:0e28?in_ep=0x81&out_ep=2", timeout=3)
    assert (usb._printer.in_ep, usb._printer.out_ep) == (0x81, 2)
    assert usb._printer.usb_args == {"idVendor": 0x04B8, "idProduct": 0x0E28}
    assert usb._printer.timeout == 3000  # milliseconds, never python-escpos's unbounded 0
    serial = open_connection("serial:///dev/ttyS1?parity=e&stopbits=2&bytesize=7")
    printer = serial._printer
    assert (printer.baudrate, printer.parity, printer.stopbits, printer.bytesize) == (DEFAULT_BAUDRATE, "E", 2, 7)
    assert DEFAULT_BAUDRATE == 115200  # not python-escpos's 9600


def test_preview_without_folder_uses_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CAJA_DATA_DIR", str(tmp_path))
    connection = open_connection("preview:")
    assert isinstance(connection, PreviewConnection)
    assert connection.directory == tmp_path / "previews"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("", "Unknown printer address"),
        ("192.168.1.50", "Unknown printer address"),
        ("lpt://1", "Unknown printer address"),
        ("tcp://", "no host name"),
        ("tcp://host:99999", "invalid port"),
        ("tcp://host:abc", "invalid port"),
        ("tcp://::1", "IPv6"),
        ("tcp://host?x=1", "unknown option"),
        ("usb://04b8", "VID:PID"),
        ("usb://zz:0e28", "VID:PID"),
        ("usb://04b8:0e28?interface=1", 'unknown option "interface"'),
        ("serial://", "no serial device"),
        ("serial:///dev/ttyS0?baudrate=fast", 'invalid value "fast"'),
        ("serial:///dev/ttyS0?parity=Q", "invalid value"),
        ("serial:///dev/ttyS0?xonxoff=1", 'unknown option "xonxoff"'),
        ("serial:///dev/ttyS0?bytesize=9", "byte size"),
        ("file:", "no file path"),
        ("file://otherhost/x", "only local files"),
        ("win32://", "no printer name"),
    ],
)
def test_bad_urls_are_configuration_errors_with_a_clear_message(url, fragment):
    with pytest.raises(ConfigurationError) as info:
        open_connection(url)
    assert fragment in info.value.message
    assert "\n" not in info.value.message


def test_bad_url_message_is_translated(spanish):
    with pytest.raises(ConfigurationError) as info:
        open_connection("usb://nope")
    assert "hexadecimal" in info.value.message
    assert info.value.message.startswith("Dirección de impresora no válida")


# -- status bytes -----------------------------------------------------------------------------


def test_status_bytes_are_told_apart_from_noise_and_asb():
    assert is_status_byte(0x12) and is_status_byte(0x1A) and is_status_byte(0x72)
    assert not is_status_byte(0x00)  # silence padding
    assert not is_status_byte(0x10)  # first ASB byte pattern (bit 1 clear)
    assert not is_status_byte(0x92)  # bit 7 set


@pytest.mark.parametrize(
    ("printer", "cause", "paper", "expected"),
    [
        (0x12, 0x12, 0x12, dict(offline=False, cover_open=False, paper_end=False, paper_near_end=False)),
        (0x1A, 0x16, 0x12, dict(offline=True, cover_open=True, paper_end=False)),
        (0x1A, 0x32, 0x72, dict(offline=True, paper_end=True)),
        (0x12, 0x12, 0x1E, dict(offline=False, paper_near_end=True, paper_end=False)),
        (0x1A, 0x52, 0x12, dict(offline=True, error=True)),
    ],
)
def test_status_parsing(printer, cause, paper, expected):
    status = PrinterStatus.parse(printer, cause, paper)
    assert status.answered
    for name, value in expected.items():
        assert getattr(status, name) == value, name


def test_paper_end_wins_over_plain_offline_and_can_say_incomplete():
    status = PrinterStatus.parse(0x1A, 0x32, 0x72)
    with pytest.raises(PaperOut) as info:
        status.raise_if_not_ready("tcp://x:9100", after_send=True)
    assert "out of paper" in info.value.message and "may be incomplete" in info.value.message
    PrinterStatus(answered=False).raise_if_not_ready("x")  # silence is not an error


def test_status_errors_are_translated(spanish):
    with pytest.raises(PaperOut) as info:
        PrinterStatus.parse(0x1A, 0x32, 0x72).raise_if_not_ready("tcp://caja-1:9100")
    assert info.value.message.startswith("La impresora tcp://caja-1:9100 se quedó sin papel")


# -- one-way connections ----------------------------------------------------------------------


def test_dummy_keeps_bytes_that_decode_back_to_the_image():
    job = sample_job()
    connection = open_connection("dummy:")
    connection.check_ready()
    connection.send(job)
    connection.close()
    assert connection.output == job
    assert same_pixels(decode_job(connection.output, PROFILE).image, sample_image())


def test_file_receives_exactly_the_bytes(tmp_path):
    target = tmp_path / "printer.bin"
    job = sample_job()
    connection = open_connection(f"file:{target}")
    connection.check_ready()
    assert not target.exists()  # nothing opened before the job
    connection.send(job)
    connection.close()
    assert target.read_bytes() == job
    connection.close()  # twice is harmless


def test_file_in_a_missing_folder_is_a_clear_print_error(tmp_path):
    connection = open_connection(f"file:{tmp_path}/missing/lp0")
    with pytest.raises(PrinterUnreachable) as info:
        connection.send(sample_job())
    assert "does not exist" in info.value.message
    connection.close()


def test_preview_writes_the_png_of_exactly_what_would_print(tmp_path):
    job = sample_job()
    connection = open_connection(f"preview:{tmp_path / 'out'}", profile=PROFILE)
    connection.check_ready()
    connection.send(job)
    connection.close()
    png = connection.last_png
    assert png is not None and png.parent == tmp_path / "out" and png.suffix == ".png"
    written = load_png(png)
    assert written.width == PROFILE.dots
    assert same_pixels(written, decode_job(job, PROFILE).image)
    # The ticket's pixels are in it, at the top, followed only by the cut's paper.
    assert same_pixels(written.crop((0, 0, PROFILE.dots, 120)), sample_image())


# -- transports that need hardware or optional packages ---------------------------------------


class EmptyUsbBackend:
    """A pyusb backend with no devices on the bus (as on a machine with the printer unplugged)."""

    def enumerate_devices(self):
        return iter(())


def test_usb_without_the_device_is_a_clear_print_error():
    connection = UsbConnection(0x04B8, 0x0E28, backend=EmptyUsbBackend(), timeout=1)
    assert isinstance(connection._printer, escpos.printer.usb.Usb)
    with pytest.raises(PrinterUnreachable) as info:
        connection.check_ready()
    assert "usb://04b8:0e28 not found" in info.value.message
    with pytest.raises(PrinterUnreachable):
        connection.send(b"\x1b@")
    connection.close()


def test_usb_without_pyusb_asks_to_install_the_extra(monkeypatch):
    monkeypatch.setattr(escpos.printer.usb, "_DEP_USB", False)
    with pytest.raises(ConfigurationError) as info:
        open_connection("usb://04b8:0e28")
    assert "caja[usb]" in info.value.message


def test_serial_to_a_missing_device_is_a_clear_print_error(tmp_path):
    connection = open_connection(f"serial://{tmp_path}/ttyUSB9")
    assert isinstance(connection._printer, escpos.printer.serial.Serial)
    with pytest.raises(PrinterUnreachable) as info:
        connection.check_ready()
    assert "does not exist" in info.value.message
    connection.close()


def test_serial_without_pyserial_asks_to_install_the_extra(monkeypatch):
    monkeypatch.setattr(escpos.printer.serial, "_DEP_PYSERIAL", False)
    with pytest.raises(ConfigurationError) as info:
        open_connection("serial:///dev/ttyUSB0")
    assert "caja[serial]" in info.value.message


def test_cups_without_pycups_asks_to_install_the_extra(monkeypatch):
    monkeypatch.setattr(escpos.printer.cups, "_DEP_PYCUPS", False)
    with pytest.raises(ConfigurationError) as info:
        open_connection("cups://receipts")
    assert "caja[cups]" in info.value.message


@pytest.mark.skipif(not escpos.printer.cups.is_usable(), reason="pycups is not installed")
def test_cups_with_pycups_builds_the_printer_object():
    connection = open_connection("cups://receipts")
    assert isinstance(connection, CupsConnection)
    assert isinstance(connection._printer, escpos.printer.cups.CupsPrinter)
    connection.close()


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows message")
def test_win32_outside_windows_is_a_configuration_error():
    with pytest.raises(ConfigurationError) as info:
        open_connection("win32://EPSON TM-T20III Receipt")
    assert "only on Windows" in info.value.message


def test_refused_tcp_is_a_print_error_not_a_configuration_error():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connection = open_connection(f"tcp://127.0.0.1:{port}", timeout=2)
    with pytest.raises(PrintError) as info:
        connection.check_ready()
    assert isinstance(info.value, PrinterUnreachable)
    assert "refused" in info.value.message
    connection.close()


@pytest.mark.parametrize(
    "url",
    [
        "tcp://user:odt_SECRET@printer.local:notaport?key=odt_SECRET",
        "bogus://printer?key=odt_SECRET",
        "tcp://printer:99999?key=odt_SECRET",
    ],
)
def test_errors_never_quote_a_secret_from_the_printer_address(url):
    from app.domain.errors import ConfigurationError
    from app.printing.backends import open_connection

    with pytest.raises(ConfigurationError) as info:
        open_connection(url)
    assert "SECRET" not in info.value.message

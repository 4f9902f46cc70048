"""``preview:DIR``: a PNG of exactly what would print (training mode), no printer involved.

Given an encoded job (:meth:`PreviewConnection.send_job`) it keeps the job's own paper image:
nothing is decoded again. Raw bytes (:meth:`PreviewConnection.send`) are decoded first.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app.i18n import _
from app.printing import url as urls
from app.printing.backends.registry import Target, register
from app.printing.status import SendFailed

if TYPE_CHECKING:
    from PIL import Image

    from app.printing.escpos import EncodedJob
    from app.printing.profiles import PrinterProfile

log = logging.getLogger(__name__)


class PreviewConnection:
    """Writes a PNG of exactly what the paper would show (training mode)."""

    def __init__(self, directory: Path, profile: PrinterProfile | None = None) -> None:
        self.directory = directory
        self.profile = profile
        self.description = f"preview:{directory}"
        self.warnings: list[str] = []
        self.last_png: Path | None = None
        self.last_image: Image.Image | None = None

    def check_ready(self) -> None:
        return None

    def send(self, data: bytes) -> None:
        """Decode raw job bytes and write their paper (the encoder's jobs go to :meth:`send_job`)."""
        from app.printing.decoder import decode_job

        try:
            job = decode_job(data, self.profile)
        except ValueError as exc:
            # Our own encoder produced something our own decoder rejects: a bug, not a user error.
            raise RuntimeError(f"preview cannot decode the job: {exc}") from exc
        self._write(job.image)

    def send_job(self, job: EncodedJob) -> None:
        """Write the paper image the encoder built along with the bytes."""
        self._write(job.paper_image())

    def _write(self, image: Image.Image) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"ticket-{stamp}.png"
            image.save(path, format="PNG")
        except OSError as exc:
            raise SendFailed(
                _("Cannot write the print preview into {folder}: {reason}").format(
                    folder=self.directory, reason=exc.strerror or exc
                )
            ) from exc
        self.last_png, self.last_image = path, image
        log.info("preview written to %s (%dx%d)", path, image.width, image.height)

    def close(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"<PreviewConnection {self.description}>"


class PreviewBackend:
    scheme = "preview"

    def is_usable(self) -> bool:
        return True

    def unusable_error(self) -> NoReturn:  # never: Pillow is a core dependency
        raise AssertionError("preview: is always usable")

    def parse(self, url: str, rest: str) -> Target:
        path, _query = urls.split(urls.strip_slashes(rest) if rest.startswith("///") else rest)
        if path:
            directory = Path(path).expanduser()
        else:
            from app.paths import data_dir

            directory = data_dir() / "previews"
        return Target(self.scheme, f"preview:{directory}", {"directory": directory})

    def connect(
        self, target: Target, *, timeout: float, open_timeout: float, profile: PrinterProfile | None
    ) -> PreviewConnection:
        return PreviewConnection(target.options["directory"], profile)


register(PreviewBackend())

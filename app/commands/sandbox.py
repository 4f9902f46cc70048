"""``caja sandbox [--host 127.0.0.1] [--port N]``: implemented in :mod:`app.sandbox.cli`."""

from app.sandbox.cli import register, run

__all__ = ["register", "run"]

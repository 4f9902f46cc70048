"""Subcommands of the ``caja`` CLI: one module each, exposing ``register(subparsers)``."""

"""Caja: point-of-sale for El Salvador retail counters (Ocote DTE invoices, ESC/POS tickets)."""

__version__ = "0.1.0"

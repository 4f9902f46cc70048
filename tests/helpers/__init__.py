"""Helpers shared by every test package: ``from tests.helpers.clock import FakeClock``."""

"""Printer profiles: the required models, agreement with python-escpos's data, lookup errors."""

from __future__ import annotations

import pytest
from escpos.capabilities import get_profile as escpos_profile

from app.domain.errors import ConfigurationError
from app.printing.profiles import DEFAULT_MAX_BAND_ROWS, PROFILES, get_profile


@pytest.mark.parametrize(
    ("name", "dots", "dpi"),
    [
        ("generic-80", 576, 203),
        ("tm-t20iii", 576, 203),
        ("tm-m30iii", 576, 203),
        ("tm-t88", 512, 180),
        ("generic-58", 384, 203),
        ("bixolon-srp-s300", 640, 203),
    ],
)
def test_required_profiles(name, dots, dpi):
    profile = get_profile(name)
    assert (profile.name, profile.dots, profile.dpi) == (name, dots, dpi)
    assert profile.width_bytes * 8 == dots
    assert 0 < profile.max_band_rows <= DEFAULT_MAX_BAND_ROWS


@pytest.mark.parametrize("profile", [p for p in PROFILES.values() if p.escpos_profile], ids=lambda p: p.name)
def test_agrees_with_python_escpos_capabilities(profile):
    data = escpos_profile(profile.escpos_profile).profile_data
    assert data["media"]["width"]["pixels"] == profile.dots
    assert data["media"]["dpi"] == profile.dpi
    assert data["features"]["paperPartCut"] == profile.can_cut
    assert data["features"]["pulseStandard"] == profile.has_drawer
    assert data["features"]["bitImageRaster"]


def test_tm_t88_feeds_in_360ths_of_an_inch():
    assert get_profile("tm-t88").feed_unit_dots == 0.5


def test_lookup_is_forgiving_about_case_and_spaces():
    assert get_profile(" TM-T88 ") is PROFILES["tm-t88"]


def test_unknown_profile_is_a_translated_configuration_error(spanish):
    with pytest.raises(ConfigurationError) as info:
        get_profile("tm-u220")
    assert "tm-u220" in str(info.value)
    assert "generic-80" in str(info.value)
    assert str(info.value).startswith("Perfil de impresora desconocido")


def test_labels_are_translated(spanish):
    assert get_profile("generic-58").display_label == "Genérica 58 mm (384 puntos)"


def test_millimetres_and_dots():
    profile = get_profile("generic-80")
    assert profile.mm_to_dots(25.4) == 203
    assert profile.dots_to_mm(203) == pytest.approx(25.4)

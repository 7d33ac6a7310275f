"""The app icon renders from its SVG to every PNG size, a multi-size .ico and an .icns."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image


@pytest.fixture(scope="module")
def icon_set(icons_script: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return icons_script.render_icon_set(tmp_path_factory.mktemp("icons"))


def test_icon_renders_to_every_size(icons_script: ModuleType, icon_set: Any) -> None:
    result = icon_set
    assert sorted(result.pngs) == sorted(icons_script.PNG_SIZES)
    assert min(icons_script.PNG_SIZES) == 16 and max(icons_script.PNG_SIZES) == 1024
    for size, path in result.pngs.items():
        with Image.open(path) as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            rgba = image.convert("RGBA")
            # Drawn, not blank: transparent corners, opaque centre, several colours.
            assert rgba.getpixel((0, 0))[3] == 0
            assert rgba.getpixel((size // 2, size // 2))[3] == 255
            assert len(rgba.getcolors(maxcolors=1 << 20) or []) > 3


def test_ico_and_icns_hold_the_platform_sizes(icons_script: ModuleType, icon_set: Any) -> None:
    result = icon_set
    with Image.open(result.ico) as ico:
        assert {s[0] for s in ico.info["sizes"]} == set(icons_script.ICO_SIZES)
    with Image.open(result.icns) as icns:
        sizes = {s[0] * s[2] for s in icns.info["sizes"]}
        assert set(icons_script.ICNS_SIZES) <= sizes


# Qt reports the parse error as a warning before the renderer says it is invalid.
@pytest.mark.qt_log_ignore("Cannot read file")
def test_invalid_svg_is_refused(icons_script: ModuleType, tmp_path: Path) -> None:
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg", encoding="utf-8")
    with pytest.raises(ValueError, match="not a valid SVG"):
        icons_script.render_png(bad, 16)

"""Render the app icon (resources/icons/agent-desktop.svg) to PNGs, a Windows .ico and a macOS .icns.

Qt's SVG renderer draws each size from the vector source (small sizes stay crisp); Pillow packs
the PNGs into the multi-size .ico and .icns containers.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "agent-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The sizes the ICNS container holds (Pillow writes ic07..ic14 from these).
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


@dataclass(frozen=True)
class IconSet:
    """The rendered files: one PNG per size, the .ico and the .icns."""

    pngs: dict[int, Path]
    ico: Path
    icns: Path


def _ensure_gui() -> object:
    """QPainter on a QImage needs a QGuiApplication; start an offscreen one if none runs."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv else "icons"])
    return app


def render_png(svg: Path, size: int) -> bytes:
    """The icon drawn at `size` × `size` pixels, as PNG bytes with an alpha channel."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _ensure_gui()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not encode the {size}px icon as PNG")
    buffer.close()
    return bytes(data.data())


def render_icon_set(out_dir: Path, svg: Path = SVG, name: str = "agent-desktop") -> IconSet:
    """Write `name-SIZE.png` for every size, `name.ico` and `name.icns` into `out_dir`."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    pngs: dict[int, Path] = {}
    images: dict[int, Image.Image] = {}
    for size in PNG_SIZES:
        data = render_png(svg, size)
        path = out_dir / f"{name}-{size}.png"
        path.write_bytes(data)
        pngs[size] = path
        images[size] = Image.open(io.BytesIO(data)).convert("RGBA")

    ico = out_dir / f"{name}.ico"
    largest_ico = images[max(ICO_SIZES)]
    largest_ico.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    icns = out_dir / f"{name}.icns"
    images[1024].save(
        icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES if s != 1024]
    )
    return IconSet(pngs=pngs, ico=ico, icns=icns)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    result = render_icon_set(target)
    print(
        f"icons written to {target}: {len(result.pngs)} PNGs, {result.ico.name}, {result.icns.name}"
    )

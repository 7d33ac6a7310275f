"""Product and avatar pictures for the demo shop, drawn with Pillow at seed time.

Each product kind has a simple, recognisable drawing (a shirt, a mug, a sneaker...) in the
product's colour on a subtle background; pictures are drawn at 512 px and reduced to 256 × 256 PNG.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from agent_desktop.server.demo.catalogue import Product
from agent_desktop.server.demo.drawings import DRAWINGS, RGB, SIZE, Pen, S, luma, mix


def _background(colour: RGB) -> Image.Image:
    """A soft vertical gradient tinted by the product colour, with a floor shadow."""
    light = luma(colour) > 200
    top = mix(colour, (255, 255, 255), 0.9) if not light else (226, 232, 240)
    bottom = mix(colour, (236, 236, 236), 0.78) if not light else (200, 208, 220)
    grad = Image.linear_gradient("L").resize((S, S))
    img = Image.composite(Image.new("RGB", (S, S), bottom), Image.new("RGB", (S, S), top), grad)
    shadow = Image.new("L", (S, S), 0)
    ImageDraw.Draw(shadow).ellipse((96, 420, 416, 480), fill=70)
    shadow = shadow.filter(ImageFilter.GaussianBlur(14))
    return Image.composite(Image.new("RGB", (S, S), mix(bottom, (0, 0, 0), 0.3)), img, shadow)


def draw_product(product: Product) -> Image.Image:
    """The product's 256 × 256 picture."""
    img = _background(product.rgb)
    pen = Pen(ImageDraw.Draw(img), product.rgb)
    DRAWINGS[product.kind](pen)
    return img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def save_product_picture(product: Product, folder: Path) -> Path:
    """Draw the product's picture into folder/<sku>.png (kept if it already exists)."""
    return _saved(folder / f"{product.sku}.png", lambda: draw_product(product))


def _saved(path: Path, draw: Callable[[], Image.Image]) -> Path:
    """`path`, drawn and written as PNG unless it already exists."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draw().save(path, "PNG")
    return path


AVATAR_COLOURS: tuple[RGB, ...] = (
    (236, 112, 99), (93, 173, 226), (88, 214, 141), (245, 176, 65), (165, 105, 189),
    (72, 201, 176), (235, 152, 78), (133, 146, 158), (241, 148, 138), (127, 179, 213),
    (130, 224, 170), (247, 220, 111),
)  # fmt: skip
_SKIN: tuple[RGB, ...] = (
    (255, 224, 196),
    (241, 194, 160),
    (224, 172, 130),
    (198, 134, 90),
    (141, 85, 54),
)
_HAIR: tuple[RGB, ...] = (
    (40, 30, 24),
    (90, 60, 36),
    (160, 110, 60),
    (214, 180, 110),
    (120, 40, 30),
    (30, 30, 30),
)


def draw_avatar(index: int) -> Image.Image:
    """A 128 × 128 head-and-shoulders portrait, varied by index."""
    bg = AVATAR_COLOURS[index % len(AVATAR_COLOURS)]
    skin = _SKIN[(index // 3) % len(_SKIN)]
    hair = _HAIR[(index // 2) % len(_HAIR)]
    shirt = mix(AVATAR_COLOURS[(index * 5 + 3) % len(AVATAR_COLOURS)], (40, 40, 60), 0.35)
    img = Image.new("RGB", (S, S), bg)
    d = ImageDraw.Draw(img)
    d.ellipse((96, 340, 416, 640), fill=shirt)
    d.rectangle((220, 280, 292, 360), fill=skin)
    long_hair = index % 2 == 0
    if long_hair:
        d.rounded_rectangle((140, 120, 372, 380), radius=100, fill=hair)
    d.ellipse((160, 110, 352, 330), fill=skin)
    d.chord((152, 92, 360, 280), 180, 360, fill=hair)
    d.ellipse((206, 206, 222, 222), fill=(50, 40, 40))
    d.ellipse((290, 206, 306, 222), fill=(50, 40, 40))
    d.arc((226, 240, 286, 290), 20, 160, fill=(150, 70, 70), width=6)
    return img.resize((128, 128), Image.Resampling.LANCZOS)


def save_avatar(index: int, folder: Path) -> Path:
    return _saved(folder / f"avatar-{index:02d}.png", lambda: draw_avatar(index))

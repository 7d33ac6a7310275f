"""The drawings of the demo shop's products (pictures.py puts them on a background and saves
them): one function a product kind, in the product's colour with a darker outline, on a 512 px
canvas reduced to 256 px for smooth edges."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PIL import ImageDraw

RGB = tuple[int, int, int]
SIZE = 256
S = 512  # drawing size; reduced to SIZE for smooth edges
W = 8  # outline width at drawing size


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """The colour a fraction t of the way from a to b."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def luma(c: RGB) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


class Pen:
    """The drawing context of one picture: fill colour, outline colour and accents."""

    def __init__(self, draw: ImageDraw.ImageDraw, colour: RGB) -> None:
        self.d = draw
        self.fill = colour
        light = luma(colour) > 200
        self.line = mix(colour, (40, 40, 48), 0.55 if not light else 0.6)
        self.dark = mix(colour, (0, 0, 0), 0.25)
        self.light = mix(colour, (255, 255, 255), 0.35)
        self.accent = (250, 250, 248) if luma(colour) < 150 else mix(colour, (30, 30, 36), 0.7)

    def poly(self, pts: Sequence[tuple[float, float]], fill: RGB | None = None) -> None:
        self.d.polygon(pts, fill=fill or self.fill, outline=self.line, width=W)

    def rect(
        self, box: tuple[float, float, float, float], r: float = 18, fill: RGB | None = None
    ) -> None:
        self.d.rounded_rectangle(box, radius=r, fill=fill or self.fill, outline=self.line, width=W)

    def ellipse(self, box: tuple[float, float, float, float], fill: RGB | None = None) -> None:
        self.d.ellipse(box, fill=fill or self.fill, outline=self.line, width=W)

    def line_(
        self, pts: Sequence[tuple[float, float]], width: int = W, fill: RGB | None = None
    ) -> None:
        self.d.line(pts, fill=fill or self.line, width=width, joint="curve")

    def dot(self, x: float, y: float, r: float, fill: RGB | None = None) -> None:
        self.d.ellipse((x - r, y - r, x + r, y + r), fill=fill or self.line)


# --- clothes -------------------------------------------------------------------------------


def _top(p: Pen, long_sleeves: bool) -> None:
    body = [
        (176, 120),
        (336, 120),
        (392, 150),
        (352, 176),
        (352, 420),
        (160, 420),
        (160, 176),
        (120, 150),
    ]
    if long_sleeves:
        p.poly([(130, 142), (176, 122), (176, 200), (150, 400), (102, 392)])
        p.poly([(382, 142), (336, 122), (336, 200), (362, 400), (410, 392)])
        body = [(176, 120), (336, 120), (352, 176), (352, 420), (160, 420), (160, 176)]
    else:
        p.poly([(176, 122), (120, 150), (88, 230), (150, 252), (176, 200)])
        p.poly([(336, 122), (392, 150), (424, 230), (362, 252), (336, 200)])
    p.poly(body)


def draw_tshirt(p: Pen) -> None:
    _top(p, long_sleeves=False)
    p.d.chord((216, 92, 296, 160), 0, 180, fill=p.dark, outline=p.line, width=W)


def draw_breton(p: Pen) -> None:
    white = (246, 244, 238)
    _top(p, long_sleeves=False)
    p.poly(
        [
            (176, 120),
            (336, 120),
            (392, 150),
            (424, 230),
            (362, 252),
            (352, 200),
            (352, 420),
            (160, 420),
            (160, 200),
            (150, 252),
            (88, 230),
            (120, 150),
        ],
        fill=white,
    )
    for y in range(170, 410, 36):
        p.d.rectangle((164, y, 348, y + 14), fill=p.fill)
    p.d.chord((216, 92, 296, 160), 0, 180, fill=white, outline=p.line, width=W)


def draw_shirt(p: Pen) -> None:
    _top(p, long_sleeves=True)
    p.poly([(206, 112), (256, 170), (226, 186), (196, 140)], fill=p.light)
    p.poly([(306, 112), (256, 170), (286, 186), (316, 140)], fill=p.light)
    p.line_([(256, 170), (256, 416)], width=5)
    for y in range(200, 420, 48):
        p.dot(272, y, 7, fill=p.accent)
    p.rect((290, 220, 330, 262), r=4, fill=p.light)


def draw_sweater(p: Pen) -> None:
    _top(p, long_sleeves=True)
    p.d.chord((210, 96, 302, 170), 0, 180, fill=p.dark, outline=p.line, width=W)
    p.rect((160, 392, 352, 420), r=4, fill=p.dark)
    for x in (230, 282):
        p.line_(
            [
                (x, 190),
                (x - 10, 214),
                (x, 238),
                (x - 10, 262),
                (x, 286),
                (x - 10, 310),
                (x, 334),
                (x - 10, 358),
            ],
            width=6,
            fill=p.dark,
        )


def draw_hoodie(p: Pen) -> None:
    _top(p, long_sleeves=True)
    p.poly([(196, 124), (206, 70), (256, 52), (306, 70), (316, 124), (256, 160)], fill=p.dark)
    p.rect((200, 300, 312, 370), r=12, fill=p.dark)
    p.line_([(238, 160), (234, 236)], width=5, fill=p.accent)
    p.line_([(274, 160), (278, 236)], width=5, fill=p.accent)


def draw_dress(p: Pen) -> None:
    p.poly(
        [
            (206, 92),
            (226, 92),
            (236, 150),
            (276, 150),
            (286, 92),
            (306, 92),
            (320, 180),
            (296, 240),
            (392, 440),
            (120, 440),
            (216, 240),
            (192, 180),
        ]
    )
    p.rect((210, 232, 302, 252), r=6, fill=p.dark)
    for x in (180, 256, 332):
        p.line_([(x if x == 256 else (x + 256) // 2, 262), (x, 432)], width=4, fill=p.dark)


def draw_jeans(p: Pen) -> None:
    p.poly([(168, 96), (344, 96), (372, 430), (286, 430), (256, 200), (226, 430), (140, 430)])
    p.rect((168, 96, 344, 126), r=4, fill=p.dark)
    p.dot(256, 111, 7, fill=(214, 180, 90))
    p.line_([(190, 126), (196, 176), (236, 170)], width=5)
    p.line_([(322, 126), (316, 176), (276, 170)], width=5)
    p.line_([(256, 126), (256, 200)], width=5)


def draw_jacket(p: Pen) -> None:
    _top(p, long_sleeves=True)
    p.poly([(196, 116), (250, 236), (226, 250), (170, 150)], fill=p.dark)
    p.poly([(316, 116), (262, 236), (286, 250), (342, 150)], fill=p.dark)
    p.line_([(256, 236), (256, 418)], width=6)
    for y in (270, 320, 370):
        p.dot(240, y, 8, fill=p.accent)
    p.rect((176, 300, 226, 340), r=4, fill=p.dark)
    p.rect((286, 300, 336, 340), r=4, fill=p.dark)


# --- shoes ---------------------------------------------------------------------------------


def draw_sneaker(p: Pen) -> None:
    sole = (246, 246, 244) if luma(p.fill) < 200 else (70, 72, 80)
    p.poly(
        [
            (80, 336),
            (96, 250),
            (150, 216),
            (212, 180),
            (268, 178),
            (300, 232),
            (380, 262),
            (436, 292),
            (444, 336),
        ]
    )
    p.rect((70, 332, 450, 372), r=20, fill=sole)
    p.poly([(96, 250), (150, 216), (162, 300), (88, 310)], fill=p.dark)
    for i in range(4):
        x = 218 + i * 24
        p.line_([(x, 196 + i * 12), (x + 34, 214 + i * 12)], width=6, fill=p.accent)
    p.line_([(300, 300), (360, 290), (420, 310)], width=6, fill=p.dark)


def draw_boot(p: Pen) -> None:
    p.poly([(150, 86), (290, 86), (300, 280), (420, 320), (440, 368), (140, 368)])
    p.rect((132, 360, 448, 396), r=10, fill=mix(p.fill, (20, 20, 20), 0.6))
    p.d.rectangle((170, 140, 270, 250), fill=p.dark)
    p.rect((196, 60, 244, 110), r=12, fill=p.dark)


def draw_sandal(p: Pen) -> None:
    p.d.ellipse(
        (100, 150, 412, 400), fill=mix(p.fill, (255, 255, 255), 0.3), outline=p.line, width=W
    )
    p.rect((130, 190, 382, 236), r=18)
    p.rect((150, 286, 362, 332), r=18)
    p.line_([(256, 236), (256, 286)], width=14, fill=p.fill)
    p.dot(256, 212, 10, fill=(214, 180, 90))


# --- accessories ---------------------------------------------------------------------------


def draw_tote(p: Pen) -> None:
    p.d.arc((170, 70, 342, 260), 180, 360, fill=p.line, width=16)
    p.poly([(130, 170), (382, 170), (404, 440), (108, 440)])
    p.rect((196, 250, 316, 330), r=8, fill=p.light)
    p.d.text((230, 276), "A·L", fill=p.line, font_size=40)


def draw_handbag(p: Pen) -> None:
    p.d.arc((176, 90, 336, 260), 180, 360, fill=p.line, width=18)
    p.rect((110, 180, 402, 420), r=40)
    p.poly([(110, 200), (402, 200), (402, 280), (256, 320), (110, 280)], fill=p.dark)
    p.rect((236, 292, 276, 332), r=6, fill=(214, 180, 90))


def draw_backpack(p: Pen) -> None:
    p.d.arc((206, 50, 306, 130), 180, 360, fill=p.line, width=14)
    p.rect((140, 90, 372, 440), r=70)
    p.rect((176, 280, 336, 410), r=30, fill=p.dark)
    p.line_([(190, 300), (322, 300)], width=5, fill=p.accent)
    p.line_([(150, 150), (362, 150)], width=5, fill=p.dark)


def draw_cap(p: Pen) -> None:
    p.d.chord((120, 150, 392, 420), 180, 360, fill=p.fill, outline=p.line, width=W)
    p.poly([(120, 286), (392, 286), (460, 316), (440, 334), (120, 304)], fill=p.dark)
    p.dot(256, 156, 14, fill=p.dark)
    p.line_([(256, 156), (256, 286)], width=5)
    p.line_([(190, 176), (200, 286)], width=4)
    p.line_([(322, 176), (312, 286)], width=4)


def draw_beanie(p: Pen) -> None:
    p.dot(256, 120, 40, fill=p.light)
    p.d.chord((130, 130, 382, 420), 180, 360, fill=p.fill, outline=p.line, width=W)
    p.rect((116, 270, 396, 350), r=16, fill=p.dark)
    for x in range(140, 392, 28):
        p.line_([(x, 278), (x, 342)], width=4, fill=p.fill)


def draw_scarf(p: Pen) -> None:
    p.poly([(150, 90), (362, 90), (362, 150), (150, 150)])
    p.poly([(170, 150), (240, 150), (230, 400), (160, 400)])
    p.poly([(272, 150), (342, 150), (352, 360), (282, 360)], fill=p.dark)
    for x in range(166, 234, 14):
        p.line_([(x, 400), (x, 436)], width=5)
    for x in range(284, 352, 14):
        p.line_([(x, 360), (x, 396)], width=5)
    for y in (200, 300):
        p.line_([(168, y), (236, y)], width=8, fill=p.accent)


def draw_sunglasses(p: Pen) -> None:
    lens = mix(p.fill, (20, 20, 30), 0.6)
    p.line_([(70, 220), (110, 230)], width=12, fill=p.fill)
    p.line_([(442, 220), (402, 230)], width=12, fill=p.fill)
    p.d.rounded_rectangle((104, 200, 240, 320), radius=50, fill=lens, outline=p.fill, width=16)
    p.d.rounded_rectangle((272, 200, 408, 320), radius=50, fill=lens, outline=p.fill, width=16)
    p.d.arc((230, 214, 282, 262), 200, 340, fill=p.fill, width=14)
    p.line_([(130, 230), (160, 220)], width=6, fill=(230, 230, 240))
    p.line_([(298, 230), (328, 220)], width=6, fill=(230, 230, 240))


def draw_watch(p: Pen) -> None:
    p.rect((212, 50, 300, 462), r=24)
    for y in (90, 120, 392, 422):
        p.line_([(226, y), (286, y)], width=4, fill=p.dark)
    p.d.ellipse((150, 150, 362, 362), fill=(214, 196, 150), outline=(120, 100, 60), width=10)
    p.d.ellipse((170, 170, 342, 342), fill=(250, 248, 242), outline=(160, 140, 100), width=4)
    for i in range(12):
        a = i * math.pi / 6
        r1, r2 = 72, 82 if i % 3 else 64
        p.line_(
            [
                (256 + r1 * math.cos(a), 256 + r1 * math.sin(a)),
                (256 + r2 * math.cos(a), 256 + r2 * math.sin(a)),
            ],
            width=5,
            fill=(60, 60, 60),
        )
    p.line_([(256, 256), (256, 200)], width=8, fill=(40, 40, 40))
    p.line_([(256, 256), (300, 276)], width=6, fill=(40, 40, 40))
    p.dot(256, 256, 8, fill=(40, 40, 40))


def draw_belt(p: Pen) -> None:
    p.d.arc((70, 130, 442, 400), 0, 360, fill=p.line, width=46)
    p.d.arc((76, 136, 436, 394), 0, 360, fill=p.fill, width=34)
    p.d.rectangle((380, 236, 460, 300), fill=(214, 180, 90), outline=(140, 110, 50), width=8)
    p.d.rectangle((396, 250, 444, 286), fill=p.dark)
    for a in range(200, 330, 24):
        x = 256 + 172 * math.cos(math.radians(a))
        y = 265 + 122 * math.sin(math.radians(a))
        p.dot(x, y, 6, fill=p.dark)


def draw_socks(p: Pen) -> None:
    for dx, col in ((-70, p.dark), (70, p.fill)):
        x = 200 + dx
        p.poly(
            [
                (x, 80),
                (x + 90, 80),
                (x + 90, 330),
                (x + 140, 380),
                (x + 120, 430),
                (x - 10, 420),
                (x - 20, 340),
                (x, 300),
            ],
            fill=col,
        )
        p.d.rectangle((x + 4, 84, x + 86, 120), fill=p.accent)
        p.line_([(x, 200), (x + 90, 200)], width=10, fill=p.accent)


# --- home ----------------------------------------------------------------------------------


def draw_mug(p: Pen) -> None:
    p.d.ellipse((328, 200, 440, 340), outline=p.line, width=30)
    p.d.ellipse((336, 208, 432, 332), outline=p.fill, width=14)
    p.rect((120, 150, 360, 420), r=30)
    p.d.ellipse((120, 130, 360, 174), fill=p.dark, outline=p.line, width=W)
    p.line_([(150, 380), (330, 380)], width=5, fill=p.dark)
    steam = (190, 190, 200)
    for x in (190, 240, 290):
        p.line_([(x, 110), (x + 14, 88), (x, 66), (x + 14, 44)], width=7, fill=steam)


def draw_candle(p: Pen) -> None:
    p.rect((156, 200, 356, 430), r=16, fill=(230, 230, 234))
    p.rect((168, 210, 344, 420), r=10)
    p.rect((196, 290, 316, 350), r=6, fill=(250, 248, 240))
    p.line_([(256, 170), (256, 204)], width=6, fill=(40, 40, 40))
    p.d.ellipse((232, 96, 280, 178), fill=(255, 180, 40), outline=(230, 120, 30), width=5)
    p.d.ellipse((246, 130, 266, 172), fill=(255, 240, 170))


def draw_cushion(p: Pen) -> None:
    for cx, cy, sx, sy in (
        (110, 110, 1, 1),
        (402, 110, -1, 1),
        (110, 402, 1, -1),
        (402, 402, -1, -1),
    ):
        p.poly(
            [(cx - 4 * sx, cy - 4 * sy), (cx + 70 * sx, cy + 18 * sy), (cx + 18 * sx, cy + 70 * sy)]
        )
    p.rect((110, 110, 402, 402), r=90)
    p.line_([(160, 170), (210, 220)], width=5, fill=p.dark)
    p.line_([(352, 342), (302, 292)], width=5, fill=p.dark)
    p.dot(256, 256, 12, fill=p.dark)


def draw_pot(p: Pen) -> None:
    leaf = (72, 140, 78)
    for ang in (-60, -25, 10, 45, -100, 80):
        a = math.radians(ang - 90 + 90)
        cx, cy = 256 + 110 * math.sin(a), 200 - 100 * math.cos(a) * 0.9
        p.d.ellipse(
            (cx - 46, cy - 80, cx + 46, cy + 80),
            fill=leaf,
            outline=mix(leaf, (0, 0, 0), 0.4),
            width=6,
        )
    p.poly([(150, 250), (362, 250), (336, 440), (176, 440)])
    p.rect((136, 236, 376, 276), r=10, fill=p.light)


def draw_lamp(p: Pen) -> None:
    shade = (246, 238, 214)
    p.rect((196, 420, 316, 446), r=10)
    p.line_([(256, 420), (256, 230)], width=16, fill=p.fill)
    p.line_([(256, 420), (256, 230)], width=4, fill=p.dark)
    p.poly([(186, 90), (326, 90), (386, 250), (126, 250)], fill=shade)
    p.d.polygon([(150, 250), (362, 250), (420, 330), (92, 330)], fill=(255, 246, 200))


def draw_vase(p: Pen) -> None:
    p.poly(
        [
            (216, 80),
            (296, 80),
            (290, 130),
            (360, 230),
            (350, 390),
            (300, 440),
            (212, 440),
            (162, 390),
            (152, 230),
            (222, 130),
        ]
    )
    p.line_([(190, 240), (200, 380)], width=10, fill=p.light)
    stem = (82, 130, 70)
    for dx, top in ((-30, 30), (0, 10), (34, 40)):
        p.line_([(256 + dx // 3, 90), (256 + dx, top + 30)], width=6, fill=stem)
        p.dot(256 + dx, top + 26, 18, fill=(240, 200, 80) if dx else (230, 110, 120))


def draw_towel(p: Pen) -> None:
    p.rect((110, 300, 402, 400), r=14, fill=p.dark)
    p.rect((130, 210, 382, 310), r=14)
    p.rect((150, 120, 362, 220), r=14, fill=p.light)
    for y, x0, x1 in ((370, 110, 402), (280, 130, 382), (190, 150, 362)):
        p.line_([(x0 + 8, y), (x1 - 8, y)], width=6, fill=p.line)


def draw_plate(p: Pen) -> None:
    for i, off in enumerate((60, 40, 20, 0)):
        c = p.fill if i == 3 else mix(p.fill, (150, 150, 150), 0.25)
        p.d.ellipse((96, 96 + off * 2, 416, 320 + off * 2), fill=c, outline=p.line, width=W)
    p.d.ellipse((156, 136, 356, 276), outline=mix(p.fill, (70, 110, 160), 0.6), width=8)


DRAWINGS: dict[str, Callable[[Pen], None]] = {
    "tshirt": draw_tshirt,
    "breton": draw_breton,
    "shirt": draw_shirt,
    "sweater": draw_sweater,
    "hoodie": draw_hoodie,
    "dress": draw_dress,
    "jeans": draw_jeans,
    "jacket": draw_jacket,
    "sneaker": draw_sneaker,
    "boot": draw_boot,
    "sandal": draw_sandal,
    "tote": draw_tote,
    "handbag": draw_handbag,
    "backpack": draw_backpack,
    "cap": draw_cap,
    "beanie": draw_beanie,
    "scarf": draw_scarf,
    "sunglasses": draw_sunglasses,
    "watch": draw_watch,
    "belt": draw_belt,
    "socks": draw_socks,
    "mug": draw_mug,
    "candle": draw_candle,
    "cushion": draw_cushion,
    "pot": draw_pot,
    "lamp": draw_lamp,
    "vase": draw_vase,
    "towel": draw_towel,
    "plate": draw_plate,
}

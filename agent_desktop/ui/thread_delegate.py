"""Paints one row of the thread list: avatar, name, live timer, preview, unread badge, window state.

Painted rather than built from widgets, so ten thousand threads cost what the visible rows cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from agent_desktop.ui import fmt, theme
from agent_desktop.ui.plain_text import ROW_CHARS, isolate, one_line
from agent_desktop.ui.thread_fonts import AVATAR, PAD, RowFonts
from agent_desktop.ui.thread_model import ROW_ROLE, preview_text

if TYPE_CHECKING:
    from agent_desktop.core.rows import ThreadRow

Index = QModelIndex | QPersistentModelIndex
ALIGN = Qt.AlignmentFlag.AlignVCenter
SELECTED = QStyle.StateFlag.State_Selected.value
WHITE = QColor("white")
_SELECTED = theme.avatar_colour("x")  # an unread badge's colour on a selected row
# Initials discs (12 hues), avatar pictures, badge pills (per colour, width) kept as pixmaps (~6 KB a
# disc or picture, ~2 KB a pill): a few screens' worth (a screen shows ~12 rows), at most ~0.4 MB.
STAMPS_KEPT = 64
SPARES = 2  # pictures of rows that left, kept to be drawn over (~70 KB each at 320 px)


class ThreadDelegate(QStyledItemDelegate):
    """Paints thread rows. `pixmap_for(url)` returns a loaded avatar picture or None."""

    def __init__(
        self,
        parent: QWidget | None = None,
        pixmap_for: Callable[[str], QPixmap | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._pixmap_for = pixmap_for or (lambda url: None)
        # False once the bridge says the Page lacks Meta's Human Agent permission (24 h–7 d closed).
        self.human_agent_granted: bool | None = None
        self._fonts: RowFonts | None = None
        self._stamps = theme.Stamps(STAMPS_KEPT)
        # The last rows painted by thread id, each as a picture of all it shows but its timer,
        # with everything that picture depends on (its layout: size, state, palette, font...).
        self._images: dict[str, _Kept] = {}
        # Pictures of rows that left (or were re-made), drawn over by the next rows made: a new
        # picture costs an allocation and, on its first QPainter, a paint engine of its own
        # (~50 K instructions a row; a scroll step of the bench draws ~7 rows anew).
        self._spares: list[QPixmap] = []
        # Pictures re-made in full and rows whose preview line alone was drawn again (tests).
        self.made = self.updated = 0

    def window_text(self, thread: ThreadRow) -> str:
        state = thread.window_state
        if state == "standard":
            until = thread.standard_window_until
            if until is not None and thread.window_closes_at == until:
                return self.tr("Ad window")
            return self.tr("24 h window")
        if state == "human_agent":
            if self.human_agent_granted is False and thread.channel == "messenger":
                return self.tr("Window closed")
            return self.tr("Human agent tag")
        if state == "closed":
            return self.tr("Window closed")
        return ""

    def status_text(self, thread: ThreadRow) -> str:
        return {
            "open": "",
            "pending": self.tr("Pending"),
            "resolved": self.tr("Resolved"),
            "spam": self.tr("Spam"),
        }.get(thread.status, "")

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(260, self._fonts_for(option.font).row_h)

    def _fonts_for(self, font: QFont) -> RowFonts:
        fonts = self._fonts  # compared as fonts: a font's key() costs ~3 µs (~0.4 µs)
        if fonts is None or fonts.base != font:
            fonts = self._fonts = RowFonts(font)
            self._images.clear()
        return fonts

    def _facts(self, thread: ThreadRow) -> tuple[object, ...]:
        """What a row's picture shows of its thread outside the preview line (the avatar, the
        name and its weight, the meta line): a thread whose facts are the same needs that line
        alone drawn again. A new message moves the reply window's end, which the row does not
        show: its state and the text it gives are compared."""
        return (
            thread.customer_id,
            thread.customer_name,
            thread.customer_avatar_url,
            thread.unread > 0,
            thread.channel,
            thread.window_state,
            self.window_text(thread),
            thread.status,
        )

    def _texts(self, thread: ThreadRow, width: int, assignee: str, fonts: RowFonts) -> _Texts:
        """The row's name and meta line (lines 1 and 3), elided to its width."""
        texts = _Texts(one_line(thread.customer_name, ROW_CHARS))
        win = self.window_text(thread)
        x = PAD + AVATAR + PAD
        if win:
            texts.dot = theme.WINDOW_COLOURS.get(thread.window_state, theme.WINDOW_COLOURS["none"])
            x += 10
        parts = [thread.channel.capitalize()]
        if win:
            parts.append(win)
        parts.append(isolate(one_line(assignee, ROW_CHARS)) if assignee else self.tr("Unassigned"))
        status = self.status_text(thread)
        if status:
            parts.append(status)
        right = width - 1 - PAD
        texts.meta = fonts.sfm.elidedText(" · ".join(parts), Qt.TextElideMode.ElideRight, right - x)
        return texts

    def _line2(self, thread: ThreadRow, width: int, fonts: RowFonts) -> _Line2:
        """The row's preview line: the last message elided beside its unread badge."""
        count = ""
        badge_w = 0
        if thread.unread:
            count = "99+" if thread.unread > 99 else str(thread.unread)
            badge_w = fonts.badge_width(count, 10, fonts.line_h)
        preview = one_line(preview_text(thread), ROW_CHARS)
        last = thread.last_message
        if last is not None and last.author.kind == "agent":
            if last.kind == "note":
                preview = self.tr("Note: %1").replace("%1", isolate(preview))
            else:
                preview = self.tr("You: %1").replace("%1", isolate(preview))
        left = PAD + AVATAR + PAD
        pw = width - 1 - PAD - left - badge_w - (PAD if badge_w else 0)
        if not (preview.isascii() and preview.isprintable() and len(preview) * fonts.ascii_w <= pw):
            preview = fonts.fm.elidedText(preview, Qt.TextElideMode.ElideRight, pw)
        return _Line2(count, badge_w, preview)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(ROW_ROLE)
        if row is None:
            return
        thread, timer, assignee = row
        rect: QRect = option.rect
        fonts = self._fonts_for(option.font)
        timer_text = timer.text
        timer_w = fonts.badge_width(timer_text) if timer_text and timer.state != "none" else 0
        url = thread.customer_avatar_url
        pic = self._pixmap_for(url) if url else None
        if pic is not None and pic.isNull():
            pic = None
        state = option.state.value  # read once: each read of a flag from an option costs ~3 µs
        shown = _Shown(thread, fonts, timer_w, assignee, pic, state, bool(state & SELECTED))
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        if option.widget is None:  # not for a view (a test, a drag picture): no frames to come
            painter.save()
            self._paint_row(painter, option, shown, None)
            painter.restore()
        else:
            self._paint_kept(painter, option, shown, ratio)
        if timer_w:
            painter.save()
            self._badge(
                painter,
                QRectF(rect.right() - PAD - timer_w, rect.top() + PAD, timer_w, fonts.line_h),
                timer_text,
                theme.TIMER_COLOURS.get(timer.state, theme.TIMER_COLOURS["ok"]),
                fonts,
                ratio,
            )
            painter.restore()

    def _paint_kept(
        self, painter: QPainter, option: QStyleOptionViewItem, shown: _Shown, ratio: float
    ) -> None:
        """The row but its timer, copied from its picture, which is drawn first if needed. A
        row is painted again on every frame that scrolls the view when the platform cannot
        scroll the viewport's pixels, and every second while its timer runs: drawing its texts
        costs ~0.5 ms a row, copying its picture ~0.02 ms. When only its preview line changed
        (a new message: the text, the unread count), only that line of the picture is drawn
        again."""
        thread, fonts, timer_w, assignee, pic, state, _ = shown
        rect: QRect = option.rect
        # Everything the picture depends on but the thread.
        layout = (
            rect.width(),
            rect.height(),
            state,
            option.palette.cacheKey(),
            fonts.key,
            timer_w,
            assignee,
            pic.cacheKey() if pic is not None else 0,
            self.human_agent_granted,
            fmt.locale(),
            ratio,
        )
        # Taken out and put back last: the least recently painted go first.
        kept = self._images.pop(thread.id, None)
        if kept is None or kept.layout != layout:
            if kept is not None:
                self._spare(kept.image)
            kept = self._make(option, shown, layout, ratio)
        elif kept.thread is not thread:
            if kept.facts == self._facts(thread):
                self._update_line2(kept, option, shown)
            else:
                self._spare(kept.image)
                kept = self._make(option, shown, layout, ratio)
        self._images[thread.id] = kept
        # A screenful and a little: the rows of the frame before are painted again when the
        # view scrolls and when the timers tick.
        widget = option.widget
        limit = (widget.height() // max(1, rect.height()) + 3) if widget is not None else 16
        while len(self._images) > limit:
            self._spare(self._images.pop(next(iter(self._images))).image)
        painter.drawPixmap(rect.topLeft(), kept.image)

    def _spare(self, image: QPixmap) -> None:
        if len(self._spares) < SPARES:
            self._spares.append(image)

    def _make(
        self, option: QStyleOptionViewItem, shown: _Shown, layout: tuple[object, ...], ratio: float
    ) -> _Kept:
        rect: QRect = option.rect
        w, h = round(rect.width() * ratio), round(rect.height() * ratio)
        image = self._spares.pop() if self._spares else None
        if image is None or image.width() != w or image.height() != h:
            image = QPixmap(w, h)  # else drawn over: the base fill below covers it as a new one
        image.setDevicePixelRatio(ratio)
        inner = QPainter(image)
        row = QStyleOptionViewItem(option)
        row.rect = QRect(0, 0, rect.width(), rect.height())
        # What the view's viewport painted beneath the row: text is then drawn on an opaque
        # background, as it would be straight on the viewport (subpixel antialiasing).
        inner.fillRect(row.rect, option.palette.brush(QPalette.ColorRole.Base))
        texts = self._paint_row(inner, row, shown, None)
        inner.end()
        self.made += 1
        return _Kept(shown.thread, layout, image, self._facts(shown.thread), texts)

    def _update_line2(self, kept: _Kept, option: QStyleOptionViewItem, shown: _Shown) -> None:
        """Draw the preview line of `kept`'s picture again for `shown.thread`, whose other lines
        and avatar show the same as the picture's (`_facts`): its band is filled and drawn as
        a whole row's paint fills and draws it (everything in it is clipped to it there too)."""
        rect: QRect = option.rect
        fonts = shown.fonts
        fonts.measure_ascii()
        inner = QPainter(kept.image)
        inner.translate(-rect.left(), -rect.top())  # whole pixels: the option is not copied
        band = _band(rect, fonts)
        inner.setClipRect(band)
        inner.fillRect(band, option.palette.brush(QPalette.ColorRole.Base))
        self._paint_row(inner, option, shown, kept.texts)
        inner.end()
        kept.thread = shown.thread
        self.updated += 1

    def cached_rows(self) -> int:
        """How many rows' pictures are kept (tests)."""
        return len(self._images)

    def _paint_row(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        shown: _Shown,
        line2_only: _Texts | None,
    ) -> _Texts:
        """The row but its timer, at `option.rect`; with `line2_only` (the row's texts as they
        were drawn), only what falls in the preview line's band (the painter is clipped to
        it). Each line's text is clipped to its own band, so that one line can be drawn again
        alone (a glyph taller than its line is cut at the band, not drawn over the next)."""
        thread, fonts, timer_w, assignee, pic, _, selected = shown
        pal: QPalette = option.palette
        rect: QRect = option.rect
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = pal.color(text_role)
        sub_colour = text_colour if selected else theme.muted(pal)
        line_h = fonts.line_h
        left = rect.left() + PAD + AVATAR + PAD
        right = rect.right() - PAD
        y = rect.top() + PAD
        band = _band(rect, fonts)
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        texts = line2_only
        if texts is None:
            texts = self._texts(thread, rect.width(), assignee, fonts)
            name, customer_id = thread.customer_name, thread.customer_id
            avatar = QRectF(rect.left() + PAD, y, AVATAR, AVATAR)
            if pic is not None:  # clipped to a disc once (an antialiased clip costs ~70 µs a row)
                self._stamps.draw(
                    painter,
                    avatar,
                    ("picture", pic.cacheKey()),
                    lambda p, r: theme.paint_avatar(p, r, name, customer_id, pic),
                )
            else:  # initials on a colour (as theme.paint_avatar draws them), the disc drawn once
                hue = theme.avatar_hue(customer_id or name)
                self._stamps.draw(
                    painter, avatar, ("disc", hue), lambda p, r: _disc(p, r, hue), ratio, ""
                )
                painter.setFont(fonts.initials)
                painter.setPen(WHITE)
                painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, theme.initials(name))

            # Line 1: name ........ timer (drawn by paint)
            name_w = right - left - timer_w - PAD
            name = (fonts.bfm if thread.unread else fonts.fm).elidedText(
                texts.name_text, Qt.TextElideMode.ElideRight, name_w
            )
            painter.save()
            painter.setClipRect(
                QRect(rect.left(), rect.top(), rect.width(), band.top() - rect.top()),
                Qt.ClipOperation.IntersectClip,
            )
            painter.setFont(fonts.bold if thread.unread else fonts.base)
            painter.setPen(text_colour)
            painter.drawText(QRect(left, y, name_w, line_h), ALIGN, name)
            painter.restore()
            painter.save()
            painter.setClipRect(band, Qt.ClipOperation.IntersectClip)

        # Line 2: preview ........ unread badge
        y += line_h + 3
        line2 = self._line2(thread, rect.width(), fonts)
        painter.setFont(fonts.base)
        if line2.unread:  # a count comes back often: drawn once with its text (~40 µs), copied
            colour = pal.color(QPalette.ColorRole.Highlight) if not selected else _SELECTED
            self._stamps.draw(
                painter,
                QRectF(right - line2.badge_w, y, line2.badge_w, line_h),
                ("count", colour.rgba(), line2.unread),
                lambda p, r: theme.paint_badge(p, r, line2.unread, colour),
                ratio,
                fonts.key,
            )
        painter.setPen(text_colour if thread.unread else sub_colour)
        pw = right - left - line2.badge_w - (PAD if line2.badge_w else 0)
        painter.drawText(QRect(left, y, pw, line_h), ALIGN, line2.preview)
        if line2_only is not None:
            return texts
        painter.restore()

        # Line 3: channel · window state · assignee · status
        y += line_h + 3
        painter.save()
        painter.setClipRect(
            QRect(rect.left(), band.bottom() + 1, rect.width(), rect.bottom() - band.bottom()),
            Qt.ClipOperation.IntersectClip,
        )
        painter.setFont(fonts.small)
        x = left
        if texts.dot is not None:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(texts.dot)
            painter.drawEllipse(QRectF(x, y + line_h / 2 - 3, 6, 6))
            x += 10
        painter.setPen(sub_colour)
        painter.drawText(QRect(x, y, right - x, line_h), ALIGN, texts.meta)
        painter.restore()

        # separator: one row of pixels filled with a translucent colour (an antialiased line
        # drawn at 35 % opacity took ~0.14 ms a row, a quarter of the row's paint while scrolling)
        line = QColor(pal.color(QPalette.ColorRole.Mid))
        line.setAlphaF(0.35)
        painter.fillRect(QRect(rect.left() + PAD, rect.bottom(), rect.width() - 2 * PAD, 1), line)
        return texts

    def _badge(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        colour: QColor,
        fonts: RowFonts,
        ratio: float,
    ) -> None:
        """`theme.paint_badge`, its pill drawn once per colour and width."""
        self._stamps.draw(
            painter, rect, ("pill", colour.rgba()), lambda p, r: _pill(p, r, colour), ratio, ""
        )
        painter.setFont(fonts.bold)
        painter.setPen(WHITE)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def _band(rect: QRect, fonts: RowFonts) -> QRect:
    """The preview line's band in a row at `rect`: right of the avatar, a pixel off lines 1 and 3."""
    top = rect.top() + PAD + fonts.line_h + 1
    x = rect.left() + PAD + AVATAR
    return QRect(x, top, rect.right() + 1 - x, fonts.line_h + 4)


def _disc(painter: QPainter, rect: QRectF, hue: int) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addEllipse(rect)
    painter.fillPath(path, QColor.fromHsl(hue, 150, 110))


def _pill(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    radius = rect.height() / 2
    painter.drawRoundedRect(rect, radius, radius)


class _Shown(NamedTuple):
    """What a row shows but its timer, read once a paint: its thread, the fonts, the timer's
    width, the assignee's name, the customer's picture, the option's state, if selected."""

    thread: ThreadRow
    fonts: RowFonts
    timer_w: int
    assignee: str
    pic: QPixmap | None
    state: int
    selected: bool


class _Line2(NamedTuple):
    """The preview line: the unread count's text, its badge's width, the preview elided beside it."""

    unread: str
    badge_w: int
    preview: str


@dataclass(slots=True)
class _Texts:
    """A row's name (before eliding), meta line (elided) and the colour of its window dot."""

    name_text: str = ""
    meta: str = ""
    dot: QColor | None = None


@dataclass(slots=True)
class _Kept:
    """A row's picture (all it shows but its timer) for `thread`, made for `layout`, its lines
    1 and 3 and avatar showing `facts` with `texts`."""

    thread: ThreadRow
    layout: tuple[object, ...]
    image: QPixmap
    facts: tuple[object, ...]
    texts: _Texts

"""Paints one row of the thread list: avatar, name, live timer, preview, unread badge, window state.

Painted rather than built from widgets, so ten thousand threads cost what the visible rows cost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from agent_desktop.core.rows import ThreadRow
from agent_desktop.ui import fmt, theme
from agent_desktop.ui.plain_text import ROW_CHARS, isolate, one_line
from agent_desktop.ui.thread_model import ThreadRole

Index = QModelIndex | QPersistentModelIndex
PAD = 8
AVATAR = 40
ALIGN = Qt.AlignmentFlag.AlignVCenter
WHITE = QColor("white")
# Rows whose texts are kept (elided name, preview and meta line): a few screens. A row is painted
# again on every timer tick while it waits, and on each frame it stays visible while scrolling.
KEPT_ROWS = 256
# Initials discs (12 hues), avatar pictures and badge pills (per colour and width) kept as
# pixmaps, ~6 KB a disc or picture, ~2 KB a pill: a few screens' worth (a screen shows ~12 rows),
# at most ~0.4 MB.
STAMPS_KEPT = 64


class ThreadDelegate(QStyledItemDelegate):
    """Paints thread rows. `pixmap_for(url)` returns a loaded avatar picture or None."""

    def __init__(
        self,
        parent: QWidget | None = None,
        pixmap_for: Callable[[str], QPixmap | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._pixmap_for = pixmap_for or (lambda url: None)
        # False once the Messenger bridge says the Page lacks Meta's Human Agent permission: the
        # 24 h–7 d window is closed for it.
        self.human_agent_granted: bool | None = None
        self._fonts: _Fonts | None = None
        self._texts: dict[tuple[object, ...], _Texts] = {}
        self._stamps = theme.Stamps(STAMPS_KEPT)
        # The last rows painted, each as a picture of all it shows but its timer, by everything
        # that picture depends on (the row's thread, size, state, palette, font...).
        self._images: dict[tuple[object, ...], tuple[ThreadRow, QPixmap]] = {}

    def window_text(self, thread: ThreadRow) -> str:
        state = thread.reply_window.state
        if state == "standard":
            until = thread.standard_window_until
            if until is not None and thread.reply_window.closes_at == until:
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

    def _fonts_for(self, font: QFont) -> _Fonts:
        key = font.key()
        fonts = self._fonts
        if fonts is None or fonts.key != key:
            fonts = self._fonts = _Fonts(font)
            self._texts.clear()
            self._images.clear()
        return fonts

    def _texts_for(
        self, thread: ThreadRow, index: Index, width: int, assignee: str, fonts: _Fonts
    ) -> _Texts:
        """What the row shows that follows from its thread, assignee and width, made once and
        kept while the row stays the same (a row is painted again on every timer tick)."""
        key = (id(thread), width, assignee, self.human_agent_granted, fmt.locale())
        texts = self._texts.get(key)
        if texts is not None and texts.thread is thread:
            return texts
        texts = _Texts(thread)
        left = PAD + AVATAR + PAD
        right = width - 1 - PAD
        if thread.unread:
            texts.count = "99+" if thread.unread > 99 else str(thread.unread)
            texts.badge_w = max(fonts.line_h, fonts.bfm.horizontalAdvance(texts.count) + 10)
        preview = one_line(index.data(ThreadRole.Preview) or "", ROW_CHARS)
        last = thread.last_message
        if last is not None and last.author.kind == "agent":
            if last.kind == "note":
                preview = self.tr("Note: %1").replace("%1", isolate(preview))
            else:
                preview = self.tr("You: %1").replace("%1", isolate(preview))
        pw = right - left - texts.badge_w - (PAD if texts.badge_w else 0)
        texts.preview = fonts.fm.elidedText(preview, Qt.TextElideMode.ElideRight, pw)
        win = self.window_text(thread)
        x = left
        if win:
            texts.dot = theme.WINDOW_COLOURS.get(
                thread.reply_window.state, theme.WINDOW_COLOURS["none"]
            )
            x += 10
        parts = [thread.channel.capitalize()]
        if win:
            parts.append(win)
        parts.append(isolate(one_line(assignee, ROW_CHARS)) if assignee else self.tr("Unassigned"))
        status = self.status_text(thread)
        if status:
            parts.append(status)
        texts.meta = fonts.sfm.elidedText(" · ".join(parts), Qt.TextElideMode.ElideRight, right - x)
        texts.name_text = one_line(thread.customer.name, ROW_CHARS)
        if len(self._texts) >= KEPT_ROWS:
            self._texts.pop(next(iter(self._texts)))
        self._texts[key] = texts
        return texts

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        thread = index.data(ThreadRole.Thread)
        if not isinstance(thread, ThreadRow):
            return
        rect: QRect = option.rect
        fonts = self._fonts_for(option.font)
        timer = index.data(ThreadRole.Timer)
        timer_text = getattr(timer, "text", "") if timer is not None else ""
        timer_state = getattr(timer, "state", "none") if timer is not None else "none"
        timer_w = 0
        if timer_text and timer_state != "none":
            timer_w = fonts.bfm.horizontalAdvance(timer_text) + 14
        customer = thread.customer
        pic = self._pixmap_for(customer.avatar_url) if customer.avatar_url else None
        if pic is not None and pic.isNull():
            pic = None
        shown = _Shown(thread, fonts, timer_w, index.data(ThreadRole.Assignee) or "", pic)
        widget = option.widget
        if widget is None:  # not for a view (a test, a drag picture): no frames to come
            painter.save()
            self._paint_row(painter, option, index, shown)
            painter.restore()
        else:
            self._paint_kept(painter, option, index, shown)
        if timer_w:
            painter.save()
            self._badge(
                painter,
                QRectF(rect.right() - PAD - timer_w, rect.top() + PAD, timer_w, fonts.line_h),
                timer_text,
                theme.TIMER_COLOURS.get(timer_state, theme.TIMER_COLOURS["ok"]),
                fonts,
            )
            painter.restore()

    def _paint_kept(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index, shown: _Shown
    ) -> None:
        """The row but its timer, copied from its picture, which is drawn first if needed. A
        row is painted again on every frame that scrolls the view when the platform cannot
        scroll the viewport's pixels, and every second while its timer runs: drawing its texts
        costs ~0.5 ms a row, copying its picture ~0.02 ms."""
        thread, fonts, timer_w, assignee, pic = shown
        rect: QRect = option.rect
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        # Everything the picture depends on.
        key = (
            id(thread),
            rect.width(),
            rect.height(),
            option.state.value,
            option.palette.cacheKey(),
            fonts.key,
            timer_w,
            assignee,
            pic.cacheKey() if pic is not None else 0,
            self.human_agent_granted,
            fmt.locale(),
            ratio,
        )
        kept = self._images.pop(key, None)  # put back last: the least recently painted go first
        if kept is None or kept[0] is not thread:
            image = QPixmap(round(rect.width() * ratio), round(rect.height() * ratio))
            image.setDevicePixelRatio(ratio)
            inner = QPainter(image)
            row = QStyleOptionViewItem(option)
            row.rect = QRect(0, 0, rect.width(), rect.height())
            # What the view's viewport painted beneath the row: text is then drawn on an opaque
            # background, as it would be straight on the viewport (subpixel antialiasing).
            inner.fillRect(row.rect, option.palette.brush(QPalette.ColorRole.Base))
            self._paint_row(inner, row, index, shown)
            inner.end()
            kept = (thread, image)
            # A screenful and a little: the rows of the frame before are painted again when the
            # view scrolls and when the timers tick.
            widget = option.widget
            limit = (widget.height() // max(1, rect.height()) + 3) if widget is not None else 16
            while len(self._images) >= limit:
                self._images.pop(next(iter(self._images)))
        self._images[key] = kept
        painter.drawPixmap(rect.topLeft(), kept[1])

    def cached_rows(self) -> int:
        """How many rows' pictures are kept (tests)."""
        return len(self._images)

    def _paint_row(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index, shown: _Shown
    ) -> None:
        """The row but its timer, at `option.rect`."""
        thread, fonts, timer_w, assignee, pic = shown
        pal: QPalette = option.palette
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = pal.color(text_role)
        sub_colour = text_colour if selected else theme.muted(pal)
        texts = self._texts_for(thread, index, rect.width(), assignee, fonts)
        line_h = fonts.line_h
        left = rect.left() + PAD + AVATAR + PAD
        right = rect.right() - PAD
        y = rect.top() + PAD

        customer = thread.customer
        avatar = QRectF(rect.left() + PAD, y, AVATAR, AVATAR)
        if pic is not None:  # clipped to a disc once (an antialiased clip costs ~70 µs a row)
            self._stamps.draw(
                painter,
                avatar,
                ("picture", pic.cacheKey()),
                lambda p, r: theme.paint_avatar(p, r, customer.name, customer.id, pic),
            )
        else:  # initials on a colour (as theme.paint_avatar draws them), the disc drawn once
            hue = theme.avatar_hue(customer.id or customer.name)
            self._stamps.draw(painter, avatar, ("disc", hue), lambda p, r: _disc(p, r, hue))
            painter.setFont(fonts.initials)
            painter.setPen(WHITE)
            painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, theme.initials(customer.name))

        # Line 1: name ........ timer (drawn by paint)
        name_w = right - left - timer_w - PAD
        if texts.name_w != name_w:
            texts.name_w = name_w
            texts.name = (fonts.bfm if thread.unread else fonts.fm).elidedText(
                texts.name_text, Qt.TextElideMode.ElideRight, name_w
            )
        painter.setFont(fonts.bold if thread.unread else fonts.base)
        painter.setPen(text_colour)
        painter.drawText(QRect(left, y, name_w, line_h), ALIGN, texts.name)

        # Line 2: preview ........ unread badge
        y += line_h + 3
        if texts.count:
            self._badge(
                painter,
                QRectF(right - texts.badge_w, y, texts.badge_w, line_h),
                texts.count,
                pal.color(QPalette.ColorRole.Highlight)
                if not selected
                else theme.avatar_colour("x"),
                fonts,
            )
        painter.setFont(fonts.base)
        painter.setPen(text_colour if thread.unread else sub_colour)
        pw = right - left - texts.badge_w - (PAD if texts.badge_w else 0)
        painter.drawText(QRect(left, y, pw, line_h), ALIGN, texts.preview)

        # Line 3: channel · window state · assignee · status
        y += line_h + 3
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

        # separator: one row of pixels filled with a translucent colour (an antialiased line
        # drawn at 35 % opacity took ~0.14 ms a row, a quarter of the row's paint while scrolling)
        line = QColor(pal.color(QPalette.ColorRole.Mid))
        line.setAlphaF(0.35)
        painter.fillRect(QRect(rect.left() + PAD, rect.bottom(), rect.width() - 2 * PAD, 1), line)

    def _badge(
        self, painter: QPainter, rect: QRectF, text: str, colour: QColor, fonts: _Fonts
    ) -> None:
        """`theme.paint_badge`, its pill drawn once per colour and width."""
        self._stamps.draw(painter, rect, ("pill", colour.rgba()), lambda p, r: _pill(p, r, colour))
        painter.setFont(fonts.bold)
        painter.setPen(WHITE)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


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


class _Fonts:
    """The row's fonts and their metrics, made once per font (not on every paint)."""

    __slots__ = ("base", "bfm", "bold", "fm", "initials", "key", "line_h", "row_h", "sfm", "small")

    def __init__(self, font: QFont) -> None:
        self.key = font.key()
        self.base = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.small = QFont(font)
        self.small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        self.initials = QFont(self.bold)
        self.initials.setPixelSize(max(8, int(AVATAR * 0.38)))
        self.fm = QFontMetrics(self.base)
        self.bfm = QFontMetrics(self.bold)
        self.sfm = QFontMetrics(self.small)
        self.line_h = self.fm.height()
        self.row_h = max(AVATAR, self.line_h * 3 + 6) + 2 * PAD


class _Shown(NamedTuple):
    """What a row shows but its timer, read once a paint: its thread, the fonts, the width the
    timer keeps on the right, the assignee's name and the customer's picture."""

    thread: ThreadRow
    fonts: _Fonts
    timer_w: int
    assignee: str
    pic: QPixmap | None


class _Texts:
    """A row's texts, elided to its width (the name to the width the timer leaves)."""

    __slots__ = (
        "badge_w",
        "count",
        "dot",
        "meta",
        "name",
        "name_text",
        "name_w",
        "preview",
        "thread",
    )

    def __init__(self, thread: ThreadRow) -> None:
        self.thread = thread  # kept, so that its id is not reused while the entry is
        self.name_text = ""
        self.name_w = -1
        self.name = ""
        self.preview = ""
        self.meta = ""
        self.dot: QColor | None = None
        self.count = ""
        self.badge_w = 0

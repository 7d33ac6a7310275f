"""Paints the conversation: chat bubbles, internal notes, automated messages, order event cards,
images, day separators and the delivery state of the agent's own messages (with Retry).

Customer text is laid out with QTextLayout as plain text: markup in it is shown, never interpreted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem

from agent_desktop.core.rows import MessageRow
from agent_desktop.ui import fmt, theme
from agent_desktop.ui.conversation_layout import CardLine, Layout, natural_width, text_block
from agent_desktop.ui.conversation_model import ConversationModel, MessageRole, RowFacts
from agent_desktop.ui.plain_text import ROW_CHARS, isolate, one_line

if TYPE_CHECKING:
    from agent_desktop.core.order_types import Order
    from agent_desktop.store.conversation import AnyMessage

Index = QModelIndex | QPersistentModelIndex
PAD = 10
BUBBLE_PAD = 9
THUMB = 36
# Layouts kept for painting: a page of older messages just measured (50) and the rows on screen.
# Each holds a QTextLayout (~5 KB); opening and scrolling back through 5,000 messages lays out as
# many rows with 120 kept as with 300.
KEPT_LAYOUTS = 120
# Formatted times of day kept, one per minute of the day shown (at most 1,440 a language; ~150
# bytes an entry): a long conversation shows the same minutes on many days.
TIMES_KEPT = 1440
# Day separators' long dates kept ("Monday, 23 November 2026").
DAYS_KEPT = 256


class ConversationDelegate(QStyledItemDelegate):
    """Paints message rows of a ConversationModel inside a QListView.

    Signals: retryRequested(str key) when the agent clicks Retry under a failed message.
    """

    retryRequested = Signal(str)

    def __init__(
        self, view: QListView, pixmap_for: Callable[[str], QPixmap | None] | None = None
    ) -> None:
        super().__init__(view)
        self._pixmap_for = pixmap_for or (lambda url: None)
        # Row heights are kept by the model, one per row: a page of older messages inserted above
        # makes the view ask every row's size again, and laying a bubble out is far dearer than
        # a lookup. They hold for one width and font.
        self._heights_for: tuple[int, QFont | None] = (0, None)
        # QListView lays its rows out by asking their sizes in order, 0, 1, 2…, with one option:
        # the width and font are compared when a row is asked out of that order (row 0 starts
        # every layout), and the sizes returned are kept per height (~1.6 µs a row less of the
        # ~7.6 a layout spends per row; its C++ call into Python is ~4 of them).
        self._next_row = -1
        self._sizes: dict[int, QSize] = {}
        self._viewport = view.viewport()
        # The last few rows laid out, for painting them (a paint follows each measure).
        self._layouts: dict[tuple[object, ...], tuple[object, object, Layout]] = {}
        self._font_cache: dict[str, tuple[QFont, QFontMetricsF, QFont, QFontMetricsF, QFont]] = {}
        self._times: dict[tuple[int, int, str], str] = {}
        self._days: dict[tuple[date, str], str] = {}
        self._fills: dict[tuple[int, bool, str], QColor] = {}
        model = view.model()
        if model is not None:
            model.modelReset.connect(self.on_model_modelReset)

    def on_model_modelReset(self) -> None:
        """Another conversation (or the same one loaded again, as new message objects): the
        layouts kept for the rows before would only hold memory, and they hold their messages (an
        agent opens hundreds of conversations in a day). The formatted times and days are kept:
        they hold no message, are bounded, and the next conversation shows the same minutes."""
        self._layouts.clear()

    def cached_rows(self) -> int:
        """How many rows' layouts are kept for painting (tests)."""
        return len(self._layouts)

    # --- texts
    def delivery_text(self, state: str, error: str | None) -> str:
        if state == "sending":
            return self.tr("Sending…")
        if state == "failed":
            return self.tr("Failed: %1").replace("%1", error or self.tr("not delivered"))
        if state == "delivered":
            return self.tr("Delivered")
        if state == "read":
            return self.tr("Read")
        return self.tr("Sent")

    def order_title(self, event: str | None, number: str) -> str:
        titles = {
            "placed": self.tr("Order %1 confirmed"),
            "shipped": self.tr("Order %1 shipped"),
            "out_for_delivery": self.tr("Order %1 out for delivery"),
            "delivered": self.tr("Order %1 delivered"),
            "delayed": self.tr("Order %1 delayed"),
            "returned": self.tr("Order %1 returned"),
            "cancelled": self.tr("Order %1 cancelled"),
            "refunded": self.tr("Order %1 refunded"),
            "return_created": self.tr("Return opened for order %1"),
            "address_changed": self.tr("New address for order %1"),
        }
        return titles.get(event or "", self.tr("Order %1")).replace("%1", number)

    def card_lines(self, msg: AnyMessage, order: Order | None) -> list[CardLine]:
        if order is None:
            return [CardLine(self.order_title(msg.order_event, ""), bold=True), CardLine(msg.text)]
        lines = [CardLine(self.order_title(msg.order_event, order.number), bold=True)]
        event = msg.order_event or "placed"
        if event == "placed":
            for item in order.items:
                lines.append(
                    CardLine(
                        self.tr("%1 × %2")
                        .replace("%1", str(item.quantity))
                        .replace("%2", item.title),
                        fmt.money(item.unit_price * item.quantity, order.currency),
                        image=item.image_url,
                    )
                )
            lines.append(
                CardLine(self.tr("Total"), fmt.money(order.total, order.currency), bold=True)
            )
        elif order.shipment is not None and event in ("shipped", "out_for_delivery", "delayed"):
            ship = order.shipment
            lines.append(CardLine(self.tr("Carrier"), ship.carrier))
            lines.append(CardLine(self.tr("Tracking number"), ship.tracking_number))
            if ship.eta is not None:
                lines.append(CardLine(self.tr("Expected delivery"), fmt.day(ship.eta)))
        elif event == "delivered":
            lines.append(
                CardLine(self.tr("Delivered on %1").replace("%1", fmt.day(msg.created_at)))
            )
        if msg.text and event not in ("placed",):
            lines.append(CardLine(msg.text, muted=True))
        return lines

    def header_text(self, msg: AnyMessage) -> str:
        name = one_line(msg.author.name, ROW_CHARS)
        if msg.kind == "note":
            return self.tr("Internal note · %1").replace("%1", isolate(name or self.tr("Agent")))
        if msg.author.kind == "automated":
            return self.tr("Automated message")
        if msg.author.kind == "agent":
            return name
        return ""

    # --- layout
    def compute(self, option: QStyleOptionViewItem, index: Index) -> Layout:
        facts = self._facts(index)
        return Layout() if facts is None else self._compute(option, facts)

    def _facts(self, index: Index) -> RowFacts | None:
        """The row's message, day separator, delivery, error and order: from the model in one
        call when it is a ConversationModel, else through its roles."""
        model = index.model()
        if isinstance(model, ConversationModel):
            return model.facts(index.row())
        from agent_desktop.core.order_types import Order
        from agent_desktop.core.types import Message

        msg = index.data(MessageRole.Message)
        if not isinstance(msg, Message | MessageRow):
            return None
        order = index.data(MessageRole.Order)
        return RowFacts(
            msg,
            index.data(MessageRole.DayHeader),
            index.data(MessageRole.Delivery),
            index.data(MessageRole.Error),
            order if isinstance(order, Order) else None,
        )

    def _compute(self, option: QStyleOptionViewItem, facts: RowFacts) -> Layout:
        msg = facts.message
        lay = Layout()
        width = float(max(200, self._viewport.width()))
        font, fm, small, sfm = self._fonts(option.font)[:4]
        y = 4.0
        day = facts.day
        if day is not None:
            lay.day = self._day_long(day)
            y += fm.height() + 14
        top = y

        if msg.kind == "order_event":
            from agent_desktop.core.order_types import Order

            order = facts.order
            card_w = min(430.0, width - 4 * PAD)
            x0 = (width - card_w) / 2
            cy = top + BUBBLE_PAD
            for line in self.card_lines(msg, order if isinstance(order, Order) else None):
                inner = card_w - 2 * BUBBLE_PAD - (THUMB + 8 if line.image else 0)
                right_w = fm.horizontalAdvance(line.right) + 12 if line.right else 0
                text_w = max(60.0, inner - right_w)
                _, h = text_block(line.text, font, text_w)
                h = max(h, THUMB if line.image else 0)
                lay.card.append((QRectF(x0 + BUBBLE_PAD, cy, card_w - 2 * BUBBLE_PAD, h), line))
                cy += h + 6
            lay.bubble = QRectF(x0, top, card_w, cy - top + BUBBLE_PAD - 6)
            lay.fill = option.palette.color(QPalette.ColorRole.Base)
            lay.centered = True
            lay.footer = self._time_of_day(msg.created_at)
            retry_w = 0.0
            if facts.delivery == "failed":  # Messenger refused the order message
                lay.footer += " · " + self.delivery_text("failed", facts.error)
                lay.footer_colour = theme.FAILED
                if msg.order_event in ("placed", "shipped"):  # a receipt or update sent again
                    retry_w = sfm.horizontalAdvance(self.tr("Retry")) + 16
                    lay.retry = QRectF(
                        x0 + card_w - retry_w + 6,
                        lay.bubble.bottom(),
                        retry_w - 6,
                        sfm.height() + 4,
                    )
            _, fh = text_block(lay.footer, small, card_w - retry_w)
            lay.footer_rect = QRectF(x0, lay.bubble.bottom() + 2, card_w - retry_w, fh)
            lay.height = lay.footer_rect.bottom() + 8
            return lay

        if msg.author.kind == "system":
            text, h = text_block(msg.text, small, width * 0.8)
            w = natural_width(text)
            lay.text = text
            lay.text_pos = QPointF((width - w) / 2, top + 4)
            lay.centered = True
            lay.height = top + h + 12
            return lay

        customer = msg.author.kind == "customer"
        max_w = min(width * 0.72, 560.0)
        inner_max = max_w - 2 * BUBBLE_PAD
        lay.header = self.header_text(msg)
        header_h = sfm.height() + 2 if lay.header else 0
        text_h = 0.0
        text_w = 0.0
        if msg.text:
            text, text_h = text_block(msg.text, font, inner_max)
            text_w = natural_width(text)
            lay.text = text
        images: list[tuple[float, float, str]] = []
        for att in msg.attachments:
            if att.kind != "image":
                continue
            w, h = 220.0, 165.0
            if att.width and att.height:
                scale = min(240.0 / att.width, 200.0 / att.height, 1.0)
                w, h = max(40.0, att.width * scale), max(40.0, att.height * scale)
            images.append((w, h, att.url))
        delivery = facts.delivery or "sent"
        error = facts.error
        own = msg.author.kind == "agent"
        footer = self._time_of_day(msg.created_at)
        if (own and msg.kind != "note") or delivery in ("sending", "failed"):
            footer = f"{footer} · {self.delivery_text(delivery, error)}"
        footer_w = sfm.horizontalAdvance(footer)
        retry_w = sfm.horizontalAdvance(self.tr("Retry")) + 16 if delivery == "failed" else 0
        content_w = max(
            text_w,
            sfm.horizontalAdvance(lay.header) if lay.header else 0,
            max((w for w, _, _ in images), default=0),
            min(footer_w + retry_w + 8, inner_max),
            40,
        )
        if footer_w + retry_w + 8 > inner_max:
            content_w = inner_max
        bubble_w = content_w + 2 * BUBBLE_PAD
        x0 = PAD if customer else width - PAD - bubble_w
        cy = top + BUBBLE_PAD
        if lay.header:
            cy += header_h
        lay.text_pos = QPointF(x0 + BUBBLE_PAD, cy)
        cy += text_h
        for w, h, url in images:
            cy += 6 if cy > top + BUBBLE_PAD else 0
            lay.images.append((QRectF(x0 + BUBBLE_PAD, cy, w, h), url))
            cy += h
        cy += 4
        if footer_w <= content_w - retry_w:
            fh = sfm.height()  # one line
        else:
            _, fh = text_block(footer, small, content_w - retry_w)
        lay.footer = footer
        lay.footer_rect = QRectF(x0 + BUBBLE_PAD, cy, content_w - retry_w, fh)
        if delivery == "failed":
            lay.footer_colour = theme.FAILED
            lay.retry = QRectF(
                x0 + BUBBLE_PAD + content_w - retry_w + 6, cy - 2, retry_w - 6, sfm.height() + 4
            )
        cy += fh + BUBBLE_PAD
        lay.bubble = QRectF(x0, top, bubble_w, cy - top)
        lay.fill = self._fill(option.palette, msg.kind, msg.author.kind)
        lay.height = lay.bubble.bottom() + 6
        return lay

    def _fill(self, pal: QPalette, kind: str, author: str) -> QColor:
        """A bubble's colour, worked out once per palette (a palette's colours are looked up and
        mixed for it)."""
        key = (pal.cacheKey(), kind == "note", author)
        colour = self._fills.get(key)
        if colour is None:
            if len(self._fills) >= 16:
                self._fills.clear()
            if kind == "note":
                colour = theme.note_colour(pal)
            elif author == "automated":
                colour = theme.automated_colour(pal)
            else:
                colour = theme.bubble_colour(pal, author == "customer")
            self._fills[key] = colour
        return colour

    def _fonts(self, base: QFont) -> tuple[QFont, QFontMetricsF, QFont, QFontMetricsF, QFont]:
        """The text font, the small one (headers, footers), their metrics and the small bold one
        (headers), made once per font."""
        key = base.key()
        cached = self._font_cache.get(key)
        if cached is None:
            font = QFont(base)
            small = QFont(font)
            small.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
            bold_small = QFont(small)
            bold_small.setBold(True)
            cached = (font, QFontMetricsF(font), small, QFontMetricsF(small), bold_small)
            self._font_cache = {key: cached}
        return cached

    def _time_of_day(self, at: datetime) -> str:
        """`fmt.time_of_day`, remembered per minute of the day shown (formatting a time costs
        more than a bubble's text layout, and a long conversation shows each minute of the day
        on many days)."""
        local = at.astimezone(fmt.local_zone())
        key = (local.hour, local.minute, fmt.locale())
        text = self._times.get(key)
        if text is None:
            if len(self._times) >= TIMES_KEPT:
                self._times.clear()
            text = self._times[key] = fmt.time_of_day(at)
        return text

    def _day_long(self, day: date) -> str:
        """`fmt.day_long`, remembered (a day separator goes above the first row of each day)."""
        key = (day, fmt.locale())
        text = self._days.get(key)
        if text is None:
            if len(self._days) >= DAYS_KEPT:
                self._days.clear()
            text = self._days[key] = fmt.day_long(day)
        return text

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        model = index.model()
        if not isinstance(model, ConversationModel):
            width = self._viewport.width()
            return QSize(max(200, width - 4), int(self.compute(option, index).height + 0.999))
        row = index.row()
        if row != self._next_row:
            # Compared as fonts: a font's key() costs ~3 µs.
            width = self._viewport.width()
            font = option.font
            if width != self._heights_for[0] or font != self._heights_for[1]:
                model.forget_heights()  # resized or restyled: every height changes
                self._layouts.clear()
                self._sizes.clear()
                self._heights_for = (width, QFont(font))  # a copy: the option's own goes with it
        self._next_row = row + 1
        heights = model.row_heights
        height = heights[row] if 0 <= row < len(heights) else -1
        if height < 0:
            height = int(self._layout(option, index)[1].height + 0.999)
            model.set_height(row, height)
        size = self._sizes.get(height)
        if size is None:
            size = self._sizes[height] = QSize(max(200, self._heights_for[0] - 4), height)
        return size

    def _layout(self, option: QStyleOptionViewItem, index: Index) -> tuple[RowFacts | None, Layout]:
        """`compute`, remembered for the last rows measured or painted (a row is measured, then
        painted; the same rows are painted again while the agent reads)."""
        facts = self._facts(index)
        if facts is None:
            return None, Layout()
        msg, day, delivery, error, order = facts
        if delivery != "failed":
            error = None
        width = self._viewport.width()
        style = (width, option.font.key(), option.palette.cacheKey())
        key = (id(msg), delivery, error, day, id(order), style)
        hit = self._layouts.get(key)
        if hit is not None and hit[0] is msg and hit[1] is order:
            return facts, hit[2]
        lay = self._compute(option, facts)
        if len(self._layouts) >= KEPT_LAYOUTS:
            self._layouts.pop(next(iter(self._layouts)))
        self._layouts[key] = (msg, order, lay)  # kept, so their ids are not reused
        return facts, lay

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        facts, lay = self._layout(option, index)
        if facts is None:
            return
        msg = facts.message
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(option.rect.topLeft())
        pal: QPalette = option.palette
        font, fm, small, sfm, bold_small = self._fonts(option.font)
        text_colour = pal.color(QPalette.ColorRole.Text)
        muted = theme.muted(pal)
        width = float(option.rect.width())
        if lay.day:
            painter.setFont(small)
            tw = sfm.horizontalAdvance(lay.day) + 20
            pill = QRectF((width - tw) / 2, 6, tw, sfm.height() + 6)
            painter.setPen(pal.color(QPalette.ColorRole.Mid))
            painter.drawLine(
                QPointF(PAD * 2, pill.center().y()), QPointF(pill.left() - 6, pill.center().y())
            )
            painter.drawLine(
                QPointF(pill.right() + 6, pill.center().y()),
                QPointF(width - PAD * 2, pill.center().y()),
            )
            painter.setPen(muted)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, lay.day)
        if lay.fill is not None and lay.centered:  # an order card: with a border
            painter.setPen(pal.color(QPalette.ColorRole.Mid))
            painter.setBrush(lay.fill)
            painter.drawRoundedRect(lay.bubble, 12, 12)
        elif lay.fill is not None:
            theme.fill_rounded(painter, lay.bubble, 12, lay.fill)
        if lay.header:
            painter.setFont(bold_small)
            painter.setPen(text_colour if msg.kind == "note" else muted)
            painter.drawText(
                QRectF(
                    lay.bubble.left() + BUBBLE_PAD,
                    lay.bubble.top() + BUBBLE_PAD - 2,
                    lay.bubble.width() - 2 * BUBBLE_PAD,
                    sfm.height(),
                ),
                Qt.AlignmentFlag.AlignLeft,
                lay.header,
            )
        if lay.text is not None:
            painter.setPen(muted if msg.author.kind == "system" else text_colour)
            lay.text.draw(painter, lay.text_pos)
        for rect, url in lay.images:
            pix = self._pixmap_for(url)
            if pix is not None and not pix.isNull():
                scaled = pix.scaled(
                    rect.size().toSize() * pix.devicePixelRatio(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                scaled.setDevicePixelRatio(pix.devicePixelRatio())
                painter.drawPixmap(rect.topLeft(), scaled)
            else:
                painter.setPen(pal.color(QPalette.ColorRole.Mid))
                painter.setBrush(pal.color(QPalette.ColorRole.Window))
                painter.drawRoundedRect(rect, 6, 6)
                painter.setPen(muted)
                painter.setFont(small)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("Image"))
        for rect, line in lay.card:
            f = QFont(font)
            f.setBold(line.bold)
            painter.setFont(f)
            painter.setPen(muted if line.muted else text_colour)
            x = rect.left()
            if line.image:
                thumb = QRectF(x, rect.top(), THUMB, THUMB)
                pix = self._pixmap_for(line.image)
                if pix is not None and not pix.isNull():
                    scaled = pix.scaled(
                        QSize(THUMB, THUMB) * pix.devicePixelRatio(),
                        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                    scaled.setDevicePixelRatio(pix.devicePixelRatio())
                    painter.drawPixmap(
                        thumb.topLeft(),
                        scaled,
                        QRectF(
                            0, 0, THUMB * pix.devicePixelRatio(), THUMB * pix.devicePixelRatio()
                        ),
                    )
                else:
                    painter.fillRect(thumb, pal.color(QPalette.ColorRole.Window))
                x += THUMB + 8
            right_w = fm.horizontalAdvance(line.right) + 12 if line.right else 0
            tl, th = text_block(line.text, f, max(60.0, rect.right() - x - right_w))
            ty = rect.top() + (max(th, rect.height()) - th) / 2 if line.image else rect.top()
            tl.draw(painter, QPointF(x, ty))
            if line.right:
                painter.drawText(
                    QRectF(rect.right() - right_w, ty, right_w, fm.height()),
                    Qt.AlignmentFlag.AlignRight,
                    line.right,
                )
        if lay.footer:
            painter.setFont(small)
            painter.setPen(lay.footer_colour or muted)
            align = Qt.AlignmentFlag.AlignCenter if lay.centered else Qt.AlignmentFlag.AlignLeft
            painter.drawText(lay.footer_rect, align | Qt.TextFlag.TextWordWrap, lay.footer)
        if lay.retry is not None:
            painter.setPen(theme.FAILED)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(lay.retry, 4, 4)
            painter.drawText(lay.retry, Qt.AlignmentFlag.AlignCenter, self.tr("Retry"))
        painter.restore()

    def retry_rect(self, option: QStyleOptionViewItem, index: Index) -> QRectF | None:
        lay = self._layout(option, index)[1]
        if lay.retry is None:
            return None
        return lay.retry.translated(QPointF(option.rect.topLeft()))

    def editorEvent(
        self, event: QEvent, model: object, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            rect = self.retry_rect(option, index)
            if rect is not None and rect.contains(event.position()):
                self.retryRequested.emit(str(index.data(MessageRole.Key)))
                return True
        return False

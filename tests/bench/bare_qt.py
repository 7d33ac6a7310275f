"""The baseline: a bare PySide6 process that shows an empty QMainWindow, prints when it is first
painted, then idles until stdin closes (so its idle CPU and memory can be read from /proc)."""

from __future__ import annotations

import json
import sys
import threading
import time

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QMainWindow


class Window(QMainWindow):
    painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            print(json.dumps({"ev": "first-paint", "t": time.time()}), flush=True)


class Bridge(QObject):
    quit = Signal()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = Window()
    window.resize(1280, 800)
    window.show()
    bridge = Bridge()
    bridge.quit.connect(app.quit, Qt.ConnectionType.QueuedConnection)

    def wait_stdin() -> None:
        sys.stdin.read()
        bridge.quit.emit()

    threading.Thread(target=wait_stdin, daemon=True).start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

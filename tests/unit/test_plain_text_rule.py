"""The plain-text rule, checked over ui/'s source: customer, agent and template text can reach a
label, a tooltip or a message box only through ui/plain_text.py (see its docstring for why).

- A QLabel is made with `plain_text.label()` (PlainText); a QLabel subclass sets PlainText in
  its `__init__`.
- What goes into `setToolTip`, `setWhatsThis`, `setStatusTip`, `setTabToolTip` or
  `QToolTip.showText` is `tooltip(...)`, or the app's own words: a string literal, `self.tr(...)`,
  with `%N` replaced by numbers only (`str(...)`, `fmt.*`, `format_elapsed`).
- A QMessageBox is made in a function that sets its text format to PlainText; the static
  helpers (`QMessageBox.warning(...)`...) cannot, so they are refused. QInputDialog and
  QErrorMessage show rich text and are refused.

Item models' ToolTipRole is covered at run time by tests/ui/test_plain_text.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "agent_desktop" / "ui"
HELPER = UI / "plain_text.py"
TIP_SETTERS = {"setToolTip", "setWhatsThis", "setStatusTip", "setTabToolTip"}
NUMBER_CALLS = {"str", "format_elapsed", "long_elapsed", "precise_percent"}
REFUSED = {"QInputDialog", "QErrorMessage"}


def _call_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return True
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "fmt"
    ):
        return True
    return _call_name(func) in NUMBER_CALLS


def safe_tip(node: ast.expr) -> bool:
    """The argument is escaped by `tooltip()` or is the app's own words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.IfExp):
        return safe_tip(node.body) and safe_tip(node.orelse)
    if not isinstance(node, ast.Call):
        return False
    name = _call_name(node.func)
    if name == "tooltip":
        return True
    if name in ("tr", "translate"):
        return all(isinstance(a, ast.Constant) for a in node.args)
    if name == "replace" and isinstance(node.func, ast.Attribute):
        return (
            safe_tip(node.func.value)
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Constant)
            and _is_number(node.args[1])
        )
    return False


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _sets_plain_text(body: ast.AST) -> bool:
    for node in ast.walk(body):
        if (
            isinstance(node, ast.Call)
            and _call_name(node.func) == "setTextFormat"
            and node.args
            and _call_name(node.args[0]) == "PlainText"
        ):
            return True
    return False


def violations(source: str, where: str, *, helper: bool = False) -> list[str]:
    tree = ast.parse(source, where)
    found: list[str] = []
    label_classes = {"QLabel"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(_call_name(b) == "QLabel" for b in node.bases):
            label_classes.add(node.name)
            init = next(
                (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"),
                None,
            )
            if init is None or not _sets_plain_text(init):
                found.append(f"{where}:{node.lineno}: {node.name} must set PlainText in __init__")
    message_box_ok: set[int] = set()
    for func in _functions(tree):
        if _sets_plain_text(func):
            message_box_ok.update(
                n.lineno
                for n in ast.walk(func)
                if isinstance(n, ast.Call) and _call_name(n.func) == "QMessageBox"
            )
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in REFUSED:
            found.append(f"{where}:{node.lineno}: {node.id} shows rich text; not in ui/")
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node.func)
        if name == "QLabel" and not helper:
            found.append(f"{where}:{node.lineno}: make labels with plain_text.label()")
        elif name in TIP_SETTERS and node.args and not safe_tip(node.args[0]):
            found.append(f"{where}:{node.lineno}: {name}() needs plain_text.tooltip(...)")
        elif name == "showText" and len(node.args) > 1 and not safe_tip(node.args[1]):
            found.append(f"{where}:{node.lineno}: QToolTip.showText() needs tooltip(...)")
        elif name == "QMessageBox" and node.lineno not in message_box_ok:
            found.append(f"{where}:{node.lineno}: a QMessageBox needs PlainText")
        elif (
            isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "QMessageBox"
            and name in ("information", "warning", "critical", "question", "about")
        ):
            found.append(f"{where}:{node.lineno}: QMessageBox.{name}() guesses rich text")
    return found


def test_ui_shows_outside_text_only_through_plain_text() -> None:
    found = [
        v
        for path in sorted(UI.rglob("*.py"))
        for v in violations(
            path.read_text(encoding="utf-8"),
            str(path.relative_to(UI.parent.parent)),
            helper=path == HELPER,
        )
    ]
    assert not found, "\n".join(found)


def test_the_rule_catches_what_it_is_for() -> None:
    """Each way around the rule is reported (so the test above cannot pass by seeing nothing)."""
    source = """
class Banner(QLabel):
    pass

def f(self, customer, box):
    a = QLabel(customer.name)
    self.setToolTip(customer.name)
    self.setToolTip(self.tr("From %1").replace("%1", customer.name))
    QToolTip.showText(pos, customer.name, self)
    QMessageBox.warning(self, "x", customer.name)
    box = QMessageBox(self)
    QInputDialog.getText(self, "x", customer.name)
    self.setToolTip(tooltip(customer.name))
    self.setToolTip(self.tr("%1 unread").replace("%1", str(3)) if n else self.tr("none"))
"""
    found = violations(source, "probe.py")
    lines = sorted(int(v.split(":")[1]) for v in found)
    assert lines == [2, 6, 7, 8, 9, 10, 11, 12], found

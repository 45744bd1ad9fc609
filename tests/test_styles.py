"""The app's styles live in ``.tcss`` files beside the widgets and stay in ``DEFAULT_CSS``.

Each styled widget or screen reads ``<class_in_snake_case>.tcss`` from its own package through
:func:`tui.styles.widget_css`. These tests keep that from drifting: every file exists, parses
with Textual's own stylesheet parser, is loaded by exactly one class as its ``DEFAULT_CSS`` (so
its place in the cascade is unchanged), ships through pyproject's package data, and no module
under ``tui/`` grows a CSS string literal again.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import tomllib
from pathlib import Path

import pytest
from textual.app import App
from textual.css.errors import UnresolvedVariableError
from textual.css.stylesheet import Stylesheet, StylesheetParseError
from textual.dom import DOMNode

import tui
from tui.styles import widget_css

REPO = Path(__file__).resolve().parents[1]
TUI = REPO / "tui"
CSS_ATTRIBUTES = ("DEFAULT_CSS", "CSS")


def snake_case(class_name: str) -> str:
    """``ClaimsTable`` → ``claims_table``: the name of a class's ``.tcss`` file."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def styled_classes() -> dict[type[DOMNode], Path]:
    """Every DOMNode class defined under ``tui`` with its own DEFAULT_CSS → its expected file."""
    found: dict[type[DOMNode], Path] = {}
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, DOMNode)
                and value.__module__ == module.__name__
                and "DEFAULT_CSS" in value.__dict__
            ):
                module_file = Path(inspect.getfile(module))
                found[value] = module_file.with_name(f"{snake_case(value.__name__)}.tcss")
    return found


def parse_tcss(css: str, scope: str) -> Stylesheet:
    """Parse ``css`` as Textual parses a class's DEFAULT_CSS, with the default theme's variables."""
    stylesheet = Stylesheet(variables=App().get_css_variables())
    stylesheet.add_source(css, read_from=("test", scope), is_default_css=True, scope=scope)
    stylesheet.parse()
    return stylesheet


def css_literal_assignments(source: str, filename: str) -> list[str]:
    """``file:line`` of every DEFAULT_CSS/CSS assignment that is not ``widget_css(...)``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        if not names & set(CSS_ATTRIBUTES):
            continue
        loads_a_file = (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "widget_css"
        )
        if not loads_a_file:
            found.append(f"{filename}:{node.lineno}")
    return found


def test_every_styled_class_reads_the_tcss_file_named_after_it() -> None:
    classes = styled_classes()
    names = {cls.__name__ for cls in classes}
    assert {"Reader", "MainScreen", "BookmarksScreen", "SearchPane"} <= names
    for cls, path in classes.items():
        assert path.is_file(), f"{cls.__qualname__} in {cls.__module__}: {path} is missing"
        text = path.read_text(encoding="utf-8")
        assert text.strip(), f"{path} is empty"
        # Still DEFAULT_CSS, byte for byte the file: Textual scopes and ranks it as before.
        assert cls.__dict__["DEFAULT_CSS"] == text, f"{cls.__qualname__} does not load {path.name}"
        assert "CSS" not in cls.__dict__, f"{cls.__qualname__} loads rules at user level too"


def test_every_tcss_file_is_loaded_by_exactly_one_class() -> None:
    loaded = sorted(styled_classes().values())
    files = sorted(TUI.rglob("*.tcss"))
    assert files, "no .tcss files under tui/"
    assert loaded == files, "a .tcss file no class loads, or one loaded twice"


@pytest.mark.parametrize("path", sorted(TUI.rglob("*.tcss")), ids=lambda p: p.name)
def test_tcss_file_parses_into_rules(path: Path) -> None:
    class_name = "".join(part.title() for part in path.stem.split("_"))
    stylesheet = parse_tcss(path.read_text(encoding="utf-8"), scope=class_name)
    assert stylesheet.rules, f"{path} holds no rules"


def test_the_parser_check_rejects_broken_css() -> None:
    with pytest.raises(StylesheetParseError):
        parse_tcss("Reader { colr: red; }", scope="Reader")
    with pytest.raises(UnresolvedVariableError):
        parse_tcss("Reader { color: $no-such-variable; }", scope="Reader")


def test_no_tui_module_holds_a_css_string() -> None:
    offenders = []
    assignments = 0
    for path in sorted(TUI.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        offenders += css_literal_assignments(source, str(path.relative_to(REPO)))
        assignments += source.count("= widget_css(__name__,")
    assert not offenders, f"CSS belongs in a .tcss file beside the module: {offenders}"
    assert assignments == len(list(TUI.rglob("*.tcss")))


def test_the_css_literal_scan_finds_a_literal() -> None:
    literal = 'class W:\n    DEFAULT_CSS = """W { height: 1; }"""\n'
    indirect = 'RULES = "W { height: 1; }"\nclass W:\n    CSS: str = RULES\n'
    loaded = 'class W:\n    DEFAULT_CSS = widget_css(__name__, "w.tcss")\n'
    assert css_literal_assignments(literal, "w.py") == ["w.py:2"]
    assert css_literal_assignments(indirect, "w.py") == ["w.py:3"]
    assert css_literal_assignments(loaded, "w.py") == []


def test_pyproject_ships_every_package_s_tcss_files() -> None:
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    packages = {".".join(path.parent.relative_to(REPO).parts) for path in TUI.rglob("*.tcss")}
    assert packages
    for package in packages:
        assert package in setuptools["packages"], package
        assert "*.tcss" in setuptools["package-data"].get(package, []), package


def test_a_missing_tcss_file_says_the_package_data_is_missing() -> None:
    with pytest.raises(FileNotFoundError, match=r"no_such_widget\.tcss.*package-data"):
        widget_css("tui.widgets.reader", "no_such_widget.tcss")
    with pytest.raises(ValueError, match="not inside a package"):
        widget_css("toplevel", "toplevel.tcss")

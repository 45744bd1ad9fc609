"""The user's settings for the app, read from the TOML file at ``index.paths.config_file()``.

A bad config must never stop the app: every problem is collected as one sentence the user can act
on (which key, what was wrong, what was used instead), the app shows them in a notification, and
runs on the defaults for the broken keys. This module imports neither Textual nor the core index,
so reading the config costs nothing before the first frame.

Example file::

    bidi = "app"               # "auto", "app", "terminal" or "off"
    shaping = true             # Arabic presentation forms in app mode
    theme = "textual-dark"
    side_width = 40            # the related panel's width in cells
    default_corpus = ["~/news/corpus"]

    [keymap]                   # binding id = "key[,key...]"  (see the help screen, ?)
    search = "ctrl+f"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BIDI_MODES = ("auto", "app", "terminal", "off")
"""Accepted values of ``bidi``; ``auto`` lets the RTL engine detect a bidi-aware terminal."""

MIN_SIDE_WIDTH = 20
MAX_SIDE_WIDTH = 120


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the user may set; the defaults are what a missing file means."""

    bidi: str = "auto"
    shaping: bool = True
    theme: str = "textual-dark"
    side_width: int = 40
    keymap: dict[str, str] = field(default_factory=dict)
    default_corpus: tuple[Path, ...] = ()
    source: Path | None = None
    """The file these settings came from (``None`` when it did not exist)."""


@dataclass(frozen=True, slots=True)
class ConfigResult:
    """A config plus the problems found reading it (shown to the user, never raised)."""

    config: Config
    problems: tuple[str, ...] = ()


def load_config(path: Path) -> ConfigResult:
    """Read ``path``; a missing file is the defaults, a broken one is defaults plus problems."""
    if not path.exists():
        return ConfigResult(Config())
    import tomllib  # only when there is a file: a missing config costs nothing at start-up

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return ConfigResult(
            Config(), (f"Could not read the config file {path}: {error}. Using the defaults.",)
        )
    except tomllib.TOMLDecodeError as error:
        return ConfigResult(
            Config(),
            (f"The config file {path} is not valid TOML ({error}). Using the defaults.",),
        )
    return parse_config(data, source=path)


def parse_config(data: dict[str, Any], *, source: Path | None = None) -> ConfigResult:
    """Turn parsed TOML into a Config, keeping every valid key and reporting the others."""
    problems: list[str] = []
    where = f" in {source}" if source else ""
    defaults = Config()
    values: dict[str, Any] = {}

    def bad(key: str, expected: str, default: object) -> None:
        problems.append(
            f"Config key '{key}'{where} should be {expected}; got {data[key]!r}. Using {default!r}."
        )

    if "bidi" in data:
        if isinstance(data["bidi"], str) and data["bidi"] in BIDI_MODES:
            values["bidi"] = data["bidi"]
        else:
            bad("bidi", "one of " + ", ".join(BIDI_MODES), defaults.bidi)
    if "shaping" in data:
        if isinstance(data["shaping"], bool):
            values["shaping"] = data["shaping"]
        else:
            bad("shaping", "true or false", defaults.shaping)
    if "theme" in data:
        if isinstance(data["theme"], str) and data["theme"].strip():
            values["theme"] = data["theme"].strip()
        else:
            bad("theme", "a theme name", defaults.theme)
    if "side_width" in data:
        width = data["side_width"]
        if (
            isinstance(width, int)
            and not isinstance(width, bool)
            and (MIN_SIDE_WIDTH <= width <= MAX_SIDE_WIDTH)
        ):
            values["side_width"] = width
        else:
            bad(
                "side_width",
                f"a whole number from {MIN_SIDE_WIDTH} to {MAX_SIDE_WIDTH}",
                defaults.side_width,
            )
    if "keymap" in data:
        keymap = data["keymap"]
        if isinstance(keymap, dict):
            good = {k: v for k, v in keymap.items() if isinstance(v, str) and v.strip()}
            for key in sorted(set(keymap) - set(good)):
                problems.append(
                    f"Config keymap entry '{key}'{where} should be a key string such as "
                    f'"ctrl+f"; got {keymap[key]!r}. Keeping its default key.'
                )
            values["keymap"] = {k: v.replace(" ", "") for k, v in good.items()}
        else:
            bad("keymap", 'a table such as [keymap] search = "ctrl+f"', {})
    if "default_corpus" in data:
        corpus = data["default_corpus"]
        if isinstance(corpus, str):
            corpus = [corpus]
        if isinstance(corpus, list) and corpus and all(isinstance(p, str) for p in corpus):
            values["default_corpus"] = tuple(Path(p).expanduser() for p in corpus)
        else:
            bad("default_corpus", "a path or a list of paths", "the bundled seeds")
    known = {"bidi", "shaping", "theme", "side_width", "keymap", "default_corpus"}
    for key in sorted(set(data) - known):
        problems.append(
            f"Unknown config key '{key}'{where} was ignored "
            f"(known keys: {', '.join(sorted(known))})."
        )
    return ConfigResult(Config(source=source, **values), tuple(problems))


def unknown_keymap_ids(config: Config, binding_ids: set[str]) -> list[str]:
    """Keymap entries naming no binding: most likely typos the user wants to hear about."""
    return sorted(set(config.keymap) - binding_ids)

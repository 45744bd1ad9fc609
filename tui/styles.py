"""Read a widget's or screen's Textual CSS from the ``.tcss`` file beside its module.

The styles live in ``.tcss`` files next to the code they style (one file per class, named after
it: ``Reader`` → ``reader.tcss``, ``ClaimsTable`` → ``claims_table.tcss``), but each file's text
is still assigned to the class's ``DEFAULT_CSS``. That keeps the cascade exactly as it was when
the CSS was a Python string: Textual ranks every ``DEFAULT_CSS`` below the app's and screens'
``CSS``/``CSS_PATH``, scopes it to the class, breaks ties by the class hierarchy (a subclass
beats its base) and lets subclasses inherit it. Loading the same rules through ``CSS_PATH``
would promote them to user CSS, above Textual's own widget defaults and above any user theme
CSS that relies on that order.

The files are read with :mod:`importlib.resources`, so they are found in a source checkout, an
editable install, a wheel and a zip import alike; pyproject's ``[tool.setuptools.package-data]``
ships them.
"""

from __future__ import annotations

from importlib import resources


def widget_css(module: str, filename: str) -> str:
    """The text of ``filename`` in the package of ``module`` (pass ``__name__``).

    Raises:
        FileNotFoundError: the file is missing, which means the package was installed without
            its ``.tcss`` data files; the message says so rather than letting Textual start
            with unstyled widgets.
    """
    package, _, _ = module.rpartition(".")
    if not package:
        raise ValueError(f"{module!r} is not inside a package: its .tcss files have no home")
    source = resources.files(package).joinpath(filename)
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{filename} is missing beside {module}: the package was installed without its"
            " .tcss style files (see [tool.setuptools.package-data] in pyproject.toml)"
        ) from None

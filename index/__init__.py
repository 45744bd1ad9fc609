"""newsreader's headless core: corpus loading, Arabic analysis, the Whoosh index, search,
related passages, claims and the bookmarks store.

Nothing under ``index`` imports Textual: the command line and the tests use it directly,
and the app in ``tui`` is a thin shell over it.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"

"""newsreader's terminal front ends: the command line (``tui.cli``) and the Textual app.

Importing this package imports nothing heavy: ``newsreader --help`` and the non-interactive
commands never load Textual.
"""

"""Lines of several fields in mixed directions ("كويت نيوز · title · just now · #أرقام") that
keep each field in its place, and a Visual stacking blocks laid out in different directions.

Unisolated, such a line is one bidi paragraph: an Arabic tag pulls the comma before it to the
far side ("،just now") and an Arabic outlet drags its neighbours along. Each field is wrapped
in FSI … PDI (UAX #9 isolates, resolved by ``tui.bidi`` and hidden when drawn), so it is laid
out in its own direction in its own slot, and the line is given one forced paragraph direction
so a list of them is aligned alike whatever each row's fields hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from tui.widgets.painting import LaidOutBlock

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate(text: str) -> str:
    """``text`` as a bidi isolate: its direction comes from its own first letter, and neither
    it nor its neighbours reorder across its boundary."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def field_line(*fields: str, separator: str = " · ") -> str:
    """The non-empty ``fields`` joined by ``separator``, each isolated."""
    return separator.join(isolate(field) for field in fields if field)


class StackedBlocks(Visual):
    """Laid-out blocks one under the other, each with its own layout options (an Arabic
    quote right-to-left by its letters, the metadata under it left-to-right, in one prompt)."""

    def __init__(self, blocks: Sequence[LaidOutBlock]) -> None:
        self.blocks = tuple(blocks)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips = [
            strip
            for block in self.blocks
            for strip in block.render_strips(width, None, style, options)
        ]
        return strips[:height] if height is not None else strips

    def get_optimal_width(self, rules: object, container_width: int) -> int:
        return container_width

    def get_height(self, rules: object, width: int) -> int:
        return sum(block.get_height(rules, width) for block in self.blocks)

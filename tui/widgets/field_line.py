"""A Visual stacking laid-out blocks that each have their own paragraph direction: an Arabic
quote right-to-left by its letters, and under it a meta line of isolated fields
(:func:`tui.labels.field_line`) forced left-to-right, so a list of them aligns alike whatever
each row's fields hold."""

from __future__ import annotations

from collections.abc import Sequence

from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from tui.widgets.painting import LaidOutBlock


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

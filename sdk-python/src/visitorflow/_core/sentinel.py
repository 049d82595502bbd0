"""The marker for a keyword argument the caller did not pass."""

from __future__ import annotations

from typing import Final, Literal


class NotGiven:
    """The type of ``NOT_GIVEN``: an argument left out, as opposed to one passed as ``None``.

    Request bodies need the difference because ``None`` sends JSON ``null``, which clears a
    nullable field, while a left-out argument leaves the field as it is.
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

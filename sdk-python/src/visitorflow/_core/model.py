"""The base class of every response model, and the fallback for union members added later."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_validator
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

UNKNOWN_VARIANT: Final = "__unknown__"
"""The tag of the fallback member of a discriminated union."""


class VisitorFlowModel(BaseModel):
    """A JSON object returned by the API.

    Fields the contract does not list yet are kept (``model_extra``) instead of rejected, so a
    field added to the API later never breaks an older SDK. ``to_dict()`` returns the JSON
    object exactly as the API sent it.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        use_attribute_docstrings=True,
        protected_namespaces=(),
    )

    _raw: dict[str, Any] | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        model = handler(data)
        if isinstance(model, VisitorFlowModel) and isinstance(data, dict):
            model._raw = data
        return model

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object as received, or the fields as JSON for a model built in code."""
        if self._raw is not None:
            return copy.deepcopy(self._raw)
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return ``to_dict()`` as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def discriminate_by(property_name: str, *known: str) -> Callable[[Any], str]:
    """Build a pydantic discriminator that sends values with an unknown tag to the fallback.

    A discriminated union in the contract may gain members later. Values whose
    ``property_name`` is not one of ``known`` validate as the union's fallback model instead
    of failing.
    """
    known_tags = frozenset(known)

    def tag_of(value: Any) -> str:
        if isinstance(value, dict):
            tag = value.get(property_name)
        else:
            tag = getattr(value, property_name, None)
        return tag if isinstance(tag, str) and tag in known_tags else UNKNOWN_VARIANT

    tag_of.__name__ = f"tag_by_{property_name}"
    return tag_of

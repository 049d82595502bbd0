"""Hand-written machinery behind the generated resources; the generator never writes here."""

from .encoding import encode_path
from .model import UNKNOWN_VARIANT, VisitorFlowModel, discriminate_by
from .pagination import AsyncPage, AsyncPaginator, SyncPage
from .resource import AsyncAPIResource, SyncAPIResource
from .sentinel import NOT_GIVEN, NotGiven

__all__ = [
    "NOT_GIVEN",
    "UNKNOWN_VARIANT",
    "AsyncAPIResource",
    "AsyncPage",
    "AsyncPaginator",
    "NotGiven",
    "SyncAPIResource",
    "SyncPage",
    "VisitorFlowModel",
    "discriminate_by",
    "encode_path",
]

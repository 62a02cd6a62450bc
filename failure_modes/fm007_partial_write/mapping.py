"""fm007_partial_write: replayed through the PartialWrite mapping, its guard named in the manifest."""

from failure_modes.mappings.partial_write import MAPPING

__all__ = ["MAPPING"]

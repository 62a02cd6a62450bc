"""a09_stale_epoch: replayed through the A09 mapping, its guard named in the manifest."""

from failure_modes.mappings.a09 import MAPPING

__all__ = ["MAPPING"]

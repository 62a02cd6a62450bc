"""fm005_zombie_after_partition: replayed through the Jobs mapping, its guard named in the manifest."""

from failure_modes.mappings.jobs import MAPPING

__all__ = ["MAPPING"]

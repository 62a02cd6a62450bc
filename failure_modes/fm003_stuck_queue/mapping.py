"""fm003_stuck_queue: replayed through the Jobs mapping, its guard named in the manifest."""

from failure_modes.mappings.jobs import MAPPING

__all__ = ["MAPPING"]

"""fm006_poison_message: replayed through the Poison mapping, its guard named in the manifest."""

from failure_modes.mappings.poison import MAPPING

__all__ = ["MAPPING"]

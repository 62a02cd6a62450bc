"""fm001_lease_expiry_duplicate: the FM_001 mapping."""

from failure_modes.mappings.fm001 import MAPPING

__all__ = ["MAPPING"]

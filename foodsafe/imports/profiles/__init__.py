"""Mapping profiles (映射配置): YAML files that turn layouts we do not control into ledgers.

``load_profile(name)`` reads and checks a profile (``spec``); ``profile_import`` runs one on a
file (``run``). The profiles shipped with foodsafe are the YAML files beside this module:
``sampling_notice`` (the national 食品安全监督抽检 nonconforming-products notice sheet) and
``sf_health`` (San Francisco's public restaurant inspection data). See docs/import-profiles.md.
"""

from __future__ import annotations

from .run import ProfileResult, ProfileUsageError, Rejected, profile_import
from .spec import Profile, ProfileError, available_profiles, load_profile, parse_profile

__all__ = [
    "Profile",
    "ProfileError",
    "ProfileResult",
    "ProfileUsageError",
    "Rejected",
    "available_profiles",
    "load_profile",
    "parse_profile",
    "profile_import",
]

"""Standard profiles: which qualifications each title needs, as data with dates and citations.

Standards change (Nghị định 33/2023, then the 2025 reform) and provinces may set stricter ones
(DOMAIN.md, "Standards"), so they live in ``rules/profiles/<name>.toml``, not in code, each
with its effective date and the article beside each rule. ``profile_in_force(on)`` picks the
one in force on a date; a deployment may pin one and lay its own override file over it.

- model.py: the profile and how a title's requirements are found;
- reading.py: reading and checking the files (the schema is documented there);
- choice.py: which profile applies on a date.
"""

from rules.profiles.choice import Standards, available_profiles, load_profile, profile_in_force
from rules.profiles.model import Profile
from rules.profiles.reading import ProfileError

__all__ = [
    "Profile",
    "ProfileError",
    "Standards",
    "available_profiles",
    "load_profile",
    "profile_in_force",
]

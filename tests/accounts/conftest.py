import pytest

from tests.evidence.fixtures import private_media, programme  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Personas log in with passwords; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from tests.evidence.fixtures import assignment, private_media, programme  # noqa: F401

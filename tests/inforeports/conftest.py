from tests.evidence.fixtures import private_media  # noqa: F401

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Job inputs and results go to a temporary storage root, not var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")

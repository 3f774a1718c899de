from __future__ import annotations

import pytest
from hypothesis import settings

from warden.testing import Personas, make_personas

# No timed assertions (the brief): hypothesis's default 200 ms deadline per example fails a property test on a
# busy CI machine without saying anything about the property. Speed is measured in bench/, not asserted here.
settings.register_profile("warden", deadline=None)
settings.load_profile("warden")


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()

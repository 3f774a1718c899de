from warden.accounts.models import Role
from warden.testing import PASSWORD, Personas


def test_personas_log_in_with_argon2_hashed_passwords(personas: Personas) -> None:
    assert personas.exporter.password.startswith("argon2")
    assert personas.exporter.check_password(PASSWORD)
    assert personas.oversight.role == Role.OVERSIGHT
    assert personas.exporter.organisation != personas.exporter_b.organisation

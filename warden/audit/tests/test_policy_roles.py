"""The audit policy names roles by their stored values (the log sits below accounts): each must be a Role."""

from warden.accounts.models import Role
from warden.audit.policy import ROLES


def test_every_role_the_audit_policy_names_is_an_accounts_role() -> None:
    named = set().union(*ROLES.values())
    assert named <= {r.value for r in Role}
    assert named

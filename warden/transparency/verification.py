"""Public licence verification: what anyone holding a licence number's paper may learn from its code.

Only the licence number (printed on the paper), its current status, its validity dates and the issuing
authority are shown: never the holder, parties, goods, quantities or values. An unknown code and a
malformed one get the same answer, so a caller learns nothing about which codes exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from warden.licences.models import Licence, LicenceStatus, normalise_verification_code

# Status -> what a customs officer or a bank needs to read at a glance.
MEANING: dict[str, str] = {
    LicenceStatus.ISSUED: "Valid: exports within its terms are licensed.",
    LicenceStatus.SUSPENDED: "Suspended: no export may be made under it until the authority reinstates it.",
    LicenceStatus.REVOKED: "Revoked: no export may be made under it.",
    LicenceStatus.SURRENDERED: "Surrendered by its holder: no export may be made under it.",
    LicenceStatus.EXPIRED: "Expired: its validity period has ended.",
    LicenceStatus.EXHAUSTED: "Exhausted: the licensed quantities have been fully shipped.",
}
PUBLIC_LABEL: dict[str, str] = {LicenceStatus.ISSUED: "Valid"}


@dataclass(frozen=True)
class PublicLicence:
    number: str
    status: str  # a LicenceStatus value, as in force on `checked_on`
    status_label: str
    meaning: str
    valid_from: dt.date
    valid_until: dt.date
    checked_on: dt.date


def lookup(code: str, on: dt.date) -> PublicLicence | None:
    """The public facts of the licence with verification code `code`, or None (unknown or malformed)."""
    normal = normalise_verification_code(code)
    if not normal.isalnum() or len(normal) > 32:
        return None
    licence = (
        Licence.objects.filter(verification_code=normal)
        .only("number", "status", "valid_from", "valid_until")
        .first()
    )
    if licence is None:
        return None
    status = licence.effective_status(on)
    return PublicLicence(
        number=licence.number,
        status=status,
        status_label=PUBLIC_LABEL.get(status, LicenceStatus(status).label),
        meaning=MEANING[status],
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        checked_on=on,
    )

"""The demo's catch-all referrals, made through the real services: one exporter notification waiting for a
decision, one decided "licence required" (Art. 4(1)(b), an embargoed destination) and one "not required".
Constructed data: no real company's notification."""

from __future__ import annotations

from warden.accounts.models import User
from warden.catchall import services
from warden.catchall.models import CatchAllReferral

GROUNDS = {
    "pending": "The buyer asked for five-axis accuracy well beyond what turbine blades need and would not name "
    "the plant; a reseller in a third country is to take delivery.",
    "informed": "The end user's website lists work for the armed forces, and the purchase order names a "
    "'special products' workshop.",
    "cleared": "A new customer with little public record; we checked its registration and plant visit report.",
}


def ensure_demo_referrals(*, exporters: list[User], officer: User, senior: User) -> list[str]:
    """Make the three referrals once (nothing when the first exporter already has one); their references."""
    alice = exporters[0]
    if (
        alice.organisation_id is None
        or CatchAllReferral.objects.filter(organisation_id=alice.organisation_id).exists()
    ):
        return []

    def notify(
        key: str, destination: str, goods: str, end_user: str, flags: tuple[str, ...]
    ) -> CatchAllReferral:
        return services.notify(
            actor=alice,
            notification=services.Notification(
                destination=destination,
                goods_description=goods,
                end_user_name=end_user,
                end_user_country=destination,
                end_use="Stated: civil manufacturing",
                grounds=GROUNDS[key],
                flags=flags,
            ),
        )

    pending = notify(
        "pending", "BY", "Five-axis machining centres", "Minsk Precision Works", ("military_end_use",)
    )
    informed = notify(
        "informed", "MM", "Ruggedised radio modules", "Yangon Electronics Co.", ("military_end_use",)
    )
    services.decide(
        actor=senior,
        referral=informed,
        decision="licence_required",
        basis="art4_1b",
        reason="Myanmar is under the EU arms embargo and the end user works for the armed forces.",
    )
    cleared = notify("cleared", "MY", "Industrial CNC controllers", "Penang Tooling Sdn Bhd", ())
    services.decide(
        actor=officer,
        referral=cleared,
        decision="not_required",
        reason="No indication of a listed end use; the registration and plant report are consistent.",
    )
    return [pending.reference, informed.reference, cleared.reference]

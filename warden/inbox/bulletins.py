"""Law-change bulletins: when the impact run of a new reference revision has finished, the exporters and the
case officers of every case or licence it found affected get one bulletin naming theirs, to acknowledge.
A run that found nothing affected makes no bulletin (nobody's cases change)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from warden.accounts.models import User
from warden.audit.services import record
from warden.inbox import mail
from warden.inbox.delivery import create, exporters_of
from warden.inbox.models import Bulletin, BulletinRecipient, Kind
from warden.legislation.models import ImpactItem, ImpactRun, RunKind, RunStatus
from warden.lib.errors import NotFound


def _title(run: ImpactRun) -> str:
    rev = run.to_revision
    note = f": {rev.note}" if rev is not None and rev.note else ""
    return f"Law change (reference data revision {rev.number if rev else '?'}){note}"


@transaction.atomic
def make_bulletins() -> list[Bulletin]:
    done = ImpactRun.objects.filter(kind=RunKind.CHANGE, status=RunStatus.DONE, bulletin__isnull=True)
    out = []
    for run in done.select_related("to_revision", "from_revision").order_by("pk"):
        items = list(
            ImpactItem.objects.filter(run=run).select_related("case", "licence", "case__case_officer")
        )
        if not items or run.to_revision is None:
            continue
        per_user: dict[int, tuple[User, list[str]]] = {}
        refs: defaultdict[int, list[str]] = defaultdict(list)
        for item in items:
            what = item.case.reference + (f" (licence {item.licence.number})" if item.licence else "")
            what += f": {item.before_recommendation} → {item.after_recommendation}"
            people = exporters_of(item.case.organisation_id)
            if item.case.case_officer:
                people.append(item.case.case_officer)
            for u in people:
                per_user.setdefault(u.pk, (u, []))
                refs[u.pk].append(what)
        before = run.from_revision.digests if run.from_revision else {}
        after = run.to_revision.digests
        changed = ", ".join(k.replace("_", " ") for k in sorted(after) if before.get(k) != after[k])
        body = (
            f"The reference data (embargoes, control lists, country assessments, rules) changed"
            f"{' (' + changed + ')' if changed else ''}. {len(items)} case(s) or licence(s) are assessed "
            "differently under it; yours are listed. Acknowledge that you have read this."
        )
        bulletin = Bulletin.objects.create(revision=run.to_revision, run=run, title=_title(run), body=body)
        for pk, (user, _) in per_user.items():
            BulletinRecipient.objects.create(bulletin=bulletin, user=user, items=sorted(set(refs[pk])))
        made = create(
            [u for u, _ in per_user.values()],
            Kind.LAW,
            bulletin.title,
            body,
            f"/inbox/bulletins/{bulletin.pk}/",
            f"bulletin:{bulletin.pk}",
        )
        mail.send_immediate(made)
        out.append(bulletin)
    return out


@transaction.atomic
def acknowledge(*, user: User, bulletin: Bulletin) -> BulletinRecipient:
    row = BulletinRecipient.objects.select_for_update().filter(bulletin=bulletin, user=user).first()
    if row is None:
        raise NotFound("That bulletin was not sent to you")
    if row.acknowledged_at is None:
        row.acknowledged_at = timezone.now()
        row.save(update_fields=["acknowledged_at"])
        record(
            actor=user, action="inbox.bulletin_acknowledged", target=bulletin, data={"title": bulletin.title}
        )
    return row

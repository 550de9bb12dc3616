"""A mirrored hire dated by the offer its application accepted, for vendors whose applications
do not say when they were hired: Greenhouse's Harvest (an application's `last_activity_at`
moves with any later note or e-mail) and Lever (an opportunity's `lastAdvancedAt` is its last
stage move, not its archiving as hired; a signed offer's `signedDocument.uploadedAt` says when
it was signed). Whichever of the two the sync sees last dates it: a hired application by its
offer accepted before, an accepted offer its application hired before. A hire without an
accepted offer keeps its stage's change."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from models.store.ats_mirror import MirrorApplication, MirrorOffer
from models.store.mirror_hires import accepted_offer_times, date_hires
from skills.ats.mirror_sync import MirrorSync


class OfferDatedHires(MirrorSync):
    """A vendor's sync that dates its hires by their accepted offers (see the module text)."""

    def put_applications(self, applications: Sequence[MirrorApplication | None]) -> None:
        present = [a for a in applications if a is not None]
        undated = [a.external_id for a in present if a.status == "hired" and a.hired_at is None]
        if undated:
            accepted = accepted_offer_times(self.engine, self.org_id, self.vendor, undated)
            present = [
                dataclasses.replace(a, hired_at=accepted[a.external_id])
                if a.external_id in accepted and a.hired_at is None
                else a
                for a in present
            ]
        super().put_applications(present)

    def put_offers(self, offers: Sequence[MirrorOffer | None]) -> None:
        super().put_offers(offers)
        hires = {
            o.application: o.accepted_at
            for o in offers
            if o is not None and o.status == "accepted" and o.accepted_at is not None
        }
        if hires:
            date_hires(self.engine, self.org_id, self.vendor, hires)

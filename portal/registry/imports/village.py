"""A village operator's file: every row is a proposal for their own desa.

New people are added as pending (the officer validates them, as with a proposal
made one by one); a person already registered in the desa gets a pending
correction with the differing fields; nothing else of the registry changes.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from portal.core.notify import kecamatan_officers, notify, path_for
from portal.core.text import N_
from portal.extensions import db
from portal.models import Desa, ImportBatch, Recipient, User
from portal.models.registry import RecipientCorrection
from portal.registry.corrections import as_json
from portal.registry.imports.columns import CellError, text
from portal.registry.imports.recipients import REGISTERED_ELSEWHERE, RecipientRows
from portal.registry.imports.rows import Issue, normalise_name

IN_ANOTHER_DESA = N_("This person is registered in another desa; ask the kecamatan officer.")
# What a village operator reads instead: never where another desa's or kecamatan's person
# is registered. The officer and the admin read the row's full reason.
NOT_FROM_THIS_DESA = N_(
    "This NIK cannot be proposed from your desa. Ask the kecamatan officer, who can see "
    "the registry of the whole kecamatan."
)
HIDDEN_FROM_PROPOSERS = frozenset({REGISTERED_ELSEWHERE, IN_ANOTHER_DESA})
# The fields a correction may carry (the source id is the office's, not the village's).
CORRECTABLE = ("kk", "name", "sex", "birth_place", "birth_date", "address", "phone")


class VillageRows(RecipientRows):
    """Rows of a village operator's list of people for their desa."""

    def __init__(self, batch: ImportBatch):
        super().__init__(batch)
        self.desa = db.session.get(Desa, batch.desa_id)
        self.pending = self._waiting()

    def _desa(self, value) -> int:
        """Blank means the operator's own desa; another desa is refused."""
        raw = text(value)
        if raw and self.desas.get(normalise_name(raw), self.desas.get(raw)) != self.desa.id:
            raise CellError(
                N_("Only people of %(desa)s can be proposed from this account ('%(name)s')."),
                {"desa": self.desa.name, "name": raw},
            )
        return self.desa.id

    def _conflict(self, number: int, current: Recipient) -> Issue | None:
        issue = super()._conflict(number, current)
        if issue is None and current.desa_id != self.desa.id:
            return Issue(
                number,
                self.column("nik"),
                IN_ANOTHER_DESA,
            )
        return issue

    def _changes(self, current: Recipient, record: dict) -> dict:
        """Differing fields, unless the same correction already waits for the officer."""
        changes = {
            name: as_json(record[name])
            for name in CORRECTABLE
            if record.get(name) not in (None, "") and getattr(current, name) != record[name]
        }
        if changes and (current.id, _key(changes)) in self.pending:
            return {}
        return changes

    def _waiting(self) -> set:
        """Pending corrections this operator already proposed (re-importing adds none)."""
        query = select(RecipientCorrection.recipient_id, RecipientCorrection.changes).where(
            RecipientCorrection.status == "pending",
            RecipientCorrection.proposed_by_id == self.batch.uploaded_by_id,
        )
        return {(rid, _key(changes)) for rid, changes in db.session.execute(query)}

    def _update(self, changed: list) -> None:
        if not changed:
            return
        db.session.execute(
            insert(RecipientCorrection),
            [
                {
                    "recipient_id": current.id,
                    "changes": changes,
                    "reason": self.batch.filename,
                    "proposed_by_id": self.batch.uploaded_by_id,
                    "status": "pending",
                    "import_batch_id": self.batch.id,
                }
                for current, _, changes in changed
            ],
        )
        for current, _, changes in changed:
            self.pending.add((current.id, _key(changes)))

    def after_commit(self) -> None:
        """Tell the kecamatan's officers that proposals wait for them."""
        operator = db.session.get(User, self.batch.uploaded_by_id)
        if self.batch.added or self.batch.updated:
            notify(
                kecamatan_officers(self.batch.kecamatan_id),
                N_(
                    "%(operator)s proposed %(added)s new recipients and %(corrections)s "
                    "corrections for %(desa)s by file."
                ),
                path_for("registry.proposals"),
                operator=operator.name if operator else "",
                added=self.batch.added,
                corrections=self.batch.updated,
                desa=self.desa.name,
            )

    def undo(self) -> dict:
        removed = db.session.execute(
            delete(RecipientCorrection).where(
                RecipientCorrection.import_batch_id == self.batch.id,
                RecipientCorrection.status == "pending",
            )
        ).rowcount
        result = super().undo()
        return {**result, "removed": result["removed"] + removed}


def reason_for(viewer: User, reason: str, params: dict) -> tuple[str, dict]:
    """A refused row's reason (English source and params) as ``viewer`` may read it."""
    if viewer.role == "village" and reason in HIDDEN_FROM_PROPOSERS:
        return NOT_FROM_THIS_DESA, {}
    return reason, params


def _key(changes: dict) -> tuple:
    return tuple(sorted((name, str(value)) for name, value in changes.items()))

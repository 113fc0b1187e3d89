"""Recipient rows: one person, one record regency-wide (NIK unique); a NIK registered in
another kecamatan is reported for Dinsos, never moved silently."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, insert, select, update

from portal.core.bulk import insert_rows, select_existing
from portal.core.dates import utcnow
from portal.core.nik import check_kk, check_nik, record_warnings
from portal.core.text import N_
from portal.extensions import db
from portal.models import AidRecord, Desa, ImportBatch, ImportChange, Kecamatan, Recipient
from portal.models.registry import recipient_sector, recipient_target_group
from portal.registry.imports import columns
from portal.registry.imports.columns import CellError, text
from portal.registry.imports.rows import (
    Issue,
    Outcome,
    RowsBase,
    jsonable,
    normalise_name,
    split_codes,
)

REGISTERED_ELSEWHERE = N_(
    "This NIK is registered in Kecamatan %(kecamatan)s; it is reported to "
    "Dinsos instead of being moved."
)
RECIPIENT_COLUMNS = (
    "kk",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "phone",
    "desa_id",
    "source_id",
)


def existing_niks(niks: list[str]) -> list[str]:
    """Those of ``niks`` a recipient already has."""
    return select_existing(db.session, Recipient.__table__, "nik", niks)


class RecipientRows(RowsBase):
    """Rows of a DTKS/DTSEN, PKH or Puskesos list of people."""

    fields = (
        "nik",
        "kk",
        "name",
        "sex",
        "birth_place",
        "birth_date",
        "address",
        "desa",
        "phone",
        "source_id",
        "target_groups",
        "sectors",
    )
    required = ("nik", "name")
    record_fields = (
        "nik",
        "kk",
        "name",
        "sex",
        "birth_date",
        "birth_place",
        "address",
        "phone",
        "source_id",
        "desa_id",
        "target_groups",
        "sectors",
        "warnings",
    )
    date_fields = ("birth_date",)

    def __init__(self, batch: ImportBatch):
        super().__init__(batch)
        self.kecamatan = db.session.get(Kecamatan, batch.kecamatan_id)
        self.desas = self._desa_index()
        self.seen: dict[str, int] = {}
        self.parsers = (
            ("nik", self._nik_cell),
            ("kk", self._kk_cell),
            ("sex", columns.parse_sex),
            ("birth_date", columns.parse_date),
            ("desa", self._desa),
        )

    def _desa_index(self) -> dict[str, int]:
        query = select(Desa).where(Desa.kecamatan_id == self.batch.kecamatan_id)
        index = {}
        for desa in db.session.scalars(query):
            index[normalise_name(desa.name)] = desa.id
            index[desa.code] = desa.id
        return index

    def clean(self, number: int, cells: list) -> tuple[dict | None, list[Issue]]:
        """The row as recipient values, or the reasons it is refused."""
        row = self.row(cells)
        issues: list[Issue] = []
        values: dict = {}
        for name, parse in self.parsers:
            try:
                values[name] = parse(row[name])
            except CellError as error:
                issues.append(Issue.from_error(number, self.column(name), error))
        name = text(row["name"])[:120]
        if not name:
            issues.append(Issue.of(number, self.column("name"), N_("The name is empty.")))
        if issues:
            return None, issues
        check = check_nik(values["nik"], values["sex"], values["birth_date"], self.today)
        if not check.valid:
            return None, [Issue.of(number, self.column("nik"), e) for e in check.errors]
        return {
            "nik": values["nik"],
            "kk": values["kk"] or None,
            "name": name,
            "sex": values["sex"] or check.sex,
            "birth_date": values["birth_date"] or check.birth_date,
            "birth_place": text(row["birth_place"])[:80],
            "address": text(row["address"]),
            "phone": text(row["phone"])[:40],
            "source_id": text(row["source_id"])[:60],
            "desa_id": values["desa"],
            "target_groups": split_codes(row["target_groups"], "target_groups"),
            "sectors": split_codes(row["sectors"], "sectors"),
            "warnings": ",".join(
                record_warnings(
                    values["nik"], values["kk"], values["sex"], values["birth_date"], check=check
                )
            ),
        }, issues

    def _nik_cell(self, value) -> str:
        nik = columns.digits_cell(value, "NIK")
        if not nik:
            raise CellError(N_("The NIK is empty."))
        return nik

    def _kk_cell(self, value) -> str:
        kk = columns.digits_cell(value, "KK")
        if kk:
            check = check_kk(kk)
            if not check.valid:
                raise CellError(check.errors[0])
        return kk

    def _desa(self, value) -> int | None:
        raw = text(value)
        if not raw:
            return None
        desa_id = self.desas.get(normalise_name(raw)) or self.desas.get(raw)
        if desa_id is None:
            raise CellError(
                N_("Desa/kelurahan '%(name)s' is not in Kecamatan %(kecamatan)s."),
                {"name": raw, "kecamatan": self.kecamatan.name},
            )
        return desa_id

    def classify(self, records: list, write: bool, outcome: Outcome | None = None) -> Outcome:
        """Add, update or refuse the checked rows (only counting when not writing)."""
        outcome = Outcome() if outcome is None else outcome
        existing = self._existing(records)
        new, changed = [], []
        for number, cells, record in records:
            current = existing.get(record["nik"])
            if current is None:
                new.append(record)
                outcome.counts["added"] += 1
                continue
            outcome.known.add(number)
            issue = self._conflict(number, current)
            if issue is not None:
                outcome.refuse([issue], cells)
                continue
            changes = self._changes(current, record)
            if changes:
                changed.append((current, record, changes))
                outcome.counts["updated"] += 1
            else:
                outcome.counts["unchanged"] += 1
        if write:
            self._insert(new)
            self._update(changed)
        return outcome

    def check(self, chunk: list[tuple[int, list]], outcome: Outcome) -> list:
        """The rows that clean and whose NIK is new to the file; the others refused."""
        records = []
        for number, cells in chunk:
            record, issues = self.clean(number, cells)
            if record is not None and record["nik"] in self.seen:
                first = self.seen[record["nik"]]
                issues = [
                    Issue.of(
                        number,
                        self.column("nik"),
                        N_("This NIK already appears in row %(row)s of this file."),
                        {"row": first},
                    )
                ]
                record = None
            if record is None:
                outcome.refuse(issues, cells)
                continue
            self.seen[record["nik"]] = number
            records.append((number, cells, record))
        return records

    def _existing(self, records) -> dict:
        """The recipients already registered under the rows' NIKs, as table rows (no ORM
        objects): which NIKs exist is asked first, as bare driver parameters, since a
        large file mostly brings new people."""
        found = existing_niks([record["nik"] for _, _, record in records])
        if not found:
            return {}
        table = Recipient.__table__
        query = select(table).where(table.c.nik.in_(found))
        return {row.nik: row for row in db.session.execute(query)}

    def _conflict(self, number: int, current: Recipient) -> Issue | None:
        if current.kecamatan_id != self.batch.kecamatan_id:
            kecamatan = db.session.get(Kecamatan, current.kecamatan_id)
            return Issue(
                number,
                self.column("nik"),
                REGISTERED_ELSEWHERE,
                {"kecamatan": kecamatan.name},
                kind="conflict",
            )
        if current.import_batch_id == self.batch.id:
            return Issue(number, self.column("nik"), N_("This NIK appears earlier in this file."))
        return None

    def _changes(self, current: Recipient, record: dict) -> dict:
        """Fields the file fills with a different value (blank cells change nothing), and
        the warnings of the record as it will be."""
        changes = {
            name: record[name]
            for name in RECIPIENT_COLUMNS
            if record.get(name) not in (None, "") and getattr(current, name) != record[name]
        }
        if changes:
            after = {name: changes.get(name, getattr(current, name)) for name in ("kk", "sex")}
            warnings = ",".join(
                record_warnings(
                    current.nik,
                    after["kk"],
                    after["sex"],
                    changes.get("birth_date", current.birth_date),
                    self.today,
                )
            )
            if warnings != current.warnings:
                changes["warnings"] = warnings
        return changes

    def _insert(self, new: list[dict]) -> None:
        if not new:
            return
        now = utcnow()
        base = {
            "kecamatan_id": self.batch.kecamatan_id,
            "source": self.batch.source,
            "validation_status": "pending",
            "rejection_reason": "",
            "active": True,
            "import_batch_id": self.batch.id,
            "created_by_id": self.batch.uploaded_by_id,
            # One time for the chunk, so no default runs per row.
            "created_at": now,
            "updated_at": now,
        }
        columns = ("nik", *RECIPIENT_COLUMNS, "warnings")
        rows = ((r["nik"], *(r[name] for name in RECIPIENT_COLUMNS), r["warnings"]) for r in new)
        insert_rows(db.session, Recipient.__table__, columns, rows, constants=base)
        coded = [r for r in new if r["target_groups"] or r["sectors"]]
        if coded:
            query = select(Recipient.nik, Recipient.id).where(
                Recipient.nik.in_([r["nik"] for r in coded])
            )
            self._insert_codes(dict(db.session.execute(query).all()), coded)

    def _insert_codes(self, ids: dict[str, int], records: list[dict]) -> None:
        groups = [
            {"recipient_id": ids[r["nik"]], "code": code}
            for r in records
            for code in r["target_groups"]
        ]
        sectors = [
            {"recipient_id": ids[r["nik"]], "code": code} for r in records for code in r["sectors"]
        ]
        if groups:
            db.session.execute(recipient_target_group.insert(), groups)
        if sectors:
            db.session.execute(recipient_sector.insert(), sectors)

    def _update(self, changed: list) -> None:
        if not changed:
            return
        db.session.execute(
            insert(ImportChange),
            [
                {
                    "batch_id": self.batch.id,
                    "recipient_id": current.id,
                    "previous": {name: jsonable(getattr(current, name)) for name in changes}
                    | {"import_batch_id": current.import_batch_id},
                }
                for current, _, changes in changed
            ],
        )
        db.session.execute(
            update(Recipient),
            [
                {"id": current.id, **changes, "import_batch_id": self.batch.id}
                for current, _, changes in changed
            ],
        )

    def undo(self) -> dict:
        """Restore updated recipients; remove added ones that nobody validated or used."""
        restored = 0
        for change in db.session.scalars(
            select(ImportChange).where(ImportChange.batch_id == self.batch.id)
        ):
            values = dict(change.previous)
            if values.get("birth_date"):
                values["birth_date"] = date.fromisoformat(values["birth_date"])
            db.session.execute(
                update(Recipient).where(Recipient.id == change.recipient_id).values(**values)
            )
            restored += 1
        removable = (
            select(Recipient.id)
            .where(Recipient.import_batch_id == self.batch.id)
            .where(Recipient.validation_status == "pending")
            .where(
                ~Recipient.id.in_(
                    select(AidRecord.recipient_id).where(AidRecord.recipient_id.is_not(None))
                )
            )
            .where(
                ~Recipient.id.in_(
                    select(ImportChange.recipient_id).where(ImportChange.batch_id == self.batch.id)
                )
            )
        )
        ids = list(db.session.scalars(removable))
        for table in (recipient_target_group, recipient_sector):
            db.session.execute(delete(table).where(table.c.recipient_id.in_(ids)))
        db.session.execute(delete(Recipient).where(Recipient.id.in_(ids)))
        db.session.execute(delete(ImportChange).where(ImportChange.batch_id == self.batch.id))
        return {"restored": restored, "removed": len(ids)}

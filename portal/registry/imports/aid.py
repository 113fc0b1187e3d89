"""Aid-history rows of other programmes: linked to the registry by NIK when the person is
there; the same aid (NIK or KK, category, date, source) imported twice counts once."""

from __future__ import annotations

from sqlalchemy import delete, insert, or_, select

from portal.core.nik import check_kk, check_nik
from portal.core.text import N_
from portal.extensions import db
from portal.models import AidCategory, AidRecord, ImportBatch, Recipient
from portal.registry.imports import columns
from portal.registry.imports.columns import CellError, text
from portal.registry.imports.rows import Issue, Outcome, RowsBase, normalise_name


class AidRows(RowsBase):
    """Rows of another programme's aid list (PKH, BPNT, BLT-DD, Dinsos UEP, other CSR)."""

    fields = ("nik", "kk", "name", "category", "received_on", "value")
    required = ("received_on",)
    record_fields = ("nik", "kk", "category", "received_on", "value")
    date_fields = ("received_on",)

    def __init__(self, batch: ImportBatch):
        super().__init__(batch)
        self.categories = self._category_index()
        self.seen: set[tuple] = set()

    def missing_fields(self, mapping: dict) -> list[str]:
        missing = super().missing_fields(mapping)
        if "nik" not in mapping and "kk" not in mapping:
            missing.append("nik")
        if "category" not in mapping and not self.batch.default_category_id:
            missing.append("category")
        return missing

    @staticmethod
    def _category_index() -> dict[str, int]:
        index = {}
        for category in db.session.scalars(select(AidCategory)):
            index[normalise_name(category.code)] = category.id
            index[normalise_name(category.name)] = category.id
        return index

    def clean(self, number: int, cells: list) -> tuple[dict | None, list[Issue]]:
        issues: list[Issue] = []
        values: dict = {}
        for name, parse in (
            ("nik", self._number("NIK", check_nik)),
            ("kk", self._number("KK", check_kk)),
            ("received_on", columns.parse_date),
            ("value", columns.parse_rupiah),
            ("category", self._category),
        ):
            try:
                values[name] = parse(self.cell(cells, name))
            except CellError as error:
                issues.append(Issue.from_error(number, self.column(name), error))
        if not issues and not (values["nik"] or values["kk"]):
            issues.append(Issue.of(number, self.column("nik"), N_("Give a NIK or a KK number.")))
        if not issues and values["received_on"] is None:
            issues.append(
                Issue.of(number, self.column("received_on"), N_("The date received is empty."))
            )
        return (None, issues) if issues else (values, [])

    @staticmethod
    def _number(label: str, check):
        def parse(value):
            number = columns.digits_cell(value, label)
            if number:
                result = check(number)
                if not result.valid:
                    raise CellError(result.errors[0])
            return number or None

        return parse

    def _category(self, value) -> int:
        raw = text(value)
        if not raw:
            if self.batch.default_category_id:
                return self.batch.default_category_id
            raise CellError(N_("The aid category is empty."))
        category_id = self.categories.get(normalise_name(raw))
        if category_id is None:
            raise CellError(N_("'%(value)s' is not a known aid category."), {"value": raw})
        return category_id

    def check(self, chunk: list[tuple[int, list]], outcome: Outcome) -> list:
        records = []
        for number, cells in chunk:
            record, issues = self.clean(number, cells)
            if record is None:
                outcome.refuse(issues, cells)
                continue
            records.append((number, cells, record))
        return records

    def classify(self, checked: list, write: bool, outcome: Outcome | None = None) -> Outcome:
        outcome = Outcome() if outcome is None else outcome
        records = [record for _, _, record in checked]
        known = self._known(records)
        people = self._recipients(records)
        new = []
        for record in records:
            key = _aid_key(record)
            if key in known or key in self.seen:
                outcome.counts["unchanged"] += 1
                continue
            self.seen.add(key)
            new.append(record)
            outcome.counts["added"] += 1
        if write and new:
            db.session.execute(insert(AidRecord), [self._row(r, people) for r in new])
        return outcome

    def _known(self, records: list[dict]) -> set[tuple]:
        niks = {r["nik"] for r in records if r["nik"]}
        kks = {r["kk"] for r in records if r["kk"]}
        if not niks and not kks:
            return set()
        query = select(
            AidRecord.nik, AidRecord.kk, AidRecord.category_id, AidRecord.received_on
        ).where(AidRecord.source == self.batch.source)
        query = query.where(or_(AidRecord.nik.in_(niks), AidRecord.kk.in_(kks)))
        return {tuple(row) for row in db.session.execute(query)}

    @staticmethod
    def _recipients(records: list[dict]) -> dict[str, int]:
        niks = [r["nik"] for r in records if r["nik"]]
        if not niks:
            return {}
        query = select(Recipient.nik, Recipient.id).where(Recipient.nik.in_(niks))
        return dict(db.session.execute(query).all())

    def _row(self, record: dict, people: dict[str, int]) -> dict:
        return {
            "nik": record["nik"],
            "kk": record["kk"],
            "recipient_id": people.get(record["nik"]),
            "category_id": record["category"],
            "source": self.batch.source,
            "programme": self.batch.source,
            "received_on": record["received_on"],
            "value": record["value"],
            "import_batch_id": self.batch.id,
        }

    def undo(self) -> dict:
        result = db.session.execute(
            delete(AidRecord).where(AidRecord.import_batch_id == self.batch.id)
        )
        return {"restored": 0, "removed": result.rowcount}


def _aid_key(record: dict) -> tuple:
    return (record["nik"], record["kk"], record["category"], record["received_on"])

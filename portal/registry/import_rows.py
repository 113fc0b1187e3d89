"""Row rules of an import: clean each row, then add, update or refuse a chunk of rows.

Recipients: one person, one record regency-wide (NIK unique); a NIK registered
in another kecamatan is reported for Dinsos, never moved silently. Aid
history: linked to the registry by NIK when the person is there; the same aid
(NIK or KK, category, date, source) imported twice is counted once.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, insert, or_, select, update

from portal.core.nik import check_kk, check_nik
from portal.core.notify import N_
from portal.extensions import db
from portal.models import (
    AidCategory,
    AidRecord,
    Desa,
    ImportBatch,
    ImportChange,
    Kecamatan,
    Recipient,
)
from portal.models.recipients import recipient_sector, recipient_target_group
from portal.registry import columns
from portal.registry.columns import CellError, guess_mapping, normalise_header, text

TARGET_GROUP_WORDS = {
    "wrse": "wrse",
    "perempuanrawansosialekonomi": "wrse",
    "lansia": "elderly",
    "lanjutusia": "elderly",
    "disabilitas": "disability",
    "penyandangdisabilitas": "disability",
    "anakterlantar": "neglected_children",
    "kube": "kube",
    "prasejahtera": "pre_prosperous",
    "keluargaprasejahtera": "pre_prosperous",
}
SECTOR_WORDS = {
    "kue": "food",
    "makanan": "food",
    "kuliner": "food",
    "tataboga": "food",
    "jahit": "sewing",
    "menjahit": "sewing",
    "warung": "retail",
    "toko": "retail",
    "umkm": "retail",
    "bengkel": "motor_workshop",
    "bengkelmotor": "motor_workshop",
    "multimedia": "multimedia",
    "pertanian": "agriculture",
    "perkebunan": "agriculture",
    "tani": "agriculture",
    "nelayan": "fishing",
    "perikanan": "fishing",
}
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


def message_parts(message) -> tuple[str, dict]:
    """(English source string, params) of a lazy gettext string, to translate when shown."""
    args = getattr(message, "_args", None)
    if args:
        return args[0], dict(getattr(message, "_kwargs", {}) or {})
    return str(message), {}


@dataclass
class Issue:
    """One refusal reason of one row."""

    row: int
    column: str
    reason: str
    params: dict = field(default_factory=dict)
    kind: str = "error"
    raw: list | None = None

    @classmethod
    def of(cls, row: int, column: str, message, params: dict | None = None) -> Issue:
        reason, found = message_parts(message)
        return cls(row, column, reason, {**found, **(params or {})})

    @classmethod
    def from_error(cls, row: int, column: str, error: CellError) -> Issue:
        return cls.of(row, column, error.message, error.params)

    def as_row(self, batch_id: int) -> dict:
        raw = json.dumps([_jsonable(c) for c in self.raw]) if self.raw is not None else ""
        return {
            "batch_id": batch_id,
            "row_number": self.row,
            "kind": self.kind,
            "column": self.column,
            "reason": self.reason,
            "params": self.params,
            "raw": raw,
        }


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass
class Outcome:
    """What a chunk did (or would do): counts, reasons and the refused rows."""

    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)

    def refuse(self, issues: list[Issue], cells: list) -> None:
        issues[0].raw = cells
        self.issues.extend(issues)
        self.counts["refused"] += 1
        for issue in issues:
            self.reasons[issue.reason] += 1


DESA_PREFIX = re.compile(r"(?i)^\s*(desa|kelurahan|kel\.|ds\.)\s*")
LIST_SEPARATORS = re.compile(r"[,;/]")


@functools.lru_cache(maxsize=4096)
def normalise_name(value: str) -> str:
    """``Kel. Loa Ipuh`` and ``LOA IPUH`` compare equal (names repeat: cached)."""
    return normalise_header(DESA_PREFIX.sub("", value or ""))


@functools.lru_cache(maxsize=4096)
def _codes(raw: str, kind: str) -> tuple[str, ...]:
    words = TARGET_GROUP_WORDS if kind == "target_groups" else SECTOR_WORDS
    codes = {words.get(normalise_name(part)) for part in LIST_SEPARATORS.split(raw)}
    return tuple(sorted(code for code in codes if code))


def split_codes(value: object, kind: str) -> tuple[str, ...]:
    """Target groups or sectors named in a cell (``Lansia; Disabilitas``) as codes."""
    raw = text(value)
    return _codes(raw, kind) if raw else ()


class RowsBase:
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.mapping = batch.mapping or {}
        self.today = date.today()

    def guess_mapping(self, header: list[str]) -> dict[str, int]:
        return guess_mapping(header, self.fields)

    def missing_fields(self, mapping: dict) -> list[str]:
        return [f for f in self.required if f not in mapping]

    def after_commit(self) -> None:
        """Called once the whole file is in (a village file tells the officers)."""

    def cell(self, cells: list, name: str):
        index = self.mapping.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def row(self, cells: list) -> dict:
        """Every field of the row by name ("" where the file has no such column)."""
        width = len(cells)
        row = dict.fromkeys(self.fields, "")
        for name, index in self.mapping.items():
            if index < width:
                row[name] = cells[index]
        return row

    def column(self, name: str) -> str:
        header = self.batch.summary.get("header", [])
        index = self.mapping.get(name)
        if index is not None and index < len(header):
            return header[index]
        return name


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

    def process(self, chunk: list[tuple[int, list]], write: bool) -> Outcome:
        """Add, update or refuse the rows of one chunk (only counting when not writing)."""
        outcome = Outcome()
        records = self._clean_chunk(chunk, outcome)
        existing = self._existing(records)
        new, changed = [], []
        for number, cells, record in records:
            current = existing.get(record["nik"])
            if current is None:
                new.append(record)
                outcome.counts["added"] += 1
                continue
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

    def _clean_chunk(self, chunk, outcome: Outcome) -> list:
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

    def _existing(self, records) -> dict[str, Recipient]:
        niks = [record["nik"] for _, _, record in records]
        if not niks:
            return {}
        query = select(Recipient).where(Recipient.nik.in_(niks))
        return {r.nik: r for r in db.session.scalars(query)}

    def _conflict(self, number: int, current: Recipient) -> Issue | None:
        if current.kecamatan_id != self.batch.kecamatan_id:
            kecamatan = db.session.get(Kecamatan, current.kecamatan_id)
            return Issue(
                number,
                self.column("nik"),
                N_(
                    "This NIK is registered in Kecamatan %(kecamatan)s; it is reported to "
                    "Dinsos instead of being moved."
                ),
                {"kecamatan": kecamatan.name},
                kind="conflict",
            )
        if current.import_batch_id == self.batch.id:
            return Issue(number, self.column("nik"), N_("This NIK appears earlier in this file."))
        return None

    def _changes(self, current: Recipient, record: dict) -> dict:
        """Fields the file fills with a different value (blank cells change nothing)."""
        return {
            name: record[name]
            for name in RECIPIENT_COLUMNS
            if record.get(name) not in (None, "") and getattr(current, name) != record[name]
        }

    def _insert(self, new: list[dict]) -> None:
        if not new:
            return
        base = {
            "kecamatan_id": self.batch.kecamatan_id,
            "source": self.batch.source,
            "validation_status": "pending",
            "active": True,
            "import_batch_id": self.batch.id,
            "created_by_id": self.batch.uploaded_by_id,
        }
        rows = [{**base, **_columns_only(record)} for record in new]
        db.session.execute(Recipient.__table__.insert(), rows)
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
                    "previous": {name: _jsonable(getattr(current, name)) for name in changes}
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


def _columns_only(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("target_groups", "sectors")}


class AidRows(RowsBase):
    """Rows of another programme's aid list (PKH, BPNT, BLT-DD, Dinsos UEP, other CSR)."""

    fields = ("nik", "kk", "name", "category", "received_on", "value")
    required = ("received_on",)

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

    def process(self, chunk: list[tuple[int, list]], write: bool) -> Outcome:
        outcome = Outcome()
        records = []
        for number, cells in chunk:
            record, issues = self.clean(number, cells)
            if record is None:
                outcome.refuse(issues, cells)
                continue
            records.append(record)
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

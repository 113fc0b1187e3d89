"""What the match page shows of its handovers, for one reader: each handover (newest
first) with its reversal if any, the counts, the lines (for those who see details) and
the files this reader may open; and the ``may_*`` flags of the handover actions."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.handovers import access, files, services
from portal.models import Attachment, HandoverLine, HandoverRecord, Match, User


@dataclass
class HandoverView:
    record: HandoverRecord
    reversal: HandoverRecord | None
    received: int
    absent: int
    lines: list[HandoverLine] = field(default_factory=list)
    photos: list[Attachment] = field(default_factory=list)
    scans: list[Attachment] = field(default_factory=list)


def match_section(user: User, match: Match) -> dict:
    """The context the match page's handover section reads."""
    records = services.history(match)
    handovers = [r for r in records if r.kind == "handover"]
    reversals = {r.reverses_id: r for r in records if r.kind == "reversal"}
    current = next((r for r in reversed(handovers) if r.id not in reversals), None)
    stored = files.files_by_record([r.id for r in handovers])
    details = access.sees_details(user, match)
    views = []
    for record in reversed(handovers):
        shown = [a for a in stored[record.id] if access.may_see_file(user, match, a)]
        received = sum(1 for line in record.lines if line.received)
        views.append(
            HandoverView(
                record=record,
                reversal=reversals.get(record.id),
                received=received,
                absent=len(record.lines) - received,
                lines=list(record.lines) if details else [],
                photos=[a for a in shown if a.kind == "photo"],
                scans=[a for a in shown if a.kind == "scan"],
            )
        )
    return {"handovers": views, **access.page_flags(user, match, current)}

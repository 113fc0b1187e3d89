"""All models, importable from one place (Alembic and the app read this), grouped by area:
registry (recipients, corrections), aid, imports, contributions, vocabulary, users, partners,
matching, letters, regions, sessions, system, handover (secrets), handovers (of aid) and
monitoring."""

from portal.models.aid import AidCategory, AidCategoryPair, AidRecord
from portal.models.contributions import (
    CONTRIBUTION_KINDS,
    CONTRIBUTION_STATES,
    Contribution,
    ContributionItem,
)
from portal.models.handover import HandOver
from portal.models.handovers import HandoverLine, HandoverRecord
from portal.models.imports import ImportBatch, ImportChange, ImportRowError, ImportRows
from portal.models.letters import Letter, LetterAmendment, LetterCopy, SignerCertificate
from portal.models.matching import (
    MATCH_STATES,
    LetterCounter,
    Match,
    MatchAllocation,
    MatchMember,
)
from portal.models.monitoring import MonitoringVisit
from portal.models.partners import CompanyInvitation
from portal.models.regions import Desa, Kecamatan, KecamatanOffice
from portal.models.registry import Recipient, RecipientCorrection
from portal.models.sessions import LoginSession, ThrottleCounter
from portal.models.system import Attachment, AuditEvent, Job, Notification, Setting
from portal.models.users import COMPANY_SECTORS, COMPANY_STATES, ROLES, Company, User
from portal.models.vocabulary import SECTORS, TARGET_GROUPS

__all__ = [
    "AidCategory",
    "AidCategoryPair",
    "AidRecord",
    "Attachment",
    "AuditEvent",
    "COMPANY_SECTORS",
    "COMPANY_STATES",
    "CONTRIBUTION_KINDS",
    "CONTRIBUTION_STATES",
    "Company",
    "CompanyInvitation",
    "Contribution",
    "ContributionItem",
    "Desa",
    "HandOver",
    "HandoverLine",
    "HandoverRecord",
    "ImportBatch",
    "ImportChange",
    "ImportRowError",
    "ImportRows",
    "Job",
    "Kecamatan",
    "Letter",
    "LetterAmendment",
    "LetterCopy",
    "LetterCounter",
    "MATCH_STATES",
    "Match",
    "MatchAllocation",
    "MatchMember",
    "MonitoringVisit",
    "KecamatanOffice",
    "LoginSession",
    "Notification",
    "ROLES",
    "Recipient",
    "RecipientCorrection",
    "SECTORS",
    "Setting",
    "SignerCertificate",
    "TARGET_GROUPS",
    "ThrottleCounter",
    "User",
]

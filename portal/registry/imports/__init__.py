"""Bulk imports into the registry: reading files (parsing, columns), the row handlers
(rows, recipients, aid, village), the batch lifecycle (importing), its task, CLI and pages."""

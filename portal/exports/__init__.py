"""Exports: every list as XLSX or CSV with the filters on screen (DESIGN section 7, issue
"Monitoring, dashboards, impact reports and exports").

The export button posts the list's own filter form (so a typed NIK never lands in a URL);
``lists`` names each exportable list with its filter form, query, columns and whether it
carries personal data; ``services`` writes the file through the one neutralising writer
(``core.tabular``), small lists in the request and large ones as a background job with
progress; exports of personal data are audited (who, what, how many rows, when).
"""

"""Handover letters (BAST): the letter's plain data (``data.py``), its PDF (``render.py``),
issuing the signed letter at approval (``services.py``) and the public verification page
(``views.py``). Signing itself is ``portal.signing``."""

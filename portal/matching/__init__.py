"""Matching: a contribution's allocation to validated recipients (rencana penyaluran),
built by the kecamatan officer and approved by the camat (DESIGN sections 3 and 4).

``access`` says who may see and do what; the blueprint is in ``blueprint`` and its view
modules are imported by ``routes``.
"""

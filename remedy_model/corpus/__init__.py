"""The public corpus: a case table built from a cache of decision pages (``remedy corpus``).

:mod:`.build` ingests a cache folder (from ``remedy fetch``), drops duplicates by reference,
merges with the hand-coded table (hand-coded wins) and writes one table; :mod:`.command` is the
``remedy corpus build`` command.
"""

"""Record files: the record format, the checklist text, atomic saves and locks, opening a
record with its route, verification, and the summary that `status` and `report` show.

May import the foundation modules, `journey.routes` and `journey.walk`; never a
terminal library. `journey.records.format` itself imports only the foundation.
"""

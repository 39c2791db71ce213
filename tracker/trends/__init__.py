"""The numbers behind /trends/: series, summary and calendar for one person and one period.

A page reads the person's days once (one indexed range scan on (user, day), `reads.LoggedDays`)
and shapes the series, summary, streak and comparisons from those columns with numpy
(`series`); symptoms and barriers are counted by SQL GROUP BYs, in one query. The number of
queries is the same whatever the length of the range, and no row is read twice. Results are
cached per person and keyed by their data version (`cache`), which every write bumps
(tracker/signals.py), so a save is visible on the next page load.

Importers name the module they use: `periods` (which days), `reads` (the SQL), `series` (the
numbers), `calendar` (the flare calendar), `page` (one page). What is charted comes from the
registry of measures, tracker/measures.py.
"""

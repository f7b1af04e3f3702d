"""The database guarantee that no two active blocks of a beamline overlap (PostgreSQL only).

SQLite has no exclusion constraints: there, every transaction is ``BEGIN IMMEDIATE`` (one writer
at a time) and ``block_occupy`` checks for an overlap inside it. The constraint is kept out of
``Meta.constraints`` because Django would try to create it on SQLite too.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE beamtime_block ADD CONSTRAINT beamtime_block_no_overlap
    EXCLUDE USING gist (beamline_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (released_at IS NULL);
ALTER TABLE beamtime_bookingwindow ADD CONSTRAINT beamtime_window_no_overlap
    EXCLUDE USING gist (beamline_id WITH =, programme WITH =, tstzrange(start, "end", '[)') WITH &&);
"""

DROP = """
ALTER TABLE beamtime_block DROP CONSTRAINT IF EXISTS beamtime_block_no_overlap;
ALTER TABLE beamtime_bookingwindow DROP CONSTRAINT IF EXISTS beamtime_window_no_overlap;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("beamtime", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

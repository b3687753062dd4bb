"""Start a migration and watch it to the end.

    export MIGRATECLOUDS_API_KEY=mc_… MIGRATECLOUDS_API_URL=http://localhost:3000
    python3 start_and_watch_migration.py conn_DRIVE /Recipes conn_DROPBOX "/From Drive"

Exits 0 when the migration completed, 1 otherwise.
"""

import sys

from migrateclouds import MigrateClouds, Migration, MigrateCloudsError


def show(m: Migration) -> None:
    p = m.progress
    total = f"{p.files_discovered}" if p.listing_complete else f"{p.files_discovered}+"
    print(f"{m.status:<10} {p.files_done}/{total} files  {p.bytes_copied:,} bytes copied  {p.files_failed} failed",
          flush=True)


def main(argv: list) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    source_connection, source_path, destination_connection, destination_path = argv
    client = MigrateClouds()  # MIGRATECLOUDS_API_KEY and MIGRATECLOUDS_API_URL
    try:
        migration = client.migrations.create(
            source={"connection_id": source_connection, "path": source_path},
            destination={"connection_id": destination_connection, "path": destination_path},
            options={"conflict": "skip"},
        )
        print(f"started {migration.id}", flush=True)
        final = client.wait_for_migration(migration.id, on_progress=show, poll_interval=1.0)
    except MigrateCloudsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    p = final.progress
    print(f"{final.status}: {p.files_copied} copied, {p.files_skipped} skipped, {p.files_failed} failed")
    for item in client.migrations.iter_items(final.id, status="failed"):
        print(f"  failed {item.path}: {item.reason}")
    return 0 if final.status == "completed" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

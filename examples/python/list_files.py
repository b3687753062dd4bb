"""List a folder of a connection, page after page.

    export MIGRATECLOUDS_API_KEY=mc_… MIGRATECLOUDS_API_URL=http://localhost:3000
    python3 list_files.py conn_DRIVE /Documents [--recursive]
"""

import sys

from migrateclouds import MigrateClouds, MigrateCloudsError


def main(argv: list) -> int:
    args = [a for a in argv if a != "--recursive"]
    if not 1 <= len(args) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    connection_id, path = args[0], args[1] if len(args) > 1 else "/"
    client = MigrateClouds()
    files = folders = size = 0
    try:
        for entry in client.files.iter(path, connection_id=connection_id, recursive="--recursive" in argv):
            if entry.is_folder:
                folders += 1
                print(f"{'folder':>12}  {entry.path}/")
            else:
                files += 1
                size += entry.size or 0
                print(f"{entry.size or 0:>12,}  {entry.path}")
    except MigrateCloudsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{files} files ({size:,} bytes), {folders} folders")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

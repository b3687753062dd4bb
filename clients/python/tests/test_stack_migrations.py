"""Against a running demo stack: a real migration from the demo Drive to the demo Dropbox, watched to the end."""

import io
import unittest
import uuid

from _support import demo_connection, stack_client

from migrateclouds import ConflictError, InvalidParameterError, MigrationReport, ReportTotals, StatusCount

SOURCE_FOLDER = "/Recipes"  # 16 small text files in the demo Drive


def outcome(item):
    return (item.path, item.source_id, item.destination_path, item.status, item.size, item.reason)


class MigrationRunTest(unittest.TestCase):
    """One migration, started in setUpClass and waited for with a progress callback."""

    @classmethod
    def setUpClass(cls):
        cls.client = stack_client()
        cls.drive = demo_connection(cls.client, "google_drive")
        cls.dropbox = demo_connection(cls.client, "dropbox")
        cls.key = f"py-sdk-{uuid.uuid4()}"
        cls.source = {"connection_id": cls.drive, "path": SOURCE_FOLDER}
        cls.destination = {"connection_id": cls.dropbox, "path": f"/py-sdk/{uuid.uuid4().hex[:8]}"}
        cls.started = cls.client.migrations.create(cls.source, cls.destination, idempotency_key=cls.key)
        cls.seen = []
        cls.final = cls.client.wait_for_migration(
            cls.started.id, on_progress=cls.seen.append, poll_interval=0.25, timeout=120
        )

    def test_wait_for_migration_reaches_completion_with_progress_callbacks(self):
        self.assertIn(self.started.status, ("pending", "queued", "running"))
        self.assertEqual(self.final.status, "completed")
        self.assertGreaterEqual(len(self.seen), 1)
        self.assertIs(self.seen[-1], self.final)
        self.assertTrue(all(m.id == self.started.id for m in self.seen))
        done = [m.progress.files_done for m in self.seen]
        self.assertEqual(done, sorted(done))  # progress never goes back
        progress = self.final.progress
        self.assertEqual(progress.files_copied, 16)
        self.assertEqual(progress.files_discovered, 16)
        self.assertTrue(progress.listing_complete)
        self.assertEqual(progress.bytes_copied, progress.bytes_discovered)
        self.assertIsNotNone(self.final.finished_at)

    def test_the_copies_are_at_the_destination(self):
        copied = list(self.client.files.iter(self.destination["path"], connection_id=self.dropbox))
        sources = list(self.client.files.iter(SOURCE_FOLDER, connection_id=self.drive))
        self.assertEqual(sorted((f.name, f.size) for f in copied), sorted((f.name, f.size) for f in sources))

    def test_idempotent_create_is_not_duplicated(self):
        again = self.client.migrations.create(self.source, self.destination, idempotency_key=self.key)
        self.assertEqual(again.id, self.started.id)
        self.assertEqual(again.status, "completed")
        ids = [m.id for m in self.client.migrations.iter(page_size=100)]
        self.assertEqual(ids.count(self.started.id), 1)
        other = {"connection_id": self.dropbox, "path": "/py-sdk/elsewhere"}
        with self.assertRaises(ConflictError) as caught:
            self.client.migrations.create(self.source, other, idempotency_key=self.key)
        self.assertIn(self.started.id, caught.exception.details)

    def test_finished_migration_refuses_control_with_conflict(self):
        for action in (self.client.migrations.pause, self.client.migrations.cancel):
            with self.assertRaises(ConflictError) as caught:
                action(self.started.id)
            self.assertEqual(caught.exception.status, 409)

    def test_items_page_by_page(self):
        first = self.client.migrations.items(self.started.id, page_size=5)
        self.assertEqual(len(first), 5)
        self.assertIsNotNone(first.next_page_token)
        items = list(self.client.migrations.iter_items(self.started.id, page_size=5))
        self.assertEqual(len(items), 16)
        self.assertEqual({i.status for i in items}, {"copied"})
        self.assertEqual(len({i.source_id for i in items}), 16)
        self.assertEqual(list(self.client.migrations.iter_items(self.started.id, status="failed")), [])

    def test_streamed_items_equal_the_paged_items(self):
        paged = [outcome(i) for i in self.client.migrations.iter_items(self.started.id, page_size=5)]
        for fmt in ("ndjson", "csv"):
            streamed = [outcome(i) for i in self.client.migrations.stream_items(self.started.id, format=fmt)]
            self.assertEqual(streamed, paged, fmt)
        only_failed = list(self.client.migrations.stream_items(self.started.id, status="failed"))
        self.assertEqual(only_failed, [])

    def test_download_items_writes_the_servers_csv(self):
        out = io.BytesIO()
        written = self.client.migrations.download_items(self.started.id, out, format="csv")
        text = out.getvalue().decode("utf-8")
        self.assertEqual(written, len(out.getvalue()))
        self.assertTrue(text.endswith("\r\n"))
        lines = text.split("\r\n")[:-1]
        self.assertEqual(lines[0], "path,source_id,destination_path,note,size,status,reason,updated_at")
        self.assertEqual(len(lines), 1 + 16)
        paths = [i.path for i in self.client.migrations.iter_items(self.started.id)]
        self.assertEqual([line.split(",")[0] for line in lines[1:]], paths)

    def test_a_bad_stream_status_names_the_parameter(self):
        with self.assertRaises(InvalidParameterError) as caught:
            list(self.client.migrations.stream_items(self.started.id, status="lost"))
        self.assertEqual(caught.exception.parameter, "status")
        with self.assertRaises(ValueError):
            list(self.client.migrations.stream_items(self.started.id, format="xml"))

    def test_report(self):
        report = self.client.migrations.report(self.started.id)
        progress = self.final.progress
        self.assertIsInstance(report, MigrationReport)
        self.assertEqual(report.migration_id, self.started.id)
        self.assertEqual(report.status, "completed")
        self.assertIsNotNone(report.finished_at)
        self.assertEqual(
            report.totals,
            ReportTotals(files=16, bytes=progress.bytes_copied, copied=16, skipped=0, failed=0, deleted=0),
        )
        self.assertEqual(
            report.by_status,
            (
                StatusCount("copied", 16, progress.bytes_copied),
                StatusCount("skipped", 0, 0),
                StatusCount("failed", 0, 0),
                StatusCount("deleted", 0, 0),
            ),
        )
        self.assertEqual(report.count("copied"), 16)
        self.assertEqual(report.count("failed"), 0)
        self.assertEqual(report.by_reason, ())
        self.assertEqual(report.largest_failures, ())


class MigrationControlTest(unittest.TestCase):
    def test_pause_resume_cancel(self):
        client = stack_client()
        drive, dropbox = demo_connection(client, "google_drive"), demo_connection(client, "dropbox")
        started = client.migrations.create(
            {"connection_id": drive, "path": "/"},
            {"connection_id": dropbox, "path": f"/py-sdk/control-{uuid.uuid4().hex[:8]}"},
        )
        self.assertEqual(client.migrations.pause(started.id).status, "paused")
        self.assertEqual(client.migrations.get(started.id).status, "paused")
        self.assertEqual(client.migrations.resume(started.id).status, "running")
        client.migrations.cancel(started.id)
        final = client.wait_for_migration(started.id, poll_interval=0.25, timeout=60)
        self.assertEqual(final.status, "cancelled")

    def test_list_crosses_pages_newest_first(self):
        client = stack_client()
        drive, dropbox = demo_connection(client, "google_drive"), demo_connection(client, "dropbox")
        for _ in range(2):  # dry runs: nothing is written
            client.migrations.create(
                {"connection_id": drive, "path": SOURCE_FOLDER},
                {"connection_id": dropbox, "path": "/py-sdk/dry-run"},
                options={"dry_run": True},
            )
        firsts = client.migrations.list(page_size=1)
        self.assertEqual(len(firsts), 1)
        every = list(client.migrations.iter(page_size=1))
        self.assertGreaterEqual(len(every), 2)
        self.assertEqual(every[0].id, firsts.items[0].id)
        created = [m.created_at for m in every]
        self.assertEqual(created, sorted(created, reverse=True))


if __name__ == "__main__":
    unittest.main()

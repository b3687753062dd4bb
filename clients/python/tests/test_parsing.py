import io
import unittest
from datetime import datetime, timezone

from _support import ScriptedServer, envelope, error_body

from migrateclouds import (
    AuthenticationError,
    ConflictError,
    FileEntry,
    InternalError,
    InvalidParameterError,
    Migration,
    MigrateClouds,
    MigrationReport,
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
)
from migrateclouds._streaming import parse_csv, parse_ndjson


class StreamParsingTest(unittest.TestCase):
    def test_csv_rows_with_quotes_commas_line_breaks_and_empty_cells(self):
        text = (
            "path,source_id,destination_path,note,size,status,reason,updated_at\r\n"
            '/a.txt,id1,/b/a.txt,,12,copied,,2025-01-31T12:00:00.000Z\r\n'
            '"/x, ""y"".txt",id2,,,,failed,"Drive said:\nno",2025-01-31T12:00:01.000Z\r\n'
        )
        rows = list(parse_csv(io.BytesIO(text.encode())))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["size"], 12)
        self.assertIsNone(rows[0]["note"])
        self.assertEqual(rows[1]["path"], '/x, "y".txt')
        self.assertEqual(rows[1]["reason"], "Drive said:\nno")
        self.assertIsNone(rows[1]["size"])

    def test_ndjson_lines_skip_blanks(self):
        lines = [b'{"path":"/a","size":1}\n', b"\n", b'{"path":"/b","size":null}\n']
        self.assertEqual([r["path"] for r in parse_ndjson(lines)], ["/a", "/b"])


class ModelTest(unittest.TestCase):
    def test_unknown_fields_are_kept_in_raw_and_times_are_aware(self):
        entry = FileEntry.from_dict({"id": "f1", "name": "a", "path": "/a", "type": "file", "mime_type": None,
                                     "size": 3, "created_at": None, "modified_at": "2025-01-31T12:00:00.000Z",
                                     "checksum": {"algorithm": "md5", "value": "00"}, "owner": "x"})
        self.assertEqual(entry.modified_at, datetime(2025, 1, 31, 12, tzinfo=timezone.utc))
        self.assertEqual(entry.checksum.algorithm, "md5")
        self.assertEqual(entry.raw["owner"], "x")
        self.assertFalse(entry.is_folder)
        with self.assertRaises(AttributeError):
            entry.name = "b"  # frozen

    def test_migration_progress_and_finished(self):
        m = Migration.from_dict({"id": "mig_1", "status": "completed_with_errors",
                                 "progress": {"files_copied": 2, "files_skipped": 1, "files_failed": 1}})
        self.assertTrue(m.is_finished)
        self.assertEqual(m.progress.files_done, 4)

    def test_report_groups_and_failures_are_typed(self):
        data = {
            "migration_id": "mig_1", "status": "completed_with_errors",
            "started_at": "2025-01-31T12:00:00.000Z", "finished_at": None,
            "totals": {"files": 3, "bytes": 30, "copied": 1, "skipped": 1, "failed": 1, "deleted": 0},
            "by_status": [{"status": s, "count": c, "bytes": b}
                          for s, c, b in (("copied", 1, 10), ("skipped", 1, 10), ("failed", 1, 10), ("deleted", 0, 0))],
            "by_reason": [{"status": "failed", "reason": "Gone: <path>", "count": 1, "bytes": 10,
                           "example": "Gone: /a"}],
            "largest_failures": [{"path": "/a", "destination_path": "/b/a", "size": 10, "reason": "Gone: /a"}],
        }
        report = MigrationReport.from_dict(data)
        self.assertEqual(report.totals.failed, 1)
        self.assertEqual([s.status for s in report.by_status], ["copied", "skipped", "failed", "deleted"])
        self.assertEqual(report.count("skipped"), 1)
        self.assertEqual(report.by_reason[0].example, "Gone: /a")
        self.assertEqual(report.largest_failures[0].destination_path, "/b/a")
        self.assertIsNone(report.finished_at)
        self.assertEqual(report.started_at.year, 2025)


class ErrorMappingTest(unittest.TestCase):
    CASES = [
        (401, "authentication_error", AuthenticationError),
        (403, "permission_denied", PermissionDeniedError),
        (400, "invalid_parameter", InvalidParameterError),
        (404, "resource_not_found", NotFoundError),
        (409, "conflict", ConflictError),
        (500, "internal_error", InternalError),
    ]

    def test_each_code_raises_its_exception_with_the_envelope(self):
        for status, code, cls in self.CASES:
            message = "Invalid parameter 'options.include[2]': bad" if code == "invalid_parameter" else "no"
            server = ScriptedServer([(status, {"X-Request-Id": "req-1"}, error_body(code, message, "do this"))])
            try:
                with self.assertRaises(cls) as caught:
                    server.client(max_retries=0).account.get()
            finally:
                server.close()
            e = caught.exception
            self.assertEqual((e.code, e.status, e.details, e.request_id), (code, status, "do this", "req-1"))
            if cls is InvalidParameterError:
                self.assertEqual(e.parameter, "options.include[2]")

    def test_an_answer_without_envelope_is_typed_by_status(self):
        server = ScriptedServer([(502, {}, b"Bad Gateway")])
        self.addCleanup(server.close)
        with self.assertRaises(ServiceError):
            server.client(max_retries=0).account.get()


class PagingAndConfigTest(unittest.TestCase):
    def test_iter_follows_tokens_to_the_end_even_past_a_short_page(self):
        conn = lambda i: {"id": f"conn_{i}", "service": "local", "name": str(i)}  # noqa: E731
        server = ScriptedServer([
            (200, {}, envelope({"connections": [conn(1), conn(2)], "next_page_token": "t1"})),
            (200, {}, envelope({"connections": [conn(3)], "next_page_token": "t2"})),
            (200, {}, envelope({"connections": [conn(4)], "next_page_token": None})),
        ])
        self.addCleanup(server.close)
        ids = [c.id for c in server.client().connections.iter(page_size=2)]
        self.assertEqual(ids, ["conn_1", "conn_2", "conn_3", "conn_4"])
        self.assertIn("page_token=t2", server.requests[2]["path"])
        self.assertEqual(server.requests[0]["headers"]["authorization"], "Bearer mc_test")

    def test_env_fallbacks_and_a_missing_key(self):
        import os
        from unittest import mock

        with mock.patch.dict(os.environ, {"MIGRATECLOUDS_API_KEY": "mc_env", "MIGRATECLOUDS_API_URL": "http://h:1/"}):
            self.assertEqual(MigrateClouds().base_url, "http://h:1")
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesRegex(ValueError, "MIGRATECLOUDS_API_KEY"):
                MigrateClouds()


if __name__ == "__main__":
    unittest.main()

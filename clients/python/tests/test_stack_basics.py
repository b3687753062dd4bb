"""Against a running stack: the account, keys, connections, files, and the typed errors."""

import unittest
import uuid

from _support import demo_connection, stack_client

from migrateclouds import (
    AuthenticationError,
    InvalidParameterError,
    MigrateClouds,
    NotFoundError,
    PermissionDeniedError,
)


class StackBasicsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = stack_client()
        cls.drive = demo_connection(cls.client, "google_drive")

    def test_account(self):
        account = self.client.account.get()
        self.assertTrue(account.id.startswith("acc_"))
        self.assertIn(account.plan, ("pro", "enterprise"))
        self.assertGreater(account.rate_limit.requests_per_minute, 0)

    def test_api_keys_create_list_revoke_and_the_errors_they_get(self):
        name = f"py-sdk {uuid.uuid4().hex[:8]}"
        created = self.client.api_keys.create(name, scope="read")
        self.assertTrue(created.key.startswith("mc_"))
        listed = [k for k in self.client.api_keys.list() if k.id == created.id]
        self.assertEqual([(k.name, k.scope, k.key) for k in listed], [(name, "read", None)])
        self.assertTrue(created.key.startswith(listed[0].prefix))

        reader = MigrateClouds(api_key=created.key, base_url=self.client.base_url)
        self.assertEqual(reader.account.get().id, self.client.account.get().id)
        with self.assertRaises(PermissionDeniedError) as denied:
            reader.api_keys.create("not allowed")
        self.assertEqual((denied.exception.status, denied.exception.code), (403, "permission_denied"))

        revoked = self.client.api_keys.revoke(created.id)
        self.assertIsNotNone(revoked.revoked_at)
        with self.assertRaises(AuthenticationError) as refused:
            reader.account.get()
        self.assertEqual(refused.exception.status, 401)
        self.assertTrue(refused.exception.request_id)

    def test_an_unknown_key_is_an_authentication_error(self):
        stranger = MigrateClouds(api_key="mc_" + "x" * 40, base_url=self.client.base_url)
        with self.assertRaises(AuthenticationError) as caught:
            stranger.connections.list()
        self.assertEqual(caught.exception.code, "authentication_error")

    def test_unknown_ids_are_not_found(self):
        for call in (
            lambda: self.client.connections.get("conn_doesnotexist"),
            lambda: self.client.migrations.get("mig_doesnotexist"),
            lambda: self.client.syncs.get("syn_doesnotexist"),
            lambda: self.client.webhooks.get("wh_doesnotexist"),
        ):
            with self.assertRaises(NotFoundError) as caught:
                call()
            self.assertEqual((caught.exception.status, caught.exception.code), (404, "resource_not_found"))

    def test_a_bad_parameter_is_named(self):
        with self.assertRaises(InvalidParameterError) as caught:
            self.client.files.list("Documents", connection_id=self.drive)
        self.assertEqual(caught.exception.parameter, "path")
        self.assertEqual(caught.exception.status, 400)
        self.assertTrue(caught.exception.details)
        with self.assertRaises(InvalidParameterError) as caught:
            self.client.migrations.list(page_size=5000)
        self.assertEqual(caught.exception.parameter, "page_size")

    def test_connections_list_iter_and_get(self):
        every = list(self.client.connections.iter(page_size=1))
        self.assertGreaterEqual(len(every), 3)
        self.assertEqual(len({c.id for c in every}), len(every))
        first = self.client.connections.list(page_size=1)
        self.assertEqual(len(first), 1)
        self.assertIsNotNone(first.next_page_token)
        self.assertEqual({c.service for c in every} >= {"google_drive", "onedrive", "dropbox"}, True)
        drive = self.client.connections.get(self.drive)
        self.assertEqual((drive.service, drive.status), ("google_drive", "active"))

    def test_files_list_pages_match_one_big_page(self):
        paged = list(self.client.files.iter("/Documents", connection_id=self.drive, recursive=True, page_size=7))
        whole = self.client.files.list("/Documents", connection_id=self.drive, recursive=True, page_size=1000)
        self.assertIsNone(whole.next_page_token)
        self.assertGreater(len(paged), 7)  # crossed pages
        self.assertEqual(sorted(f.id for f in paged), sorted(f.id for f in whole))
        self.assertTrue(all(f.path.startswith("/Documents/") for f in paged))

    def test_file_metadata(self):
        folder = self.client.files.metadata("/Documents", connection_id=self.drive)
        self.assertTrue(folder.is_folder)
        files = [f for f in self.client.files.iter("/Documents", connection_id=self.drive) if not f.is_folder]
        one = self.client.files.metadata(files[0].path, connection_id=self.drive)
        self.assertEqual((one.id, one.size), (files[0].id, files[0].size))


if __name__ == "__main__":
    unittest.main()

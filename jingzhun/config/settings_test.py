"""Test settings: the production-shaped settings, changed only where it makes tests faster."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "true")

from jingzhun.config import settings as _base

globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **_base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if _base.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than memory, so that a real worker process can share the test database.
    DATABASES = {
        "default": {
            **_base.DATABASES["default"],
            "TEST": {
                "NAME": os.path.join(tempfile.gettempdir(), f"jingzhun-test-{os.getpid()}.sqlite3")
            },
        }
    }
# Per process, so that parallel test runs never share a lake or write into the real one.
EVENT_LAKE_DIR = Path(tempfile.gettempdir()) / f"jingzhun-test-lake-{os.getpid()}"
# Sessions in the database on both engines, so that the query-count tests count the same
# everywhere; the file store (the SQLite default) has its own tests, in its own folder.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_FILE_PATH = str(Path(tempfile.gettempdir()) / f"jingzhun-test-sessions-{os.getpid()}")
Path(SESSION_FILE_PATH).mkdir(exist_ok=True)
# No heartbeat thread inside the test process (it would wait on the test's own transaction);
# the tests that run a real worker process get the production setting.
JOB_HEARTBEAT_SECONDS = 0

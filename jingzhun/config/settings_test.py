"""Test settings: the production-shaped settings, changed only where it makes tests faster."""

import os

os.environ.setdefault("DEBUG", "true")

from jingzhun.config import settings as _base

globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **_base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

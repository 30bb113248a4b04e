"""The embedded default cache: Django's file cache, shared by every web process of the host, minus zlib.

It holds the portal's rendered pages, read on every anonymous request: decompressing a page cost more
than reading its file (about a tenth of a cached request, measured with bench/portal_load.py), and the
files are small and short-lived enough that compression does not matter. Django's backend also lists
the whole folder on every write to see whether it is full (10-20 ms at 20,000 pages, more than a search
costs); this one looks every CULL_CHECK_EVERY writes, so MAX_ENTRIES is a soft limit.
"""

from __future__ import annotations

import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

CULL_CHECK_EVERY = 50


class FileCache(FileBasedCache):
    _writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % CULL_CHECK_EVERY == 1:
            super()._cull()

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                if not self._is_expired(f):
                    return pickle.loads(f.read())
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            with open(self._key_to_file(key, version), "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    if self._is_expired(f):
                        return False
                    previous = pickle.loads(f.read())
                    f.seek(0)
                    f.truncate()
                    self._write_content(f, timeout, previous)
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return False

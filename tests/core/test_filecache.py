"""The embedded default cache (files shared by the web processes, no compression)."""

import time_machine
from django.utils import timezone

from gongkai.core.filecache import FileCache


def make(tmp_path) -> FileCache:
    return FileCache(str(tmp_path), {"TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": 10}})


def test_values_round_trip_between_instances_sharing_the_folder(tmp_path):
    writer, reader = make(tmp_path), make(tmp_path)  # two web processes
    page = ("<html>政策文件</html>".encode(), "text/html; charset=utf-8")
    writer.set("portal:page:k", page, 30)
    assert reader.get("portal:page:k") == page
    assert reader.get("missing", "default") == "default"
    reader.delete("portal:page:k")
    assert writer.get("portal:page:k") is None


def test_values_expire_and_touch_extends_them(tmp_path):
    cache = make(tmp_path)
    cache.set("k", b"v", 10)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        assert cache.touch("k", 30)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=20)):
        assert cache.get("k") == b"v"
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=60)):
        assert cache.get("k") is None and not cache.touch("k")


def test_the_folder_is_culled_now_and_then_not_on_every_write(tmp_path, monkeypatch):
    from gongkai.core import filecache

    monkeypatch.setattr(filecache, "CULL_CHECK_EVERY", 5)
    cache = make(tmp_path)  # MAX_ENTRIES 10
    for n in range(30):
        cache.set(f"k{n}", n)
    assert len(list(tmp_path.glob("*.djcache"))) <= 10 + 5

"""Atomic writes: a failed or interrupted write leaves the previous file and no temporary file."""

import os
import stat

import pytest

from rangemap.io.atomic import atomic_write, write_bytes_atomic, write_text_atomic


def _half_then(exc):
    def write(tmp):
        tmp.write_bytes(b"half a fi")
        raise exc
    return write


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    assert write_text_atomic(target, "first") == target
    write_bytes_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]


@pytest.mark.parametrize("exc", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, exc):
    target = tmp_path / "map.png"
    target.write_bytes(b"old map")
    with pytest.raises(type(exc)):
        atomic_write(target, _half_then(exc))
    assert target.read_bytes() == b"old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_failed_first_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        atomic_write(tmp_path / "new.svg", _half_then(RuntimeError("boom")))
    assert list(tmp_path.iterdir()) == []


def test_temporary_file_has_the_target_suffix_and_folder(tmp_path):
    seen = []
    atomic_write(tmp_path / "out.pdf", lambda tmp: (seen.append(tmp), tmp.write_bytes(b"%PDF-")))
    assert seen[0].parent == tmp_path and seen[0].suffix == ".pdf" and seen[0] != tmp_path / "out.pdf"


def test_mode_follows_umask_for_new_files_and_is_kept_for_old_ones(tmp_path):
    old_umask = os.umask(0o027)
    try:
        new = write_text_atomic(tmp_path / "new.txt", "x")
        assert stat.S_IMODE(new.stat().st_mode) == 0o640
    finally:
        os.umask(old_umask)
    kept = tmp_path / "kept.txt"
    kept.write_text("x")
    kept.chmod(0o604)
    write_text_atomic(kept, "y")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604


@pytest.mark.slow
def test_static_map_failure_keeps_the_previous_map(default_result, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    from rangemap.outputs.static import static_map

    target = tmp_path / "map.png"
    target.write_bytes(b"previous map")

    def broken_savefig(self, fname, **kwargs):
        with open(fname, "wb") as f:
            f.write(b"\x89PNG partial")
        raise OSError("no space left on device")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    with pytest.raises(OSError, match="no space"):
        static_map(default_result, target)
    assert target.read_bytes() == b"previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]

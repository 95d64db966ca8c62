"""``stretchdesk --handover FILE``: on to the resident or the full app, as the file says."""

from __future__ import annotations

import os
import socket

import stretchdesk.ui.app
import stretchdesk.ui.resident
from stretchdesk.__main__ import main
from stretchdesk.platform import handover


def _capture(monkeypatch) -> list:
    seen: list = []
    monkeypatch.setattr(stretchdesk.ui.app, "run_app", lambda paths, **kw: seen.append(kw) or 0)
    monkeypatch.setattr(
        stretchdesk.ui.resident, "run_resident", lambda paths, data: seen.append(data) or 0
    )
    return seen


def _dirs(tmp_path) -> list[str]:
    return ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]


def test_a_resident_handover_runs_the_resident(tmp_path, monkeypatch) -> None:
    seen = _capture(monkeypatch)
    path = tmp_path / "h.handover.json"
    handover.write_handover(path, {"mode": "resident", "listen_fd": None})
    assert main([*_dirs(tmp_path), "--handover", str(path)]) == 0
    assert seen == [{"version": 1, "mode": "resident", "listen_fd": None}]


def test_a_full_handover_runs_the_app_with_it(tmp_path, monkeypatch) -> None:
    seen = _capture(monkeypatch)
    path = tmp_path / "h.handover.json"
    handover.write_handover(path, {"mode": "full", "action": "open"})
    assert main([*_dirs(tmp_path), "--handover", str(path)]) == 0
    assert seen == [{"handover": {"version": 1, "mode": "full", "action": "open"}}]


def test_an_unreadable_handover_opens_the_app_and_keeps_the_socket(tmp_path, monkeypatch):
    seen = _capture(monkeypatch)
    one, two = socket.socketpair()
    with one, two:
        monkeypatch.setenv(handover.LISTEN_FD_ENV, str(one.fileno()))
        assert main([*_dirs(tmp_path), "--handover", str(tmp_path / "gone.json")]) == 0
        assert seen == [{"handover": {"mode": "full", "action": "open", "listen_fd": one.fileno()}}]
    assert handover.LISTEN_FD_ENV not in os.environ

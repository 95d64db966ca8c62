"""break-now, pause and resume from the command line (the running app faked)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stretchdesk.core.app_commands import BreakNow, Pause, Reply, Resume


@pytest.fixture
def patch() -> Iterator[pytest.MonkeyPatch]:
    """Patches that outlive each ``run_cli`` call (which undoes its own monkeypatch)."""
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def fake_app(patch, reply):
    sent = []

    def send(address, command, timeout=5.0):
        sent.append(command)
        return reply

    patch.setattr("stretchdesk.platform.single_instance.send_command", send)
    return sent


def test_commands_go_to_the_running_app(run_cli, patch):
    sent = fake_app(patch, Reply(True))
    assert run_cli("break-now").status == 0
    assert run_cli("pause", "1h30m").status == 0
    assert run_cli("pause", "tomorrow").status == 0
    assert run_cli("resume").status == 0
    assert sent == [BreakNow(), Pause(seconds=5400.0), Pause(until_tomorrow=True), Resume()]


def test_the_running_apps_refusal_is_shown(run_cli, patch):
    fake_app(patch, Reply(False, "reminders are off"))
    result = run_cli("break-now")
    assert result.status == 1
    assert result.err == "stretchdesk break-now: reminders are off\n"


def test_a_bad_duration_is_a_usage_error(run_cli, patch):
    sent = fake_app(patch, Reply(True))
    result = run_cli("pause", "a while")
    assert result.status == 2
    assert "30m, 1h" in result.err
    assert sent == []


def test_with_no_app_running_the_app_starts_with_the_command(run_cli, patch):
    fake_app(patch, None)
    started = []
    patch.setattr(
        "stretchdesk.ui.app.run_app", lambda paths, command=None: started.append(command) or 0
    )
    assert run_cli("pause", "30m").status == 0
    assert started == [Pause(seconds=1800.0)]

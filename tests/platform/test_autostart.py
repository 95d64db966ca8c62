"""Start at login: what is written, and that turning it off removes only our own entry."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from stretchdesk.platform.autostart import (
    RUN_KEY,
    AutostartError,
    MacAutostart,
    WindowsAutostart,
    XdgAutostart,
    choose_autostart,
    set_autostart,
)
from stretchdesk.platform.desktop_entry import entry_values

LAUNCHER = ["/opt/my apps/bin/python3", "-m", "stretchdesk"]


def test_xdg_entry_is_written_marked_and_removed(tmp_path):
    autostart = XdgAutostart(tmp_path, LAUNCHER)
    assert not autostart.is_enabled()
    set_autostart(autostart, True)
    path = tmp_path / "autostart" / "io.github.stretchdesk.StretchDesk.desktop"
    assert autostart.location() == str(path)
    values = entry_values(path.read_text())
    assert values["Exec"] == '"/opt/my apps/bin/python3" -m stretchdesk'
    assert values["X-StretchDesk-Autostart"] == "true"
    assert values["Type"] == "Application"
    assert autostart.is_enabled()
    set_autostart(autostart, False)
    assert not path.exists() and not autostart.is_enabled()
    autostart.disable()  # already off: nothing to do


def test_a_users_own_autostart_file_is_never_touched(tmp_path):
    path = tmp_path / "autostart" / "io.github.stretchdesk.StretchDesk.desktop"
    path.parent.mkdir()
    path.write_text("[Desktop Entry]\nType=Application\nName=Mine\nExec=stretchdesk --mine\n")
    autostart = XdgAutostart(tmp_path, LAUNCHER)
    assert not autostart.is_enabled()
    with pytest.raises(AutostartError, match="not written by StretchDesk"):
        autostart.disable()
    with pytest.raises(AutostartError, match="not written by StretchDesk"):
        autostart.enable()
    assert "--mine" in path.read_text()


def test_an_entry_the_desktop_turned_off_is_not_enabled(tmp_path):
    autostart = XdgAutostart(tmp_path, LAUNCHER)
    autostart.enable()
    path = Path(autostart.location())
    path.write_text(path.read_text() + "Hidden=true\n")
    assert not autostart.is_enabled()
    autostart.enable()
    assert autostart.is_enabled()


def test_choose_follows_xdg_config_home(tmp_path):
    autostart = choose_autostart({"XDG_CONFIG_HOME": str(tmp_path)}, "linux", LAUNCHER)
    assert isinstance(autostart, XdgAutostart)
    assert autostart.location().startswith(str(tmp_path / "autostart"))


def test_macos_launch_agent(tmp_path):
    autostart = MacAutostart(tmp_path, LAUNCHER)
    autostart.enable()
    path = tmp_path / "Library" / "LaunchAgents" / "io.github.stretchdesk.StretchDesk.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent["ProgramArguments"] == LAUNCHER and agent["RunAtLoad"] is True
    assert agent["X-StretchDesk-Autostart"] is True
    assert autostart.is_enabled()
    autostart.disable()
    assert not path.exists()


def test_macos_foreign_agent_is_left_alone(tmp_path):
    path = tmp_path / "Library" / "LaunchAgents" / "io.github.stretchdesk.StretchDesk.plist"
    path.parent.mkdir(parents=True)
    path.write_bytes(plistlib.dumps({"Label": "x"}))
    autostart = MacAutostart(tmp_path, LAUNCHER)
    assert not autostart.is_enabled()
    with pytest.raises(AutostartError):
        autostart.disable()
    assert path.exists()


class FakeKey:
    def __init__(self, values):
        self.values = values

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeWinreg:
    """The few winreg functions used, over a dict of the Run key's values."""

    HKEY_CURRENT_USER = object()
    KEY_READ, KEY_SET_VALUE, REG_SZ = 1, 2, 1

    def __init__(self):
        self.values: dict[str, str] = {}
        self.opened = []

    def OpenKey(self, root, path, reserved, access):
        self.opened.append(path)
        return FakeKey(self.values)

    CreateKeyEx = OpenKey

    def QueryValueEx(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name], self.REG_SZ

    def SetValueEx(self, key, name, reserved, kind, value):
        key.values[name] = value

    def DeleteValue(self, key, name):
        del key.values[name]


def test_windows_run_key():
    registry = FakeWinreg()
    autostart = WindowsAutostart(
        registry, [r"C:\Program Files\Python\pythonw.exe", "-m", "stretchdesk"]
    )
    assert not autostart.is_enabled()
    autostart.enable()
    assert registry.values == {
        "io.github.stretchdesk.StretchDesk": (
            '"C:\\Program Files\\Python\\pythonw.exe" -m stretchdesk'
        )
    }
    assert set(registry.opened) == {RUN_KEY}
    assert autostart.is_enabled()
    autostart.disable()
    assert registry.values == {}


def test_windows_foreign_value_is_left_alone():
    registry = FakeWinreg()
    registry.values["io.github.stretchdesk.StretchDesk"] = "C:\\something\\else.exe"
    autostart = WindowsAutostart(registry, LAUNCHER)
    with pytest.raises(AutostartError):
        autostart.disable()
    with pytest.raises(AutostartError):
        autostart.enable()
    assert registry.values["io.github.stretchdesk.StretchDesk"] == "C:\\something\\else.exe"

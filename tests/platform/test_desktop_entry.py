"""The app id everywhere, the desktop entry's Exec, install-desktop, and the validators."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stretchdesk import APP_ID, resources
from stretchdesk.platform.desktop_entry import (
    DesktopFiles,
    desktop_entry_text,
    desktop_exec,
    entry_values,
    install_desktop_files,
    launcher_command,
    rewrite_entry,
    uninstall_desktop_files,
)

DESKTOP = resources.asset_file(f"desktop/{APP_ID}.desktop")
METAINFO = resources.asset_file(f"desktop/{APP_ID}.metainfo.xml")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; .ci/run installs it")
    return path


def test_one_app_id_everywhere(qapp):
    from stretchdesk.ui.app import create_application

    assert DESKTOP.is_file()
    assert resources.asset_file(f"icons/{APP_ID}.svg").is_file()
    assert entry_values(DESKTOP.read_text())["Icon"] == APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert create_application().desktopFileName() == APP_ID


@pytest.mark.parametrize(
    ("argv", "value"),
    [
        (["/usr/bin/stretchdesk"], "/usr/bin/stretchdesk"),
        (["/opt/my apps/python", "-m", "stretchdesk"], '"/opt/my apps/python" -m stretchdesk'),
        (["/a$b/py"], '"/a\\\\$b/py"'),
        (["/x/100%/py"], "/x/100%%/py"),
        (['/q"/py'], '"/q\\\\"/py"'),
    ],
)
def test_exec_values_are_quoted_as_the_spec_asks(argv, value):
    assert desktop_exec(argv) == value


def test_the_launcher_is_the_running_script_or_interpreter(tmp_path):
    script = tmp_path / "bin" / "stretchdesk"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    assert launcher_command(str(script), "/usr/bin/python3", "linux") == [str(script)]
    assert launcher_command("/x/__main__.py", "/v/bin/python3", "linux") == [
        "/v/bin/python3",
        "-m",
        "stretchdesk",
    ]


def test_rewrite_changes_only_the_main_group():
    text = "[Desktop Entry]\nName=A\nExec=old\nTryExec=old\n\n[Desktop Action x]\nExec=keep\n"
    out = rewrite_entry(text, {"Exec": "new", "TryExec": None, "X-Mine": "true"})
    assert out == (
        "[Desktop Entry]\nName=A\nExec=new\n\nX-Mine=true\n[Desktop Action x]\nExec=keep\n"
    )


def test_install_and_uninstall_touch_exactly_our_files(tmp_path):
    files = DesktopFiles.under(tmp_path)
    done = install_desktop_files(files, ["/opt/sd/bin/stretchdesk"])
    assert done.done == [files.entry, files.icon] and not done.left
    assert files.entry == tmp_path / "applications" / f"{APP_ID}.desktop"
    assert files.icon == tmp_path / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg"
    values = entry_values(files.entry.read_text())
    assert values["Exec"] == "/opt/sd/bin/stretchdesk"
    assert values["Icon"] == APP_ID
    neighbour = files.entry.with_name("other.desktop")
    neighbour.write_text("[Desktop Entry]\n")
    gone = uninstall_desktop_files(files)
    assert gone.done == [files.entry, files.icon]
    assert not files.entry.exists() and not files.icon.exists() and neighbour.exists()


def test_files_we_did_not_write_are_left_alone(tmp_path):
    files = DesktopFiles.under(tmp_path)
    files.entry.parent.mkdir(parents=True)
    files.entry.write_text("[Desktop Entry]\nType=Application\nName=Mine\nExec=mine\n")
    files.icon.parent.mkdir(parents=True)
    files.icon.write_text("<svg/>")
    assert len(uninstall_desktop_files(files).left) == 2
    assert len(install_desktop_files(files, ["/x"]).left) == 2
    assert files.entry.read_text().endswith("Exec=mine\n")
    assert files.icon.read_text() == "<svg/>"


def test_the_shipped_and_the_installed_desktop_entries_validate(tmp_path):
    validate = _tool("desktop-file-validate")
    installed = tmp_path / f"{APP_ID}.desktop"
    installed.write_text(desktop_entry_text(["/opt/my apps/python", "-m", "stretchdesk"]))
    for path in (DESKTOP, installed):
        done = subprocess.run([validate, str(path)], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_the_autostart_entry_validates(tmp_path):
    from stretchdesk.platform.autostart import XdgAutostart

    autostart = XdgAutostart(tmp_path, ["/opt/my apps/python", "-m", "stretchdesk"])
    autostart.enable()
    done = subprocess.run(
        [_tool("desktop-file-validate"), autostart.location()],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_the_metainfo_validates():
    done = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_install_desktop_command(run_cli_env, tmp_path: Path):
    result = run_cli_env("install-desktop")
    assert result.status == 0, result.err
    installed = tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    assert f"installed {installed}" in result.out
    result = run_cli_env("install-desktop", "--uninstall")
    assert result.status == 0 and "removed" in result.out
    assert not installed.exists()
    assert run_cli_env("install-desktop", "--uninstall").out.strip() == "nothing to remove"


@pytest.fixture
def run_cli_env(tmp_path, monkeypatch):
    import io

    from stretchdesk import cli

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))

    class Result:
        def __init__(self, status, out, err):
            self.status, self.out, self.err = status, out, err

    def run(*argv):
        out, err = io.StringIO(), io.StringIO()
        with monkeypatch.context() as m:
            m.setattr("sys.stdout", out)
            m.setattr("sys.stderr", err)
            status = cli.main(
                ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d"), *argv]
            )
        return Result(status, out.getvalue(), err.getvalue())

    return run

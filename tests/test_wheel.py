"""The wheel carries data/ and assets/, and an installed copy runs outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(out),
        ],
        check=True,
        cwd=out,
    )
    (path,) = out.glob("stretchdesk-*.whl")
    return path


def test_wheel_contains_runtime_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "stretchdesk/_data/stretches.yaml",
        "stretchdesk/_assets/icons/stretchdesk.svg",
        "stretchdesk/core/model.py",
    ):
        assert required in names
    entry_points = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith("entry_points.txt")))
        .decode()
    )
    assert (
        "[gui_scripts]" in entry_points
        and "stretchdesk = stretchdesk.__main__:main" in entry_points
    )


def test_installed_wheel_lists_the_catalogue_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # The command line needs only PyYAML; Qt is loaded by the window alone.
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True)
    subprocess.run([*pip, "PyYAML"], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    args = ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]
    done = subprocess.run(
        [str(env_dir / "bin" / "stretchdesk"), "list", "--json", *args],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert "childs-pose" in {s["id"] for s in data}
    where = subprocess.run(
        [str(python), "-c", "import stretchdesk.resources as r; print(r.data_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)) and where.endswith("_data")

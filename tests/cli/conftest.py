"""Helpers to run the command line in-process, with private config and data folders."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from stretchdesk import cli


@dataclass
class Result:
    status: int
    out: str
    err: str


@pytest.fixture
def run_cli(tmp_path, monkeypatch):
    config_dir = tmp_path / "config"
    data_dir = tmp_path / "data"

    def run(*argv: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        monkeypatch.setattr("sys.stderr", err)
        status = cli.main(["--config-dir", str(config_dir), "--data-dir", str(data_dir), *argv])
        monkeypatch.undo()
        return Result(status, out.getvalue(), err.getvalue())

    run.config_dir = config_dir
    run.data_dir = data_dir
    return run

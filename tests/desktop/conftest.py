"""The real-desktop tests' private X session, started once per module and stopped after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from xsession import XSession, start_x_session


@pytest.fixture(scope="module")
def x_session() -> Iterator[XSession]:
    session = start_x_session()
    try:
        yield session
    finally:
        session.stop()

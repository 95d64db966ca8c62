"""Where the runtime files (``data/`` and ``assets/``) are.

In an installed wheel they sit inside the package as ``_data`` and ``_assets``
(see ``setup.py``); in a source checkout they are the top-level ``data/`` and
``assets/`` folders. Both are found through :mod:`importlib.resources`, so the
rest of the code asks for a file by name and never guesses paths.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


@cache
def _root(installed_name: str, checkout_name: str) -> Path:
    beside = Path(__file__).resolve().parent / installed_name
    if beside.is_dir():  # installed as plain files: no need to load importlib.resources
        return beside
    from importlib import resources

    packaged = resources.files("stretchdesk") / installed_name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = _CHECKOUT_ROOT / checkout_name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"StretchDesk's {checkout_name}/ folder is missing; the installation is incomplete"
    )


def data_dir() -> Path:
    """The folder with the built-in catalogue, poses and routines."""
    return _root("_data", "data")


def assets_dir() -> Path:
    """The folder with icons, sounds and desktop integration files."""
    return _root("_assets", "assets")


def data_file(name: str) -> Path:
    return data_dir() / name


def asset_file(name: str) -> Path:
    return assets_dir() / name

"""Maps the top-level data/ and assets/ folders into the wheel.

They stay at the top of the repository (where people look for them) and are
installed as ``stretchdesk/_data`` and ``stretchdesk/_assets``;
:mod:`stretchdesk.resources` finds them in either place.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
RUNTIME_DIRS = {"data": "_data", "assets": "_assets"}


class BuildWithRuntimeFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        for src_name, dest_name in RUNTIME_DIRS.items():
            src = ROOT / src_name
            for path in sorted(src.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    rel = path.relative_to(src)
                    target = Path(self.build_lib) / "stretchdesk" / dest_name / rel
                    self.mkpath(str(target.parent))
                    self.copy_file(str(path), str(target))


setup(cmdclass={"build_py": BuildWithRuntimeFiles})

"""Build hook: ship the top-level rules/ folder inside the package as pseudogen/rules.

The hand-written tree rules are data and live at the top of the repository;
`pip install .` must still carry them, so build_py copies them into the wheel.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithRules(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "pseudogen" / "rules"
        target.mkdir(parents=True, exist_ok=True)
        for path in Path(__file__).parent.joinpath("rules").glob("*.rules"):
            shutil.copy(path, target / path.name)


setup(cmdclass={"build_py": BuildWithRules})

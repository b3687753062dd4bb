"""PEP 517 backend: setuptools, which also packs the wheel itself when the ``wheel`` package is missing.

setuptools before 70.1 needs the separate ``wheel`` package to build wheels. Where pip can fetch it
(``pip install ./clients/python`` with an index) this changes nothing: every hook is setuptools'.
Offline, with ``--no-build-isolation`` and no ``wheel`` installed, setuptools still reads
pyproject.toml and writes the metadata, and this module zips the pure-Python package into a
``py3-none-any`` wheel (a zip with a dist-info folder: METADATA, WHEEL, RECORD).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zipfile
from typing import Any, Dict, List, Optional, Tuple

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403  (sdist and the rest, unchanged)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _can_use_setuptools() -> bool:
    try:
        import wheel  # noqa: F401
    except ImportError:
        try:
            from setuptools.command import bdist_wheel  # noqa: F401  (setuptools >= 70.1)
        except ImportError:
            return False
    return True


def _distribution() -> Any:
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    cwd = os.getcwd()
    os.chdir(ROOT)  # version = {attr = …} is read relative to the project
    try:
        return apply_configuration(Distribution(), os.path.join(ROOT, "pyproject.toml"))
    finally:
        os.chdir(cwd)


def _package_files(packages: List[str]) -> List[Tuple[str, bytes]]:
    files = []
    for package in packages:
        folder = os.path.join(ROOT, *package.split("."))
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py") or name == "py.typed":
                with open(os.path.join(folder, name), "rb") as f:
                    files.append((f"{package.replace('.', '/')}/{name}", f.read()))
    return files


def _dist_info() -> Tuple[str, str, List[Tuple[str, bytes]]]:
    """The wheel's name stem, its dist-info folder, and that folder's METADATA and WHEEL."""
    dist = _distribution()
    stem = f"{dist.get_name().replace('-', '_')}-{dist.get_version()}"
    info = f"{stem}.dist-info"
    metadata = io.StringIO()
    dist.metadata.write_pkg_file(metadata)
    wheel_meta = "Wheel-Version: 1.0\nGenerator: setuptools_or_zip\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return stem, info, [
        (f"{info}/METADATA", metadata.getvalue().encode("utf-8")),
        (f"{info}/WHEEL", wheel_meta.encode("utf-8")),
    ]


def _write_wheel(wheel_directory: str, files: List[Tuple[str, bytes]]) -> str:
    stem, info, meta = _dist_info()
    files = files + meta
    record = []
    for path, data in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode("utf-8")))
    filename = f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files:
            zf.writestr(path, data)
    return filename


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return _setuptools.get_requires_for_build_wheel(config_settings) if _can_use_setuptools() else []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Any = None) -> str:
    if _can_use_setuptools():
        return _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    _, info, meta = _dist_info()
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    for path, data in meta:
        with open(os.path.join(metadata_directory, path), "wb") as f:
            f.write(data)
    return info


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    if _can_use_setuptools():
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    return _write_wheel(wheel_directory, _package_files(_distribution().packages))


def build_editable(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    if _can_use_setuptools():
        return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    # A .pth line puts this folder on sys.path: edits to the sources take effect at once.
    return _write_wheel(wheel_directory, [("__editable__.migrateclouds.pth", (ROOT + "\n").encode("utf-8"))])


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return _setuptools.get_requires_for_build_editable(config_settings) if _can_use_setuptools() else []


def prepare_metadata_for_build_editable(metadata_directory: str, config_settings: Any = None) -> str:
    if _can_use_setuptools():
        return _setuptools.prepare_metadata_for_build_editable(metadata_directory, config_settings)
    return prepare_metadata_for_build_wheel(metadata_directory, config_settings)

#!/usr/bin/env python3
"""Copy the front-end files the templates link from node_modules into static/vendor/.

Run after `npm ci` (the Makefile's `setup` does both). The destination,
`jingzhun/core/static/vendor/`, is generated and ignored by git; it is wiped and rebuilt on
every run so a removed or upgraded package leaves nothing stale behind. Nothing is fetched
from a CDN: the pages only ever load these local copies.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "jingzhun" / "core" / "static" / "vendor"


@dataclass(frozen=True)
class Package:
    name: str  # npm package name
    major: int  # the major version the templates are written for
    target: str  # folder under static/vendor/
    files: tuple[tuple[str, str], ...]  # (path in the package, path under target)
    folders: tuple[tuple[str, str], ...] = ()


PACKAGES = (
    Package(
        "bootstrap",
        5,
        "bootstrap",
        files=(
            ("dist/css/bootstrap.min.css", "bootstrap.min.css"),
            # The minified files name their source maps; collectstatic's manifest storage
            # follows those references and fails when the map is missing.
            ("dist/css/bootstrap.min.css.map", "bootstrap.min.css.map"),
            ("dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"),
            ("dist/js/bootstrap.bundle.min.js.map", "bootstrap.bundle.min.js.map"),
            ("LICENSE", "LICENSE"),
        ),
    ),
    Package(
        "bootstrap-icons",
        1,
        "bootstrap-icons",
        files=(
            ("font/bootstrap-icons.min.css", "bootstrap-icons.min.css"),
            ("LICENSE", "LICENSE"),
        ),
        # The stylesheet loads fonts/bootstrap-icons.woff2 relative to itself.
        folders=(("font/fonts", "fonts"),),
    ),
    Package(
        "htmx.org",
        2,
        "htmx",
        files=(("dist/htmx.min.js", "htmx.min.js"), ("LICENSE", "LICENSE")),
    ),
    Package(
        "echarts",
        6,
        "echarts",
        files=(("dist/echarts.min.js", "echarts.min.js"), ("LICENSE", "LICENSE")),
    ),
)


class VendorError(Exception):
    pass


def installed_version(package: Package) -> str:
    manifest = NODE_MODULES / package.name / "package.json"
    if not manifest.is_file():
        raise VendorError(
            f"node_modules/{package.name} is missing. Install the front-end packages first "
            "with `npm ci` (or simply run `make setup`)."
        )
    version = str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    if int(version.split(".")[0]) != package.major:
        raise VendorError(
            f"{package.name} {version} is installed but the templates are written for "
            f"major version {package.major}; run `npm ci` to install the locked versions."
        )
    return version


def copy_package(package: Package) -> list[Path]:
    source = NODE_MODULES / package.name
    target = VENDOR / package.target
    target.mkdir(parents=True, exist_ok=True)
    copied: list[Path] = []
    for src, dst in package.files:
        path = source / src
        if not path.is_file():
            if src == "LICENSE":
                continue
            raise VendorError(f"{package.name} has no {src}; is the installed version damaged?")
        shutil.copy2(path, target / dst)
        copied.append(target / dst)
    for src, dst in package.folders:
        folder = source / src
        if not folder.is_dir():
            raise VendorError(
                f"{package.name} has no folder {src}; is the installed version damaged?"
            )
        shutil.copytree(folder, target / dst)
        copied.extend(p for p in (target / dst).rglob("*") if p.is_file())
    return copied


def main() -> int:
    if not NODE_MODULES.is_dir():
        print(
            "error: node_modules/ not found. Install the front-end packages first with "
            "`npm ci` in the project folder (or run `make setup`, which does it for you).",
            file=sys.stderr,
        )
        return 1
    try:
        versions = {package.name: installed_version(package) for package in PACKAGES}
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        copied = [path for package in PACKAGES for path in copy_package(package)]
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{name} {version}" for name, version in versions.items())
    print(f"Vendored {len(copied)} files into {VENDOR.relative_to(ROOT)}/ ({summary}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

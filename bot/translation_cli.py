"""The ``wegweiser translate`` commands: ``install`` translation packages and ``list`` the installed ones.

``install LANG ...`` downloads from the Argos Translate package index the
packages between each language and German, directly or through English (for a
machine with internet); ``install --file PATH ...`` installs ``.argosmodel``
files copied over by hand (for one without).
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from bot.config import Settings
from bot.translation import (
    InstalledPair,
    PackageError,
    installed_pairs,
    language_code,
    load_argos,
    packages_directory,
    read_package,
    route,
)
from nlu.languages import CORE_LANGUAGES

GERMAN = "de"
DOWNLOAD_TIMEOUT_SECONDS = 60.0
USER_AGENT = "Wegweiser (argostranslate packages)"
NOT_INSTALLED = "argostranslate is not installed; install the extra: pip install '.[translate]'"


class DownloadError(Exception):
    """The package index or a package could not be downloaded."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the ``translate`` command group; every handler is called as ``handler(arguments, settings)``."""
    translate = subparsers.add_parser("translate", help="offline machine translation packages (Argos Translate)")
    actions = translate.add_subparsers(dest="translate_command", required=True)
    install = actions.add_parser(
        "install", help="download the packages between LANGs and German, or install package files with --file"
    )
    install.add_argument(
        "languages", nargs="*", metavar="LANG", help="default: every language the assistant answers in"
    )
    install.add_argument("--file", dest="files", nargs="+", type=Path, metavar="PATH", help=".argosmodel files")
    install.set_defaults(handler=install_command)
    listing = actions.add_parser("list", help="print the installed language pairs")
    listing.set_defaults(handler=list_command)


def install_command(arguments: argparse.Namespace, settings: Settings) -> int:
    try:
        load_argos(settings.translation_home)
    except ImportError:
        print(NOT_INSTALLED, file=sys.stderr)
        return 1
    if arguments.files and arguments.languages:
        print("give either languages to download or --file with package files, not both", file=sys.stderr)
        return 2
    if arguments.files:
        return _install_files(arguments.files, settings.translation_home)
    languages = [language_code(language) for language in arguments.languages] or list(CORE_LANGUAGES)
    return _install_from_index(languages, settings)


def list_command(arguments: argparse.Namespace, settings: Settings) -> int:
    try:
        load_argos(settings.translation_home)
    except ImportError:
        print(NOT_INSTALLED, file=sys.stderr)
        return 1
    pairs = installed_pairs(settings.translation_home)
    if not pairs:
        print(f"no translation packages installed in {packages_directory(settings.translation_home)}")
    for pair in pairs:
        print(f"{pair.source} → {pair.target}  {pair.version}  {pair.path.name}")
    return 0


def install_package_file(path: Path, home: Path) -> InstalledPair:
    """Install the package file ``path`` under ``home``, replacing any installed package of the same pair.

    The archive is unpacked into a hidden directory and checked before it
    replaces anything, so a broken file leaves the installed packages as they
    were (argostranslate's own installer unpacks whatever the archive holds
    into the live directory).
    """
    argos = load_argos(home)
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path}: not an Argos Translate package (not a zip archive)")
    packages = packages_directory(home)
    try:
        packages.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=packages, prefix=".incoming-") as incoming:
            unpacked = _unpack(path, Path(incoming))
            try:
                pair, _ = read_package(argos, unpacked)
            except PackageError as error:
                raise PackageError(f"{path}: not a usable translation package: {error}") from error
            for installed in installed_pairs(home):
                if (installed.source, installed.target) == (pair.source, pair.target):
                    shutil.rmtree(installed.path)
            destination = packages / unpacked.name
            shutil.rmtree(destination, ignore_errors=True)
            unpacked.rename(destination)
    except OSError as error:
        raise PackageError(f"{path}: cannot install into {packages} ({error})") from error
    return InstalledPair(pair.source, pair.target, pair.version, destination)


def _unpack(path: Path, directory: Path) -> Path:
    """The one folder the archive ``path`` holds, unpacked into ``directory``."""
    try:
        with zipfile.ZipFile(path) as archive:
            tops = {PurePosixPath(name).parts[0] for name in archive.namelist() if PurePosixPath(name).parts}
            if len(tops) != 1 or next(iter(tops)).startswith((".", "/")):
                raise PackageError(f"{path}: not an Argos Translate package (expected one folder in the archive)")
            archive.extractall(directory)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackageError(f"{path}: cannot unpack ({error})") from error
    return directory / tops.pop()


def _install_files(paths: list[Path], home: Path) -> int:
    failed = False
    for path in paths:
        try:
            pair = install_package_file(path, home)
        except PackageError as error:
            print(error, file=sys.stderr)
            failed = True
            continue
        print(f"installed {pair.source} → {pair.target} ({pair.version}) from {path}")
    return 1 if failed else 0


def _install_from_index(languages: list[str], settings: Settings) -> int:
    home = settings.translation_home
    argos = load_argos(home)
    downloads = home / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    try:
        offered = _read_index(argos, settings.translation_index_url, downloads / "index.json")
    except DownloadError as error:
        print(error, file=sys.stderr)
        print("Without internet: copy .argosmodel files here and run `wegweiser translate install --file PATH ...`",
              file=sys.stderr)
        return 1
    wanted: list[tuple[str, str]] = []
    failed = False
    for language in languages:
        for source, target in ((language, GERMAN), (GERMAN, language)):
            legs = route(offered, source, target) if source != target else []
            if legs is None:
                print(f"the package index has no package for {source} → {target}, nor through English", file=sys.stderr)
                failed = True
            else:
                wanted.extend(leg for leg in legs if leg not in wanted)
    installed = {(pair.source, pair.target): pair.version for pair in installed_pairs(home)}
    for source, target in wanted:
        package = offered[(source, target)]
        if installed.get((source, target)) == package.package_version:
            print(f"{source} → {target} ({package.package_version}) is already installed")
            continue
        file = downloads / f"translate-{source}_{target}.argosmodel"
        try:
            _download(package.links, file)
            pair = install_package_file(file, home)
        except (DownloadError, PackageError) as error:
            print(f"{source} → {target}: {error}", file=sys.stderr)
            failed = True
            continue
        finally:
            file.unlink(missing_ok=True)
        print(f"installed {pair.source} → {pair.target} ({pair.version})")
    return 1 if failed else 0


def _read_index(argos: ModuleType, url: str, file: Path) -> dict[tuple[str, str], Any]:
    """The newest translation package of every pair the index at ``url`` offers (argostranslate's AvailablePackage)."""
    try:
        _download([url], file)
        entries = json.loads(file.read_bytes())
        offered = [argos.AvailablePackage(entry) for entry in entries]
    except (ValueError, TypeError, AttributeError) as error:
        raise DownloadError(f"{url} is not an Argos Translate package index ({error})") from error
    finally:
        file.unlink(missing_ok=True)
    newest: dict[tuple[str, str], Any] = {}
    for package in offered:
        if package.type != "translate" or not package.from_code or not package.to_code or not package.links:
            continue
        pair = (language_code(package.from_code), language_code(package.to_code))
        if pair not in newest or _version(package) > _version(newest[pair]):
            newest[pair] = package
    return newest


def _version(package: Any) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in str(package.package_version).split("."))


def _download(links: list[str], file: Path) -> None:
    """The first of ``links`` that answers, written to ``file``."""
    reasons = []
    for link in links:
        request = urllib.request.Request(link, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response, file.open("wb") as out:
                shutil.copyfileobj(response, out)
            return
        except (OSError, ValueError, http.client.HTTPException) as error:
            reasons.append(f"{link}: {error}")
    raise DownloadError("could not download " + "; ".join(reasons))

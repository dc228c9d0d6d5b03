"""``wegweiser translate install`` and ``list``.

Packages come from files (a machine without internet) or from a package
index, here served on 127.0.0.1 the way the Argos Translate index serves them.
The main paths run the installed command in a subprocess, exactly as a person
runs it; the error cases call the same entry point in this process, which
spares them the command's start-up time.
"""

from __future__ import annotations

import os
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from bot.cli import main
from tests.conftest import PROJECT_ROOT, WEGWEISER, wegweiser_env
from tests.fakes.server import ServedApp
from tests.net import free_port
from tests.translation.conftest import LANGUAGE_NAMES, build_package

COMMAND_TIMEOUT = 120


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


Command = Callable[..., Outcome]


def wegweiser(data_dir: Path, *arguments: str, **env: str) -> Outcome:
    """``wegweiser translate ARGUMENTS`` in a subprocess."""
    finished = subprocess.run(
        [*WEGWEISER, "translate", *arguments],
        env=wegweiser_env(data_dir, **env),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=COMMAND_TIMEOUT,
    )
    return Outcome(finished.returncode, finished.stdout, finished.stderr)


@pytest.fixture
def translate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Command:
    """``wegweiser translate ARGUMENTS`` in this process, with the data directory ``tmp_path``."""

    def run(*arguments: str, **env: str) -> Outcome:
        for name in [name for name in os.environ if name.startswith("WEGWEISER_")]:
            monkeypatch.delenv(name)
        for name, value in {"WEGWEISER_DATA_DIR": str(tmp_path), **env}.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        returncode = main(["translate", *arguments])
        captured = capsys.readouterr()
        return Outcome(returncode, captured.out, captured.err)

    return run


def pairs_in(listing: Outcome) -> list[str]:
    assert listing.returncode == 0, listing.stderr
    return [" ".join(line.split()[:4]) for line in listing.stdout.splitlines() if "→" in line]


@pytest.fixture(scope="module")
def package_index(package_files: dict[tuple[str, str], Path]) -> Iterator[str]:
    """The URL of a package index offering every tiny package, each downloadable from the same server."""

    async def index(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return JSONResponse([
            {
                "package_version": "1.0",
                "argos_version": "1.9",
                "from_code": source,
                "from_name": LANGUAGE_NAMES[source],
                "to_code": target,
                "to_name": LANGUAGE_NAMES[target],
                "type": "translate",
                "links": [f"{base}/packages/{path.name}"],
            }
            for (source, target), path in package_files.items()
        ])

    async def package(request: Request) -> Response:
        by_name = {path.name: path for path in package_files.values()}
        return FileResponse(by_name[request.path_params["name"]])

    served = ServedApp(Starlette(routes=[Route("/index.json", index), Route("/packages/{name}", package)]))
    served.start()
    yield f"{served.url}/index.json"
    served.stop()


def test_a_package_file_is_installed_and_listed(tmp_path: Path, package_files: dict[tuple[str, str], Path]) -> None:
    installed = wegweiser(tmp_path, "install", "--file", str(package_files[("fa", "de")]))
    assert installed.returncode == 0, installed.stderr
    assert "installed fa → de" in installed.stdout
    assert pairs_in(wegweiser(tmp_path, "list")) == ["fa → de 1.0"]


def test_installing_writes_nothing_outside_the_data_directory(
    tmp_path: Path, package_files: dict[tuple[str, str], Path]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    installed = wegweiser(tmp_path / "var", "install", "--file", str(package_files[("fa", "de")]), HOME=str(home))
    assert installed.returncode == 0, installed.stderr
    assert list(home.iterdir()) == []


def test_a_language_is_installed_from_the_index_directly_or_through_english(tmp_path: Path, package_index: str) -> None:
    installed = wegweiser(tmp_path, "install", "fa", WEGWEISER_TRANSLATION_INDEX_URL=package_index)
    assert installed.returncode == 0, installed.stderr
    # fa → de exists directly; de → fa only as de → en and en → fa.
    assert pairs_in(wegweiser(tmp_path, "list")) == ["de → en 1.0", "en → fa 1.0", "fa → de 1.0"]


def test_without_internet_the_command_fails_and_points_to_files(tmp_path: Path) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}/index.json"
    failed = wegweiser(tmp_path, "install", "fa", WEGWEISER_TRANSLATION_INDEX_URL=unreachable)
    assert failed.returncode == 1
    assert "could not download" in failed.stderr
    assert "--file" in failed.stderr


def test_several_files_are_installed_at_once(translate: Command, package_files: dict[tuple[str, str], Path]) -> None:
    files = [str(package_files[pair]) for pair in (("fa", "en"), ("en", "de"))]
    assert translate("install", "--file", *files).returncode == 0
    assert pairs_in(translate("list")) == ["en → de 1.0", "fa → en 1.0"]


def test_a_newer_package_replaces_the_installed_one(
    tmp_path: Path, translate: Command, package_files: dict[tuple[str, str], Path]
) -> None:
    (tmp_path / "newer").mkdir()
    newer = build_package(tmp_path / "newer", "fa", "de", version="1.1")
    translate("install", "--file", str(package_files[("fa", "de")]))
    assert translate("install", "--file", str(newer)).returncode == 0
    assert pairs_in(translate("list")) == ["fa → de 1.1"]


def test_a_file_that_is_no_package_fails_and_installs_nothing(tmp_path: Path, translate: Command) -> None:
    bogus = tmp_path / "translate-fa_de.argosmodel"
    bogus.write_text("not a zip archive")
    failed = translate("install", "--file", str(bogus))
    assert failed.returncode == 1
    assert "not an Argos Translate package" in failed.stderr
    assert pairs_in(translate("list")) == []


def test_an_archive_without_a_model_fails_and_installs_nothing(tmp_path: Path, translate: Command) -> None:
    archive = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("translate-fa_de-1_0/metadata.json", '{"from_code": "fa", "to_code": "de"}')
    failed = translate("install", "--file", str(archive))
    assert failed.returncode == 1
    assert "no CTranslate2 model" in failed.stderr
    assert pairs_in(translate("list")) == []


def test_an_archive_reaching_outside_its_folder_is_refused(tmp_path: Path, translate: Command) -> None:
    archive = tmp_path / "escape.argosmodel"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("../outside/metadata.json", "{}")
    failed = translate("install", "--file", str(archive))
    assert failed.returncode == 1
    assert not (tmp_path / "translation" / "outside").exists()
    assert pairs_in(translate("list")) == []


def test_a_missing_file_fails(tmp_path: Path, translate: Command) -> None:
    failed = translate("install", "--file", str(tmp_path / "nowhere.argosmodel"))
    assert failed.returncode == 1
    assert "nowhere.argosmodel" in failed.stderr


def test_installed_packages_are_not_downloaded_again(translate: Command, package_index: str) -> None:
    translate("install", "fa", WEGWEISER_TRANSLATION_INDEX_URL=package_index)
    again = translate("install", "fa", WEGWEISER_TRANSLATION_INDEX_URL=package_index)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("is already installed") == 3


def test_a_language_the_index_lacks_is_reported(translate: Command, package_index: str) -> None:
    failed = translate("install", "tr", WEGWEISER_TRANSLATION_INDEX_URL=package_index)
    assert failed.returncode == 1
    assert "no package for tr → de" in failed.stderr


def test_languages_and_files_together_are_refused(
    translate: Command, package_files: dict[tuple[str, str], Path]
) -> None:
    assert translate("install", "fa", "--file", str(package_files[("fa", "de")])).returncode == 2


def test_list_without_packages_says_so(translate: Command) -> None:
    listing = translate("list")
    assert listing.returncode == 0
    assert "no translation packages installed" in listing.stdout

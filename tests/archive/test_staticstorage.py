"""Static files: plain names before collectstatic, hashed and cached for a year after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.test import Client

FANFOLD = str(Path(sys.executable).with_name("fanfold"))

# In a fresh interpreter over a collected data directory: what pages name and how it is served.
SHOW = """
import json, django
django.setup()
from django.templatetags.static import static
from django.test import Client
named = static("fanfold/site.css")
hashed = Client().get(named, HTTP_ACCEPT_ENCODING="gzip")
b"".join(hashed.streaming_content)
plain = Client().get("/static/fanfold/site.css")
b"".join(plain.streaming_content)
page = Client().get("/")
print(json.dumps({
    "named": named,
    "hashed": [hashed.status_code, hashed.headers.get("Cache-Control"),
               hashed.headers.get("Content-Encoding")],
    "plain": [plain.status_code, plain.headers.get("Cache-Control")],
    "page_names_it": named in page.content.decode(),
}))
"""


def test_before_collectstatic_pages_name_the_plain_files_which_are_served() -> None:
    # The suite's data directory is fresh: no manifest, so no page may fail on one.
    assert static("fanfold/site.css") == "/static/fanfold/site.css"
    response = Client().get("/static/fanfold/site.css")
    b"".join(response.streaming_content)  # read to its end: the test client closes the file
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]


@pytest.mark.slow
def test_after_collectstatic_pages_name_hashed_compressed_files_cached_for_a_year(
    tmp_path: Path,
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "FANFOLD_DATA_DIR": str(tmp_path),
        "FANFOLD_SECRET_KEY": "static-test",
        "DJANGO_SETTINGS_MODULE": "fanfold.archive.settings",
    }
    subprocess.run([FANFOLD, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([FANFOLD, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    collected = tmp_path / "static" / "fanfold"
    assert (collected / "site.css.gz").exists()
    assert any(
        path.name.startswith("site.") and path.suffix == ".css" for path in collected.iterdir()
    )
    result = subprocess.run(
        [sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=True
    )
    shown = json.loads(result.stdout)
    assert shown["named"].startswith("/static/fanfold/site.")
    assert shown["named"] != "/static/fanfold/site.css"
    assert (tmp_path / "static" / shown["named"].removeprefix("/static/")).exists()
    assert shown["hashed"] == [200, "max-age=315360000, public, immutable", "gzip"]
    assert shown["plain"][0] == 200
    assert "immutable" not in shown["plain"][1]
    assert shown["page_names_it"]


def test_a_file_collectstatic_has_not_seen_is_named_plainly_instead_of_failing(
    tmp_path: Path,
) -> None:
    from fanfold.archive.staticstorage import ArchiveStaticStorage

    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"a.css": "a.123.css"}})
    )
    storage = ArchiveStaticStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("a.css") == "/static/a.123.css"
    assert storage.url("new.css") == "/static/new.css"

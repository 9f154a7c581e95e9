"""Screenshots of every web view in real headless Chromium, at 1280 and 390 px wide.

Serves the app (the default model, trained on the embedded cases on first use) on 127.0.0.1,
uploads the invented review fixture to get a held draft, and saves one PNG per view and width:

    python scripts/screenshots.py [--out docs/screenshots] [--views form,result,...]

Needs Debian's ``chromium`` (``apt-get install chromium``). The README shows a few of them
(``docs/web-*.png``); ``--readme`` writes those under their README names as well.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "ingest" / "review_cases.txt"
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
WIDTHS = {"desktop": (1280, 3200), "phone": (390, 6400)}
README_SHOTS = {
    ("result", "desktop"): ("web-result.png", 1900),
    ("result", "phone"): ("web-result-phone.png", 1500),
    ("draft-result", "desktop"): ("web-draft-result.png", 1250),
    ("draft-form", "phone"): ("web-draft-form-phone.png", 1400),
}
"""The README's screenshots: (view, width) -> (file in docs/, height kept from the top)."""


def find_chromium() -> str:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("no Chromium found: apt-get install chromium")


def serve():
    """The app under uvicorn in a thread on a free port of 127.0.0.1; (server, base URL)."""
    import uvicorn

    from remedy_model import api
    from remedy_model.web.app import create_app

    config = uvicorn.Config(
        create_app(model=api.get_model()), host="127.0.0.1", port=0, log_level="error"
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline:
            sys.exit("the web server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


def upload(base: str, path: Path) -> str:
    """Upload a draft; return the token the form holds for it."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="{path.name}"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        base + "/upload",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        page = reply.read().decode("utf-8")
    return re.search(r'name="draft" value="([^"]+)"', page).group(1)


def draft_query(base: str, token: str, case: int) -> str:
    """The query string of the form filled from a held draft's case (as the browser sends it)."""
    with urllib.request.urlopen(f"{base}/?draft={token}&case={case}", timeout=60) as reply:
        page = reply.read().decode("utf-8")
    from urllib.parse import urlencode

    from bs4 import BeautifulSoup

    form = BeautifulSoup(page, "html.parser").find(id="case-form")
    pairs = [
        (i["name"], i.get("value", ""))
        for i in form.select("input")
        if i.get("type") in ("hidden", "text")
    ]
    pairs += [(i["name"], i["value"]) for i in form.select("input[type=checkbox][checked]")]
    for select in form.select("select"):
        chosen = select.select_one("option[selected]")
        pairs.append((select["name"], chosen["value"] if chosen else ""))
    return urlencode(pairs)


def capture(chromium: str, url: str, out: Path, width: int, height: int) -> Path:
    with tempfile.TemporaryDirectory(prefix="remedy-chromium-") as profile:
        subprocess.run(
            [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             f"--screenshot={out}", url],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return out


def readme_shot(shot: Path, name: str, height: int) -> Path:
    """The top ``height`` pixels of a screenshot, saved as ``docs/NAME`` for the README."""
    from PIL import Image  # pillow comes with matplotlib

    target = ROOT / "docs" / name
    with Image.open(shot) as image:
        image.crop((0, 0, image.width, min(height, image.height))).save(target, optimize=True)
    print(target)
    return target


def views(base: str) -> dict[str, str]:
    """Every view by name -> its URL."""
    from remedy_model.web.forms import example_query

    example = example_query()
    token = upload(base, FIXTURE)
    filled = draft_query(base, token, 1)
    return {
        "form": f"{base}/",
        "result": f"{base}/suggest?{example}",
        "draft-form": f"{base}/?draft={token}&case=1",
        "draft-result": f"{base}/suggest?{filled}",
        "note": f"{base}/note?{filled}",
        "trends": f"{base}/trends",
        "docs": f"{base}/docs",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--views", default="", help="Comma-separated view names (default: all).")
    parser.add_argument(
        "--readme", action="store_true", help="Also write the README's docs/web-*.png."
    )
    args = parser.parse_args(argv)
    chromium = find_chromium()
    args.out.mkdir(parents=True, exist_ok=True)
    server, base = serve()
    try:
        wanted = {v for v in args.views.split(",") if v}
        for name, url in views(base).items():
            if wanted and name not in wanted:
                continue
            for kind, (width, height) in WIDTHS.items():
                shot = capture(chromium, url, args.out / f"{name}-{kind}.png", width, height)
                print(shot)
                if args.readme and (name, kind) in README_SHOTS:
                    readme_shot(shot, *README_SHOTS[(name, kind)])
    finally:
        server.should_exit = True


if __name__ == "__main__":
    main()

"""`jaarverslag bekijk`: the report's HTML at http://127.0.0.1:<poort>/ while you write.

A watcher looks every quarter of a second at the params, the content folder, the gemeente's data
and the templates. When a file changes, the report is rendered again (bouw/voorbeeld.py) and the
open page reloads itself: the page holds a small script (only in the preview, never in a report)
that listens to /gebeurtenissen (Server-Sent Events). A problem shows in the page as the Dutch
message a build would give. Nothing is written under reports/; Ctrl-C stops it.
"""

from __future__ import annotations

import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jinja2

from jaarverslag import paths
from jaarverslag.errors import JaarverslagFout, onverwacht

ADRES = "127.0.0.1"  # localhost only: a draft is not for the network
POORT = 8000
INTERVAL = 0.15  # seconds between two looks at the files


def _pagina(naam: str, **context) -> str:
    """A page or snippet of the preview itself (templates/bekijk/), every value escaped."""
    omgeving = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.TEMPLATES / "bekijk"), autoescape=True)
    return omgeving.get_template(naam).render(**context)


def bewaakt(gemeente: str, schooljaar: str) -> list[Path]:
    """The folders and files whose change renders the report again."""
    return [
        paths.PARAMS / gemeente / f"{schooljaar}.yaml",
        paths.PARAMS / gemeente / schooljaar,
        paths.DATA / gemeente,
        paths.DATA,
        paths.TEMPLATES,
    ]


def stand(watched: list[Path]) -> dict[str, tuple[int, int]]:
    """Every watched file's modification time and size (data/ only its own files, not the gemeenten's)."""
    found = {}
    for place in watched:
        if place.is_file():
            found[str(place)] = _stamp(place)
        elif place.is_dir():
            files = place.glob("*") if place == paths.DATA else place.rglob("*")
            found.update({str(p): _stamp(p) for p in files if p.is_file()})
    return found


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, -1)
    return (info.st_mtime_ns, info.st_size)


class Meekijker:
    """The page as the files are now, and its version, which goes up with every render."""

    def __init__(self, gemeente: str, schooljaar: str):
        from jaarverslag.bouw.voorbeeld import Voorbeeld  # start-up: pandas only here

        self.voorbeeld = Voorbeeld(gemeente, schooljaar)
        self.watched = bewaakt(gemeente, schooljaar)
        self.versie = 0
        self.pagina = ""
        self.gewijzigd = threading.Condition()
        self.stoppen = threading.Event()

    def maak(self) -> None:
        """Render the report (or its Dutch problem) and tell every open page."""
        try:
            page = self.voorbeeld.html()
        except JaarverslagFout as exc:
            page = _pagina("fout.html.j2", melding=str(exc))
        except Exception:  # the preview keeps running; the page says what a build would say
            page = _pagina("fout.html.j2", melding=onverwacht("Het verslag maken mislukte"))
        with self.gewijzigd:
            self.versie += 1
            script = _pagina("herlaad.html.j2", versie=self.versie)
            self.pagina = page.replace("</body>", script + "</body>", 1) if "</body>" in page else page + script
            self.gewijzigd.notify_all()

    def bewaak(self) -> None:
        """Render again whenever a watched file changes (until stopped)."""
        seen = stand(self.watched)
        while not self.stoppen.wait(INTERVAL):
            now = stand(self.watched)
            if now != seen:
                seen = now
                started = time.perf_counter()
                self.maak()
                print(f"  opnieuw gemaakt in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def _handler(meekijker: Meekijker):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            if self.path in ("/", "/index.html"):
                body = meekijker.pagina.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/gebeurtenissen":
                self._gebeurtenissen()
            else:
                self.send_error(404, "Niet gevonden")

        def _gebeurtenissen(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            told = -1
            try:
                while not meekijker.stoppen.is_set():
                    with meekijker.gewijzigd:
                        if meekijker.versie == told:
                            meekijker.gewijzigd.wait(timeout=10)
                        version = meekijker.versie
                    message = f"event: versie\ndata: {version}\n\n" if version != told else ": wacht\n\n"
                    self.wfile.write(message.encode("ascii"))
                    self.wfile.flush()
                    told = version
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format, *args):  # noqa: A002 (http.server's signature): quiet
            return

    return Handler


def bekijk(gemeente: str, schooljaar: str, poort: int = POORT) -> int:
    """Serve the live preview until Ctrl-C."""
    meekijker = Meekijker(gemeente, schooljaar)
    server = None
    try:  # a Ctrl-C or SIGTERM during the first render, or right after the address is printed, stops cleanly too
        print(f"Verslag {gemeente} {schooljaar} maken voor de voorvertoning...", file=sys.stderr, flush=True)
        meekijker.maak()
        server = ThreadingHTTPServer((ADRES, poort), _handler(meekijker))
        server.daemon_threads = True
        threading.Thread(target=meekijker.bewaak, daemon=True).start()
        host, port = server.server_address[:2]
        print(f"Meekijken op http://{host}:{port}/ (Ctrl-C stopt)", flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:  # SIGTERM too (interrupt.Afgebroken)
        print("\nGestopt.", file=sys.stderr)
    finally:
        meekijker.stoppen.set()
        with meekijker.gewijzigd:
            meekijker.gewijzigd.notify_all()
        if server is not None:
            server.server_close()
        meekijker.voorbeeld.opruimen()
    return 0

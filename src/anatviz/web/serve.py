"""Run the browser app: bind, print the address, stop cleanly on Ctrl-C."""

from __future__ import annotations

import signal
import sys

from ..hipmodel import HipModel
from ..lesson import Lesson
from ..scene.schema import Scene
from .app import ClassroomApp


def serve(model: HipModel, scene: Scene, *, port: int = 8080, host: str = "127.0.0.1",
          rendering: str = "server", lesson: Lesson | None = None) -> None:
    """Serve ``scene`` at ``http://HOST:PORT/`` until Ctrl-C (or SIGTERM).

    Parameters
    ----------
    port : int
        0 picks a free port (printed).
    host : str
        The address to bind; 127.0.0.1 (this machine only) unless a class should connect, e.g. 0.0.0.0.
    rendering : {'server', 'client'}
    lesson : Lesson, optional
        Step through a lesson (from its first step's scene) instead of showing ``scene``.
    """
    app = ClassroomApp(model, scene, rendering=rendering, lesson=lesson)
    server = app.server

    def announce(**_) -> None:
        shown = "localhost" if host in ("127.0.0.1", "localhost") else host
        what = f"lesson {lesson.name!r}" if lesson else repr(scene.name)
        print(f"anatviz: serving {what} at http://{shown}:{server.port}/  (Ctrl-C stops)", flush=True)

    server.controller.on_server_ready.add(announce)
    argv, sys.argv = sys.argv, sys.argv[:1]  # trame reads its own options from sys.argv: give it none
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        server.start(port=port, host=host, open_browser=False, show_connection_info=False, timeout=0,
                     disable_logging=True)
    except KeyboardInterrupt:
        pass
    finally:
        sys.argv = argv
        signal.signal(signal.SIGTERM, previous)
        app.close()
    print("anatviz: stopped", flush=True)

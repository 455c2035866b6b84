"""The browser app (``anatviz serve``): the window's controls and the muscle card beside a trame view.

Needs the ``web`` extra (``pip install "anatviz[web]"``); nothing here is imported until
``anatviz serve`` runs. Every browser connected to one server shares one view: what the lecturer
does, the class sees. Students who want their own run ``anatviz serve`` on their laptop.
"""

from __future__ import annotations

INSTALL_HINT = 'the browser app needs the web extra: pip install "anatviz[web]"'

__all__ = ["INSTALL_HINT"]

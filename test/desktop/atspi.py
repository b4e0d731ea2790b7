#!/usr/bin/python3
"""Reads Corral's desktop window through its accessibility tree (AT-SPI), as a
screen reader does. WebKitGTK exposes the page's roles, names and text there.

  atspi.py dump [WINDOW_TITLE]   JSON list of the window's accessible nodes, in
                                 document order: {depth, role, name, text,
                                 states, x, y, w, h} (screen pixels)

Needs Debian's python3-gi and gir1.2-atspi-2.0, and DBUS_SESSION_BUS_ADDRESS of
the session the app runs in, with an AT-SPI bus (at-spi-bus-launcher)."""
import json
import sys

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

MAX_DEPTH = 60
STATES = {'focused': Atspi.StateType.FOCUSED, 'checked': Atspi.StateType.CHECKED, 'expanded': Atspi.StateType.EXPANDED,
          'showing': Atspi.StateType.SHOWING, 'enabled': Atspi.StateType.ENABLED, 'editable': Atspi.StateType.EDITABLE}


def text_of(node):
    try:
        t = node.get_text_iface() if hasattr(node, 'get_text_iface') else node.get_text()
        if t is None:
            return ''
        return Atspi.Text.get_text(t, 0, Atspi.Text.get_character_count(t))
    except Exception:
        return ''


def walk(node, depth, out):
    if depth > MAX_DEPTH:
        return
    try:
        ext = node.get_extents(Atspi.CoordType.SCREEN)
        states = node.get_state_set()
        out.append({'depth': depth, 'role': node.get_role_name(), 'name': node.get_name() or '', 'text': text_of(node),
                    'states': [k for k, v in STATES.items() if states.contains(v)],
                    'x': ext.x, 'y': ext.y, 'w': ext.width, 'h': ext.height})
        for i in range(node.get_child_count()):
            child = node.get_child_at_index(i)
            if child is not None:
                walk(child, depth + 1, out)
    except Exception as e:  # a node that went away while we read it
        out.append({'depth': depth, 'role': 'gone', 'name': str(e)[:80], 'text': '', 'states': [], 'x': 0, 'y': 0, 'w': 0, 'h': 0})


def main():
    if len(sys.argv) < 2 or sys.argv[1] != 'dump':
        sys.exit(__doc__)
    title = sys.argv[2] if len(sys.argv) > 2 else 'Corral'
    desktop = Atspi.get_desktop(0)
    out = []
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is None:
            continue
        for j in range(app.get_child_count()):
            frame = app.get_child_at_index(j)
            if frame is not None and frame.get_role_name() == 'frame' and frame.get_name() == title:
                walk(frame, 0, out)
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()

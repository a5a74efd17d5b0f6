"""The research layer of the main window: tags, collections, notes, saved searches, the Cite
menu and undo. The logic lives in db/library.py and db/cite.py (Qt-free); this package only
shows it, and runs every write on one background thread, in order, through a QUndoStack.

It attaches to the window from outside (the reader, the filter panel and the menus get new
widgets and actions), so those files only gain a line or two.

- `writer`: the background writer and its undo commands
- `widgets`: the reader's tag/collection bar, the notes panel and browser, saved searches
- `citations`, `saved`, `list_menu`: the Cite menu, saved searches and the list's menu (mixins of Research)
- `controller`: `Research`, which wires them to the window, and `install(window)`
"""

from viewer.research.controller import Research, install

__all__ = ["Research", "install"]

"""The Compare window (Qt): the window, its panes, export to HTML/PDF, and opening it.

What the panes show is computed by the Qt-free `compare.layout`.
"""

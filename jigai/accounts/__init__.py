"""Users, roles and the permission table (permissions.py), the scope gate every model's `restrict()` is
built from (scope.py), sign-in rules, the login log, the workbench links and the menus built from
permissions (menu.py).

Bottom layer: may import jigai.core, jigai.audit and jigai.regions only; never an app above it (it names
registry.Enterprise by string, as its foreign key does).
"""

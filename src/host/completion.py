"""Tab completion for pyhost's shell, compiled into the pyhost binary.

complete(line, begin, end) returns the candidates for line[begin:end]:
module names after "import " or "from ", the attributes of a dotted name's
value after a ".", and otherwise keywords, the shell's globals and the
builtins.  Evaluating a dotted name only looks names up (getattr, which
may run a property); nothing is called, indexed or evaluated otherwise.
A completer installed with readline.set_completer (cmd, pdb, a startup
file) takes precedence, called as the readline module would call it;
rlcompleter's, which CPython installs by itself, is dropped (take_over).
"""
import builtins
import keyword
import re
import sys

_MODULE_CONTEXT = re.compile(r"\s*(import\s+([\w.]+\s*,\s*)*|from\s+)[\w.]*$")
_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def take_over():
    """Drops the completer that CPython's own REPL start-up installs.

    Before its first prompt CPython imports rlcompleter, whose import sets
    readline's completer; pyhost's completer replaces that one only.
    """
    readline = sys.modules.get("readline")
    completer = readline.get_completer() if readline is not None else None
    owner = getattr(completer, "__self__", None)
    if owner is not None and type(owner).__module__ == "rlcompleter":
        readline.set_completer(None)


def _installed_completer():
    readline = sys.modules.get("readline")
    return readline.get_completer() if readline is not None else None


def _from_completer(completer, text):
    matches = []
    for state in range(10000):
        match = completer(text, state)
        if match is None:
            break
        matches.append(match)
    return matches


def _module_names(prefix):
    import pkgutil

    package, _, _ = prefix.rpartition(".")
    if package:
        module = sys.modules.get(package)
        path = getattr(module, "__path__", None)
        if path is None:
            return []
        names = {package + "." + info.name
                 for info in pkgutil.iter_modules(path)}
    else:
        names = set(sys.builtin_module_names)
        names.update(info.name for info in pkgutil.iter_modules())
    return sorted(name for name in names if name.startswith(prefix))


def _attribute_names(text, namespace):
    expression, _, prefix = text.rpartition(".")
    if not _DOTTED.match(expression):
        return []
    first, *rest = expression.split(".")
    try:
        value = namespace[first] if first in namespace else getattr(
            builtins, first)
        for name in rest:
            value = getattr(value, name)
    except Exception:
        return []
    names = set(dir(value))
    if not prefix.startswith("_"):
        names = {name for name in names if not name.startswith("_")}
    matches = []
    for name in sorted(names):
        if name.startswith(prefix):
            try:
                suffix = "(" if callable(getattr(value, name)) else ""
            except Exception:
                suffix = ""
            matches.append(f"{expression}.{name}{suffix}")
    return matches


def _global_names(text, namespace):
    """Keywords, globals and builtins, decorated as rlcompleter does: a
    space or colon after a keyword, "(" after a callable."""
    matches = set()
    for word in keyword.kwlist:
        if word.startswith(text):
            if word in {"finally", "try"}:
                word += ":"
            elif word not in {"False", "None", "True", "break", "continue",
                              "pass", "else"}:
                word += " "
            matches.add(word)
    for scope in (namespace, builtins.__dict__):
        for name, value in scope.items():
            hidden = name.startswith("__") and not text.startswith("_")
            if name.startswith(text) and not hidden:
                matches.add(name + "(" if callable(value) else name)
    return sorted(matches)


def complete(line, begin, end):
    text = line[begin:end]
    completer = _installed_completer()
    if completer is not None:
        return _from_completer(completer, text)
    if _MODULE_CONTEXT.match(line[:end]):
        return _module_names(text)
    namespace = sys.modules["__main__"].__dict__
    if "." in text:
        return _attribute_names(text, namespace)
    return _global_names(text, namespace)

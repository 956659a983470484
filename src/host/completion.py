"""Tab completion for pyhost's shell, built into the pyhost binary.

complete(line, begin, end) returns the candidates for line[begin:end]:
module names after "import " or "from ", the attributes of a dotted name's
value after a ".", and otherwise keywords, the shell's globals and the
builtins.  The rules are rlcompleter's, which python3.11's shell uses:
"_" names are offered once "_" is typed, "__" names once "__" is; a
callable gets "(", or "()" when it takes no argument.  This code never
reads a property's value: one is offered without its value being read,
and a dotted name that goes through one is not completed (dir() of the
value may still run the class's __dir__, or a __class__ property).
Other attribute lookups (descriptors, __getattr__) run, as in
rlcompleter; nothing is called, indexed or evaluated otherwise.  (A blank
word, and completers set with readline.set_completer, are handled in
completion.c.)  Compiled at the first Tab, so that what this imports costs
the shell's start-up nothing.
"""
import builtins
import keyword
import re
import sys

_MODULE_CONTEXT = re.compile(r"\s*(import\s+([\w.]+\s*,\s*)*|from\s+)[\w.]*$")


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


def _callable_postfix(value, word):
    """rlcompleter's: "(" after a callable, "()" when it takes nothing."""
    if callable(value):
        import inspect

        word += "("
        try:
            if not inspect.signature(value).parameters:
                word += ")"
        except (ValueError, TypeError):
            pass
    return word


def _class_attribute(value, name):
    """What the class of value holds under name (looked up in the MRO's
    dictionaries, so that no descriptor runs), or None."""
    for klass in type(value).__mro__:
        namespace = vars(klass)
        if name in namespace:
            return namespace[name]
    return None


def _is_property(value, name):
    return isinstance(_class_attribute(value, name), property)


def _class_members(klass):
    """rlcompleter's get_class_members: the names of klass and its bases."""
    names = set(dir(klass))
    for base in getattr(klass, "__bases__", ()):
        names |= _class_members(base)
    return names


def _value_of(expression, namespace):
    """The value of a dotted name, looked up without running a property;
    raises LookupError when it cannot be had."""
    first, *rest = expression.split(".")
    if first in namespace:
        value = namespace[first]
    elif hasattr(builtins, first):
        value = getattr(builtins, first)
    else:
        raise LookupError(first)
    for name in rest:
        if _is_property(value, name):
            raise LookupError(name)
        value = getattr(value, name)
    return value


def _attribute_names(text, namespace):
    expression, _, attribute = text.rpartition(".")
    parts = expression.split(".")
    if not all(part.isidentifier() for part in parts):
        return []
    if attribute and not attribute.isidentifier():
        return []
    try:
        value = _value_of(expression, namespace)
        words = set(dir(value))
        words.discard("__builtins__")
        # type(), not value.__class__, which may be a property (mocks).
        words.add("__class__")
        words |= _class_members(type(value))
    except Exception:
        return []
    if attribute == "":
        hidden = ["_", "__", None]
    elif attribute == "_":
        hidden = ["__", None]
    else:
        hidden = [None]
    for noprefix in hidden:
        matches = []
        for word in words:
            if not word.startswith(attribute):
                continue
            if noprefix and word.startswith(noprefix):
                continue
            match = f"{expression}.{word}"
            if _is_property(value, word):
                matches.append(match)  # its value would run its getter
                continue
            try:
                attribute_value = getattr(value, word)
                match = _callable_postfix(attribute_value, match)
            except Exception:
                pass
            matches.append(match)
        if matches:
            break
    return sorted(matches)


def _global_names(text, namespace):
    """Keywords, globals and builtins, decorated as rlcompleter does: a
    space or colon after a keyword, "(" or "()" after a callable."""
    matches = []
    seen = {"__builtins__"}
    for word in keyword.kwlist:
        if word.startswith(text):
            seen.add(word)
            if word in {"finally", "try"}:
                word += ":"
            elif word not in {"False", "None", "True", "break", "continue",
                              "pass", "else"}:
                word += " "
            matches.append(word)
    for scope in (namespace, builtins.__dict__):
        for name, value in list(scope.items()):
            if name.startswith(text) and name not in seen:
                seen.add(name)
                try:
                    matches.append(_callable_postfix(value, name))
                except Exception:
                    matches.append(name)
    return sorted(matches)


def complete(line, begin, end):
    text = line[begin:end]
    if _MODULE_CONTEXT.match(line[:end]):
        return _module_names(text)
    namespace = sys.modules["__main__"].__dict__
    if "." in text:
        return _attribute_names(text, namespace)
    return _global_names(text, namespace)

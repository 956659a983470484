"""Signature hints and obj? help for pyhost's shell, compiled into the
pyhost binary.

call_hint(line) gives the signature of the callable whose call the line
opens ("len(" gives "len(obj, /)"), hint(expression) that of a callable
named by a dotted name, help_gesture(line, rows) shows help(obj)'s first
screen for a line "obj?" (and its source for "obj??").

Values are looked up as inspect.getattr_static looks attributes up, so
that no property, descriptor or __getattr__ runs: a dotted name that goes
through a property (or any descriptor but a function, a method
descriptor, staticmethod and classmethod) gets no hint.  The one code
that may run is inspect.signature's own (a __signature__ attribute, a
metaclass's __call__ looked up); Ctrl-C interrupts it.
"""
import builtins
import inspect
import re
import sys
import types

_NAME = r"[^\W\d]\w*"
_DOTTED = rf"{_NAME}(?:\s*\.\s*{_NAME})*"
_CALL_OPENED = re.compile(rf"(?<![\w.])({_DOTTED})\($")
_HELP_LINE = re.compile(rf"\s*({_DOTTED})\s*(\?\??)\s*")

# Function-like attributes of a class: found on an instance's type, they
# become bound methods (their first parameter is the instance).
_METHOD_TYPES = (types.FunctionType, types.MethodDescriptorType,
                 types.WrapperDescriptorType, types.BuiltinFunctionType)


class _NotFound(LookupError):
    pass


def _namespace():
    return sys.modules["__main__"].__dict__


def _in_instance_dict(value, name):
    try:
        namespace = object.__getattribute__(value, "__dict__")
    except AttributeError:
        return False
    return isinstance(namespace, dict) and name in namespace


def _attribute(value, name, last=False):
    """value.name looked up statically: (attribute, bound) where bound
    tells that its first parameter is taken already.  A descriptor that
    is not a function (a property) is no value, unless `last` asks for
    the descriptor itself (for its help)."""
    try:
        attribute = inspect.getattr_static(value, name)
    except AttributeError:
        raise _NotFound(name) from None
    if isinstance(value, types.ModuleType) or _in_instance_dict(value, name):
        return attribute, False
    if isinstance(attribute, staticmethod):
        return attribute.__func__, False
    if isinstance(attribute, classmethod):
        return attribute.__func__, True
    if isinstance(value, type):
        # On a class: its functions unbound, as Class.method gives them.
        if isinstance(attribute, _METHOD_TYPES +
                      (types.ClassMethodDescriptorType,)):
            return attribute, isinstance(attribute,
                                         types.ClassMethodDescriptorType)
    elif isinstance(attribute, _METHOD_TYPES):
        return attribute, not isinstance(attribute, types.BuiltinFunctionType)
    if hasattr(type(attribute), "__get__") and not last:
        raise _NotFound(name)  # a property, or another descriptor
    return attribute, False


def lookup(expression, descriptor=False):
    """The value of a dotted name in the shell's namespace or builtins,
    and whether its first parameter is bound, found without running any
    descriptor (with `descriptor`, the last name may give a descriptor
    itself, such as a property); raises LookupError when it cannot be
    had so."""
    first, *rest = [part.strip() for part in expression.split(".")]
    namespace = _namespace()
    if first in namespace:
        value = namespace[first]
    elif first in builtins.__dict__:
        value = builtins.__dict__[first]
    else:
        raise _NotFound(first)
    bound = False
    for index, name in enumerate(rest):
        value, bound = _attribute(value, name,
                                  descriptor and index == len(rest) - 1)
    return value, bound


def _signature_text(value, bound):
    try:
        signature = inspect.signature(value)
    except (ValueError, TypeError):
        signature = None
    if signature is not None:
        if bound:
            parameters = list(signature.parameters.values())[1:]
            signature = signature.replace(parameters=parameters)
        return str(signature)
    # No signature (print, int in python3.11): the docstring's first line
    # when it gives one.
    doc = _own_doc(value)
    if doc:
        first = doc.strip().splitlines()[0]
        found = re.match(rf"{_NAME}(\(.*\))", first)
        if found:
            return found[1]
    return None


def _own_doc(value):
    """The docstring, read without running Python code: a class's from
    its own namespace, a C function's from its C attribute."""
    if isinstance(value, type):
        doc = value.__dict__.get("__doc__")
    elif isinstance(value, _METHOD_TYPES):
        doc = value.__doc__
    else:
        try:
            doc = inspect.getattr_static(value, "__doc__")
        except AttributeError:
            return None
    return doc if isinstance(doc, str) else None


def hint(expression):
    """The hint for the callable that a dotted name (as completed, with
    its "(" or "()") names, or None."""
    expression = expression.rstrip("()").strip()
    try:
        value, bound = lookup(expression)
    except LookupError:
        return None
    if not callable(value):
        return None
    text = _signature_text(value, bound)
    return None if text is None else re.sub(r"\s+", "", expression) + text


def call_hint(before):
    """The hint for a Tab right after "name(": `before` is the line up to
    the cursor."""
    found = _CALL_OPENED.search(before)
    if found is None:
        return None
    return hint(found[1])


def _first_screen(text, rows, expression, what):
    lines = text.rstrip("\n").splitlines()
    room = max(rows - 2, 3)
    if len(lines) > room:
        more = len(lines) - room + 1
        lines = lines[:room - 1] + [
            f"[{more} more lines: {what}({expression}) shows them all]"]
    return "\n".join(lines) + "\n"


def _help_text(value, expression):
    import pydoc

    if isinstance(value, (str, bytes)):
        value = type(value)  # help() would look a topic up by its text
    return pydoc.render_doc(value, "Help on %s:", renderer=pydoc.plaintext)


def help_gesture(line, rows):
    """For a line "obj?" or "obj??" that is not valid Python otherwise:
    prints help(obj)'s first screen (its source, for "obj??") and returns
    True; False when the line is anything else."""
    found = _HELP_LINE.fullmatch(line)
    if found is None:
        return False
    try:
        compile(line, "<stdin>", "single")
        return False  # valid Python after all
    except SyntaxError:
        pass
    expression = re.sub(r"\s+", "", found[1])
    try:
        value, _ = lookup(expression, descriptor=True)
    except LookupError:
        return False
    if found[2] == "??":
        try:
            text = inspect.getsource(value)
            what = "inspect.getsource"
        except (OSError, TypeError) as error:
            text = (f"[no source for {expression} ({error}); its help:]\n" +
                    _help_text(value, expression))
            what = "help"
    else:
        text = _help_text(value, expression)
        what = "help"
    sys.stdout.write(_first_screen(text, rows, expression, what))
    sys.stdout.flush()
    return True

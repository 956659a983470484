"""Coloured tracebacks for pyhost's shell, compiled into the pyhost binary.

print_exception(type, value, traceback) prints what python3.11's
sys.__excepthook__ prints, in python3.13's colours (its traceback module
with colorize=True): the exception's type in bold magenta and its message
in magenta; in each frame line the file name, line number and function
name in magenta; under a source line the carets that point at the
failing expression in red (bold for "^", plain for "~"), and the same
columns of the source line.  The text is python3.11's to the character:
it is formatted by the traceback module (whose text python3.11's C
printer matches) and checked against what sys.__excepthook__ itself
prints, which is printed instead, uncoloured, should the two differ.
"""
import io
import re
import sys
import traceback

RESET = "\x1b[0m"
MAGENTA = "\x1b[35m"
BOLD_MAGENTA = "\x1b[1;35m"
RED = "\x1b[31m"
BOLD_RED = "\x1b[1;31m"

_ESCAPE = re.compile("\x1b\\[[0-9;]*m")
_CARETS = re.compile(r"( *)([~^][ ~^]*)\n?")
_FRAME_LINE = re.compile(r'  File "(.*)", line (\d+)(, in (.*))?\n')


def _decolour(text):
    return _ESCAPE.sub("", text)


def _mark_columns(line, carets, start):
    """line and its caret line (both from column `start` on), with the
    columns under "^" in bold red and those under "~" in red."""
    def paint(text, marks):
        out, current = [], None
        for index, char in enumerate(text):
            mark = marks[index] if index < len(marks) else " "
            colour = {"^": BOLD_RED, "~": RED}.get(mark)
            if colour != current:
                if current is not None:
                    out.append(RESET)
                if colour is not None:
                    out.append(colour)
                current = colour
            out.append(char)
        if current is not None:
            out.append(RESET)
        return "".join(out)
    marks = carets[start:]
    body, newline = (line[:-1], "\n") if line.endswith("\n") else (line, "")
    caret_body, caret_newline = ((carets[:-1], "\n") if carets.endswith("\n")
                                 else (carets, ""))
    return (body[:start] + paint(body[start:], marks) + newline,
            caret_body[:start] + paint(caret_body[start:], caret_body[start:])
            + caret_newline)


def _colour_location(line):
    """'  File "name", line N[, in function]' in colour."""
    found = _FRAME_LINE.fullmatch(line)
    if found is None:
        return line
    text = (f'  File {MAGENTA}"{found[1]}"{RESET}, '
            f'line {MAGENTA}{found[2]}{RESET}')
    if found[3] is not None:
        text += f", in {MAGENTA}{found[4]}{RESET}"
    return text + "\n"


def _colour_source_lines(lines):
    """A frame's or a syntax error's lines: the location line, and a
    source line with its carets, each coloured in place."""
    lines = list(lines)
    for index, line in enumerate(lines):
        if _FRAME_LINE.fullmatch(line):
            lines[index] = _colour_location(line)
        elif (index >= 1 and _CARETS.fullmatch(line[4:]) and
              line.startswith("    ") and
              lines[index - 1].startswith("    ") and
              not _CARETS.fullmatch(lines[index - 1][4:])):
            start = 4 + len(_CARETS.fullmatch(line[4:])[1])
            lines[index - 1], lines[index] = _mark_columns(
                lines[index - 1], line, start)
    return lines


class _ColouredStack(traceback.StackSummary):
    def format_frame_summary(self, frame_summary):
        text = super().format_frame_summary(frame_summary)
        return "".join(_colour_source_lines(text.splitlines(keepends=True)))


def _type_name(exc_type):
    """The name python3.11 prints for the exception's type."""
    name = exc_type.__qualname__
    module = exc_type.__module__
    if module not in ("__main__", "builtins"):
        if not isinstance(module, str):
            module = "<unknown>"
        name = module + "." + name
    return name


def _colour_final_line(chunk, name):
    """'Type: message' (or 'Type') in python3.13's colours."""
    body, newline = (chunk[:-1], "\n") if chunk.endswith("\n") else (chunk, "")
    if body == name:
        return f"{BOLD_MAGENTA}{name}{RESET}{newline}"
    if body.startswith(name + ": "):
        message = body[len(name) + 2:]
        return (f"{BOLD_MAGENTA}{name}{RESET}: "
                f"{MAGENTA}{message}{RESET}{newline}")
    return chunk


def _coloured_exception_only(exception, original):
    """format_exception_only() of a TracebackException, coloured: the
    first chunk is the final line (or, for a SyntaxError, the location,
    source and carets, then the final line); notes follow, uncoloured."""
    def format_exception_only():
        chunks = list(original())
        if exception.exc_type is None:
            return chunks
        name = _type_name(exception.exc_type)
        if issubclass(exception.exc_type, SyntaxError):
            # The location, source and caret lines, then the final line.
            final = next((index for index, chunk in enumerate(chunks)
                          if chunk.startswith(name + ":")), None)
            if final is None:
                return chunks
            return (_colour_source_lines(chunks[:final]) +
                    [_colour_final_line(chunks[final], name)] +
                    chunks[final + 1:])
        if chunks:
            chunks[0] = _colour_final_line(chunks[0], name)
        return chunks
    return format_exception_only


def _colour(exception, seen):
    """Makes a TracebackException, and those it chains to, format in
    colour."""
    if exception is None or id(exception) in seen:
        return
    seen.add(id(exception))
    if isinstance(exception.stack, traceback.StackSummary):
        exception.stack.__class__ = _ColouredStack
    exception.format_exception_only = _coloured_exception_only(
        exception, exception.format_exception_only)
    _colour(exception.__cause__, seen)
    _colour(exception.__context__, seen)
    for inner in exception.exceptions or ():
        _colour(inner, seen)


def _plain_text(exc_type, value, tb):
    """What sys.__excepthook__ prints for the exception."""
    stderr = sys.stderr
    captured = io.StringIO()
    sys.stderr = captured
    try:
        sys.__excepthook__(exc_type, value, tb)
    finally:
        sys.stderr = stderr
    return captured.getvalue()


def coloured_text(exc_type, value, tb):
    exception = traceback.TracebackException(exc_type, value, tb,
                                             compact=True)
    _colour(exception, set())
    return "".join(exception.format())


def print_exception(exc_type, value, tb):
    plain = _plain_text(exc_type, value, tb)
    try:
        text = coloured_text(exc_type, value, tb)
    except Exception:
        text = plain
    if _decolour(text) != plain:
        text = plain
    sys.stderr.write(text)
    sys.stderr.flush()

"""Tests of pyhost's interactive shell through a real pseudo-terminal.

Usage: python3.11 tests/tty/run.py --pyhost PATH [--reference PYTHON]
                                   [-k SUBSTRING] [-v]

Each case starts pyhost under pexpect (which makes its own pseudo-terminal,
so the tests run the same with no terminal on standard input) with HOME,
PYHOST_HISTFILE and INPUTRC in a fresh directory, no PYTHON* variables and
NO_COLOR=1 (but in the cases about colour, and in some cases run again
with colour on, read through a terminal that drops colours), types at it,
and checks what the terminal shows, exit statuses and the history file.  Where the point is parity with python3.11 ("never worse
than python3.11's shell"), a case types the same keys at the reference
interpreter (--reference, /usr/bin/python3.11 by default) and requires
the same outcome of both.  The last line is "N passed, N failed[, N
skipped]".
"""
import io
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import pexpect

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TESTS)
import harness  # noqa: E402
from harness import check  # noqa: E402

TIMEOUT = 10
PROMPT = ">>> "
UP = "\x1b[A"
CTRL_U = "\x15"
REFERENCE = "/usr/bin/python3.11"  # --reference


# Colour (issue 16) is off unless a case asks for it: the cases written
# before it read back the echo of what they type, which highlighting
# interleaves with escape sequences.  (colour_keeps_old_behaviour runs
# some of them with colour on, through a terminal that drops colours.)
COLOUR_ENV = {"NO_COLOR": "1"}
COLOUR_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "PYTHON_COLORS")
DECOLOUR = False  # read the shell through a terminal that drops colours

# A colour (SGR) escape sequence, and the start of one cut short.
SGR = re.compile("\x1b\\[[0-9;]*m")
SGR_START = re.compile("\x1b(\\[[0-9;]*)?$")


class Decolouring:
    """Drops colour sequences from text that comes in pieces."""

    def __init__(self):
        self.held = ""

    def __call__(self, text):
        text = self.held + text
        cut = SGR_START.search(text)
        self.held = text[cut.start():] if cut else ""
        return SGR.sub("", text[:cut.start()] if cut else text)


class DecolouredSpawn(pexpect.spawn):
    """pexpect's spawn, whose reads come without colour sequences."""

    def __init__(self, *args, **kwargs):
        self._decolour = Decolouring()
        super().__init__(*args, **kwargs)

    def read_nonblocking(self, size=1, timeout=-1):
        return self._decolour(super().read_nonblocking(size, timeout))


class DecolouredTranscript(io.StringIO):
    def __init__(self):
        super().__init__()
        self._decolour = Decolouring()

    def write(self, text):
        return super().write(self._decolour(text))


class Shell:
    """One pyhost in a pseudo-terminal, in its own home directory.  A
    variable of `env` whose value is None is unset."""

    def __init__(self, pyhost, home, args=(), env=None, command=None,
                 dimensions=(40, 200)):
        environment = {k: v for k, v in os.environ.items()
                       if not k.startswith("PYTHON") and
                       k not in COLOUR_VARIABLES}
        environment.update(HOME=home, TERM="xterm", LC_ALL="C.UTF-8",
                           PYHOST_HISTFILE=os.path.join(home, "history"),
                           INPUTRC=os.path.join(home, "inputrc"))
        environment.update(COLOUR_ENV)
        environment.update(env or {})
        environment = {k: v for k, v in environment.items() if v is not None}
        if command is None:
            command, args = pyhost, list(args)
        spawn = DecolouredSpawn if DECOLOUR else pexpect.spawn
        self.child = spawn(command, list(args), env=environment,
                           cwd=home, encoding="utf-8",
                           timeout=TIMEOUT, dimensions=dimensions)
        # everything the terminal showed
        self.transcript = (DecolouredTranscript() if DECOLOUR
                           else io.StringIO())
        self.child.logfile_read = self.transcript

    def expect(self, pattern):
        self.child.expect(pattern)
        return self.child.before

    def prompt(self):
        return self.expect(re.escape(PROMPT))

    def more(self, text):
        """Types a line that opens or goes on with a block; waits for the
        continuation prompt."""
        self.child.send(text + "\r")
        return self.expect(re.escape("... "))

    def line(self, text):
        """Types a line and returns what appeared up to the next prompt."""
        self.child.send(text + "\r")
        return self.prompt()

    def exit(self):
        """Ctrl-D, as at an empty prompt; returns what finish() does."""
        self.child.sendeof()
        return self.finish()

    def finish(self):
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus, self.child.signalstatus


def quiet_shell(program, home):
    """`program -q` in a pseudo-terminal, at its first prompt."""
    shell = Shell(program, home, ["-q"])
    shell.prompt()
    return shell


def make_home():
    home = tempfile.mkdtemp(prefix="pyhost-tty-")
    with open(os.path.join(home, "inputrc"), "w") as out:
        out.write("set enable-bracketed-paste off\n")
    return home


def read_history(home):
    with open(os.path.join(home, "history")) as history:
        return history.read().splitlines()


# ---- the cases: each takes (pyhost, home) and raises on failure ----

def banner(pyhost, home):
    shell = Shell(pyhost, home)
    text = shell.prompt()
    check(re.search(r"pyhost \d+\.\d+\.\d+, Python 3\.11\.\d+", text), text)
    check("Built-in modules: point, hashset, hash_set" in text, text)
    check('Type "help", "copyright", "credits" or "license"' in text, text)
    check(shell.exit() == (0, None), "Ctrl-D did not exit with 0")


def quiet_hides_banner(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    text = shell.prompt()
    check("pyhost" not in text and "Type" not in text, text)
    shell.exit()


def echo_and_underscore(pyhost, home):
    shell = quiet_shell(pyhost, home)
    check("Point(x=1.0, y=2.0)" in shell.line("__import__('point').Point(1, 2)"),
          "no echo of the repr")
    check("2.0" in shell.line("_.y"), "_ does not hold the last value")
    shell.exit()


def multi_line_block(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.more("for i in range(3):")
    shell.more("    print(i * 10)")
    output = shell.line("")
    check(re.search(r"0\s+10\s+20", output), output)
    shell.exit()


def traceback_then_prompt(pyhost, home):
    shell = quiet_shell(pyhost, home)
    output = shell.line("1 / 0")
    check("Traceback" in output and "ZeroDivisionError" in output, output)
    check("42" in shell.line("6 * 7"), "the shell did not go on")
    check(shell.exit() == (0, None), "bad exit status")


def ctrl_c_discards_line(pyhost, home):
    shell = quiet_shell(pyhost, home)
    # Several times, as a person would: type, see the text, press Ctrl-C.
    # (Ctrl-C sent within microseconds of the text can make the terminal
    # driver discard output, python3.11's shell and pyhost's alike.)
    for _ in range(5):
        shell.child.send("half_typed_garbage")
        shell.expect("half_typed_garbage")
        time.sleep(0.1)
        shell.child.sendintr()
        output = shell.prompt()
        check("KeyboardInterrupt" in output, output)
    output = shell.line("6 * 7")
    check("42" in output and "half_typed" not in output, output)
    check(shell.exit() == (0, None), "bad exit status")


def ctrl_c_interrupts_code(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.more("while True: pass")
    shell.child.send("\r")
    time.sleep(0.3)
    shell.child.sendintr()
    output = shell.prompt()
    check("KeyboardInterrupt" in output and "Traceback" in output, output)
    check("ok" in shell.line("print('ok')"), "the shell did not go on")
    check(shell.exit() == (0, None), "bad exit status")


def exit_and_quit(pyhost, home):
    for command, status in (("exit()", 0), ("quit()", 0), ("exit(3)", 3),
                            ("raise SystemExit(4)", 4)):
        shell = quiet_shell(pyhost, home)
        shell.child.send(command + "\r")
        check(shell.finish() == (status, None), f"{command}: bad status")


def history_written_and_recalled(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.line("remembered = 6 * 7")
    shell.exit()
    path = os.path.join(home, "history")
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "mode is not 0600")
    check("remembered = 6 * 7" in read_history(home), read_history(home))
    shell = quiet_shell(pyhost, home)
    shell.child.send(UP)
    time.sleep(0.2)
    shell.child.send("\r")
    shell.prompt()
    check("42" in shell.line("remembered"), "the recalled line did not run")
    shell.exit()


def history_size_cap(pyhost, home):
    for batch in (["a = 1", "b = 2"], ["c = 3", "d = 4", "e = 5"]):
        shell = Shell(pyhost, home, ["-q"], env={"PYHOST_HISTSIZE": "3"})
        shell.prompt()
        for line in batch:
            shell.line(line)
        shell.exit()
    check(read_history(home) == ["c = 3", "d = 4", "e = 5"],
          read_history(home))


def two_shells_keep_lines(pyhost, home):
    first = Shell(pyhost, home, ["-q"])
    second = Shell(pyhost, home, ["-q"])
    first.prompt()
    second.prompt()
    first.line("from_first = 1")
    second.line("from_second = 2")
    first.exit()
    second.exit()
    lines = read_history(home)
    check("from_first = 1" in lines and "from_second = 2" in lines, lines)


def unwritable_history_warns_once(pyhost, home):
    blocker = os.path.join(home, "not-a-directory")
    open(blocker, "w").close()
    shell = Shell(pyhost, home, ["-q"], env={
        "PYHOST_HISTFILE": os.path.join(blocker, "history")})
    shell.prompt()
    check("42" in shell.line("6 * 7"), "the shell does not work")
    check(shell.exit() == (0, None), "bad exit status")
    output = shell.transcript.getvalue()
    warnings = [line for line in output.splitlines() if "history" in line]
    check(len(warnings) == 1 and warnings[0].startswith("pyhost: cannot"),
          output)


def unreadable_history_warns_once(pyhost, home):
    os.mkdir(os.path.join(home, "history"))  # a directory: read fails
    shell = Shell(pyhost, home, ["-q"])
    text = shell.prompt()
    check(text.count("pyhost: cannot read history file") == 1, text)
    check("42" in shell.line("6 * 7"), "the shell does not work")
    shell.child.sendeof()
    output = shell.child.read()
    shell.child.close()
    check("history" not in output, "a second warning: " + output)
    check(shell.child.exitstatus == 0, "bad exit status")


def complete(shell, text, *expected):
    """Types text and presses TAB three times (as in bash: the first may
    extend the word to the choices' common prefix, a TAB that changes
    nothing rings, the next lists the choices); waits until every expected
    word has appeared, then clears the line."""
    start = len(shell.transcript.getvalue())
    shell.child.send(text)
    for _ in range(3):
        shell.child.send("\t")
        time.sleep(0.3)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        shown = shell.transcript.getvalue()[start:]
        if all(word in shown for word in expected):
            break
        try:
            shell.child.read_nonblocking(100000, timeout=0.2)
        except pexpect.TIMEOUT:
            pass
    shell.child.send("\x15")  # Ctrl-U: drop the line
    return shown


def completion_of_attributes(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.line("from point import Point; p = Point(1, 2)")
    shown = complete(shell, "p.", "p.x", "p.y")
    check("p.x" in shown and "p.y" in shown, repr(shown))
    shell.exit()


def completion_of_modules(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shown = complete(shell, "import has", "hashset", "hash_set")
    check("hashset" in shown and "hash_set" in shown, repr(shown))
    shell.child.send("from poi\t")
    time.sleep(0.3)
    check("done" in shell.line(" import Point; print('done')"),
          "from poi did not complete to point")
    shell.exit()


def completion_of_globals(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.line("a_rather_unique_name = 41")
    shell.child.send("a_rather_uni\t")
    time.sleep(0.3)
    check("42" in shell.line(" + 1"), "the global name was not completed")
    shell.exit()


def isolated_has_line_editing(pyhost, home):
    shell = Shell(pyhost, home, ["-I", "-q"])
    shell.prompt()
    shell.line("isolated_value = 7 * 6")
    shell.child.send(UP + "\x01")  # recall, then go to the line's start
    time.sleep(0.2)
    check("42" in shell.line("print(isolated_value) #"),
          "no line editing under -I")
    shown = complete(shell, "isolated_va", "isolated_value")
    check("isolated_value" in shown, repr(shown))
    shell.exit()
    check(not os.path.exists(os.path.join(home, "history")),
          "-I wrote a history file")


def import_readline_keeps_working(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.line("import readline, rlcompleter")
    check("42" in shell.line("6 * 7"), "input broke after import readline")
    check(shell.exit() == (0, None), "bad exit status")


def inspect_after_script(pyhost, home):
    script = os.path.join(home, "script.py")
    with open(script, "w") as out:
        out.write("answer = 42\nprint('script ran')\n")
    shell = Shell(pyhost, home, ["-i", script])
    text = shell.prompt()
    check("script ran" in text and "pyhost" not in text, text)
    check("43" in shell.line("answer + 1"), "-i lost the script's names")
    check(shell.exit() == (0, None), "bad exit status")


def terminal_mode_restored(pyhost, home):
    for ending in ("\x04", "raise SystemExit(5)\r"):
        wrapper = f"stty -g; {pyhost} -q; echo status=$?; stty -g"
        shell = Shell(pyhost, home, command="/bin/sh", args=["-c", wrapper])
        shell.prompt()
        shell.child.send("1 + 1\r")
        shell.prompt()
        shell.child.send(ending)
        shell.child.expect(pexpect.EOF)
        output = shell.transcript.getvalue()
        lines = [line.strip() for line in output.splitlines()
                 if re.fullmatch(r"[0-9a-f:]{20,}", line.strip())]
        check(len(lines) == 2 and lines[0] == lines[1],
              "stty changed: " + output)


def piped_input_writes_no_history(pyhost, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(HOME=home, PYHOST_HISTFILE=os.path.join(home, "history"))
    result = subprocess.run([pyhost], input=b"print(6 * 7)\n", env=env,
                            capture_output=True, timeout=TIMEOUT)
    check(result.stdout == b"42\n" and result.returncode == 0, result)
    check(not os.path.exists(os.path.join(home, "history")),
          "piped input wrote a history file")


# ---- python3.11's habits (issue 13): each against the reference ----

def both(pyhost, home, run):
    """run(program, home) for pyhost and the reference, each in its own
    fresh home; returns (pyhost's result, the reference's)."""
    results = []
    for program in (pyhost, REFERENCE):
        own_home = make_home()
        try:
            results.append(run(program, own_home))
        finally:
            shutil.rmtree(own_home, ignore_errors=True)
    return results


def both_give(pyhost, home, run, expected):
    """Fails unless the reference gives expected (else the case, not
    pyhost, is wrong) and pyhost gives what the reference gives."""
    mine, theirs = both(pyhost, home, run)
    check(theirs == expected, f"python3.11: {theirs!r}, the case expects "
          f"{expected!r}")
    check(mine == theirs, f"pyhost {mine!r}, python3.11 {theirs!r}")


def settle(shell, seconds=0.3):
    """Lets the shell draw, then returns what appeared meanwhile."""
    start = len(shell.transcript.getvalue())
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            shell.child.read_nonblocking(100000, timeout=0.05)
        except pexpect.TIMEOUT:
            pass
    return shell.transcript.getvalue()[start:]


def quiet(shell, idle=0.12, limit=5):
    """Lets the shell draw until it has drawn nothing for `idle` seconds
    (at most `limit` seconds)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            shell.child.read_nonblocking(100000, timeout=idle)
        except pexpect.TIMEOUT:
            return


def interrupt(shell, after):
    """Ctrl-C after `after` seconds, then lets the shell draw."""
    time.sleep(after)
    shell.child.sendintr()
    settle(shell, 0.5)


def end_shell(shell):
    shell.child.send(CTRL_U)
    return shell.exit()


def answers_after_ctrl_c(shell, keys, wanted):
    """Ctrl-C a second after what the shell is doing, then keys: whether
    what appears up to the next prompt shows wanted, or "hung" when no
    prompt comes.  Ends the shell."""
    interrupt(shell, after=1)
    shell.child.send(keys)
    try:
        output = shell.prompt()
    except pexpect.TIMEOUT:
        return "hung"
    end_shell(shell)
    return wanted in output


def tab_on_blank_word_indents(pyhost, home):
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.more("for i in range(2):")
        shell.more("\tprint(i * 7)")  # Tab, as a person types it
        output = shell.line("")
        # The same block pasted, tab-indented: all its bytes at once.
        shell.child.send("for j in range(2):\r\tprint(j * 9)\r\r")
        pasted = shell.prompt()
        end_shell(shell)
        return ("IndentationError" not in output + pasted and
                re.search(r"0\s+7\s", output) is not None and
                re.search(r"0\s+9\s", pasted) is not None), output + pasted
    (mine, text), (theirs, reference_text) = both(pyhost, home, run)
    check(theirs, "python3.11 no longer indents: " + reference_text)
    check(mine, "Tab did not indent: " + text)


def resize_is_followed(pyhost, home):
    """After the window narrows to 30 columns, a 60-character line wraps:
    going to its start (Ctrl-A) must move the cursor up a row, which
    readline does only if it learnt the new width."""
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.child.setwinsize(24, 30)
        settle(shell, 0.5)
        shell.child.send("'" + "x" * 60 + "'")
        settle(shell)
        shell.child.send("\x01")  # Ctrl-A
        moved = settle(shell)
        shell.child.send("\r")
        shell.prompt()
        end_shell(shell)
        return "\x1b[A" in moved, moved
    (mine, text), (theirs, reference_text) = both(pyhost, home, run)
    check(theirs, "python3.11 did not move up: " + repr(reference_text))
    check(mine, "the resize was not noticed: " + repr(text))


def shell_after_script(program, home, code):
    """`program -q -i script.py`, script.py holding code, at its first
    prompt."""
    script = os.path.join(home, "script.py")
    with open(script, "w") as out:
        out.write(code)
    shell = Shell(program, home, ["-q", "-i", script])
    shell.prompt()
    return shell


INPUT_HOOK = """\
import ctypes
calls = [0]
def count_call():
    calls[0] += 1
    return 0
hook = ctypes.CFUNCTYPE(ctypes.c_int)(count_call)
ctypes.c_void_p.in_dll(ctypes.pythonapi, 'PyOS_InputHook').value = \\
    ctypes.cast(hook, ctypes.c_void_p).value
"""


def input_hook_runs_at_prompt(pyhost, home):
    def run(program, home):
        shell = shell_after_script(program, home, INPUT_HOOK)
        shell.line("calls[0] = 0")
        time.sleep(2)
        output = shell.line("print('calls', calls[0])")
        end_shell(shell)
        found = re.search(r"calls (\d+)", output)
        return int(found[1]) if found else -1
    mine, theirs = both(pyhost, home, run)
    check(theirs >= 10, f"python3.11 called the hook {theirs} times in 2 s")
    check(mine >= 10, f"PyOS_InputHook called {mine} times in 2 s "
          f"(python3.11: {theirs})")


LOOPING_HOOK = """\
import ctypes
stuck = False
def stay_stuck():
    global stuck
    try:
        if stuck:
            open("hook-entered", "w").close()
        while stuck:
            pass
    finally:
        stuck = False
    return 0
hook = ctypes.CFUNCTYPE(ctypes.c_int)(stay_stuck)
ctypes.c_void_p.in_dll(ctypes.pythonapi, 'PyOS_InputHook').value = \\
    ctypes.cast(hook, ctypes.c_void_p).value
"""


def ctrl_c_reaches_input_hook(pyhost, home):
    """Python code run by PyOS_InputHook (a Tk callback) that never ends:
    Ctrl-C interrupts it (ctypes reports the exception) and the prompt
    answers again."""
    def run(program, home):
        shell = shell_after_script(program, home, LOOPING_HOOK)
        shell.line("stuck = True")
        entered = os.path.join(home, "hook-entered")
        deadline = time.monotonic() + 5
        while not os.path.exists(entered) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not os.path.exists(entered):
            end_shell(shell)
            return "the hook never ran"
        return answers_after_ctrl_c(shell, "print('alive')\r", "alive")
    both_give(pyhost, home, run, True)


def pdb_completion_sees_begidx(pyhost, home):
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.child.send("import os; bvariable = 1; breakpoint()\r")
        shell.expect(re.escape("(Pdb) "))
        shell.child.send("p bvar\t")
        value = settle(shell)
        shell.child.send("\r")
        value += shell.expect(re.escape("(Pdb) "))
        shown = complete(shell, "p os.pa", "os.path", "os.pardir")
        shell.child.send("c\r")
        shell.prompt()
        # A completer of one's own sees where the word begins and ends.
        shell.line("import readline")
        shell.line("seen = []")
        shell.line("readline.set_completer(lambda text, state: seen.append("
                   "(text, readline.get_begidx(), readline.get_endidx())))")
        shell.child.send("abc de\t")
        settle(shell)
        shell.child.send(CTRL_U)
        output = shell.line("print('seen', seen[:1])")
        end_shell(shell)
        return ("bvariable" in value and "\r\n1\r\n" in value,
                "os.path" in shown and "os.pardir" in shown,
                re.search(r"seen \[\('de', \d+, \d+\)\]", output)[0]
                if re.search(r"seen \[\('de', \d+, \d+\)\]", output)
                else output)
    both_give(pyhost, home, run, (True, True, "seen [('de', 4, 6)]"))


PROPERTY_CLASS = ("class W:\r"
                  "    reads = 0\r"
                  "    @property\r"
                  "    def watched(self): W.reads += 1; return 1\r"
                  "\r")


def completion_runs_no_property(pyhost, home):
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.child.send(PROPERTY_CLASS)
        shell.prompt()
        shell.line("w = W()")
        shown = complete(shell, "w.wat", "w.watched")
        complete(shell, "w.", "w.watched")
        output = shell.line("print('reads', W.reads)")
        end_shell(shell)
        return "w.watched" in shown, re.search(r"reads \d+", output)[0]
    both_give(pyhost, home, run, (True, "reads 0"))


STRICT_CLASS = ("class S:\r"
                "    reads = 0\r"
                "    @property\r"
                "    def inner(self): S.reads += 1; return 1\r"
                "\r")


def completion_never_runs_a_property(pyhost, home):
    """Beyond rlcompleter, which evaluates the dotted name before the last
    dot: a property on the way is not run either."""
    shell = quiet_shell(pyhost, home)
    shell.child.send(STRICT_CLASS)
    shell.prompt()
    shell.line("s = S()")
    complete(shell, "s.inner.", "s.inner.")
    complete(shell, "s.", "s.inner")
    output = shell.line("print('reads', S.reads)")
    check("reads 0" in output, output)
    end_shell(shell)


def startup_file_keeps_pyhost_completer(pyhost, home):
    """With a PYTHONSTARTUP file (or an -i script) that sets no completer,
    the one CPython's start-up installed still gives way to pyhost's,
    which runs no property on a dotted name's way (rlcompleter would)."""
    startup = os.path.join(home, "startup.py")
    with open(startup, "w") as out:
        out.write("from_startup = 1\n")
    for args, env in ((["-q"], {"PYTHONSTARTUP": startup}),
                      (["-q", "-i", startup], {})):
        shell = Shell(pyhost, home, args, env=env)
        shell.prompt()
        shell.child.send(STRICT_CLASS)
        shell.prompt()
        shell.line("s = S()")
        complete(shell, "s.inner.", "s.inner.")
        output = shell.line("print('reads', S.reads)")
        check("reads 0" in output, f"{args} {env}: {output}")
        end_shell(shell)


def first_tab_completes(pyhost, home):
    """The completer is compiled at the first Tab, not at start-up: that
    Tab completes, and so do the next ones."""
    shell = quiet_shell(pyhost, home)
    shell.child.send("Tr\t")
    time.sleep(0.3)
    check("42" in shell.line(" and 42"), "the first Tab did not complete")
    shown = complete(shell, "import has", "hashset", "hash_set")
    check("hashset" in shown and "hash_set" in shown, repr(shown))
    end_shell(shell)


MODULES = "import sys; print('modules', sorted(sys.modules))"


def shell_start_imports_only_readline(pyhost, home):
    """The shell's start-up imports the readline module and nothing else
    (no rlcompleter, inspect or re, nothing of completion.py): whatever
    the shell adds must load when first used, at the first Tab or key.
    At the first prompt, the modules are those of `-c` (the same flags,
    no shell) and readline."""
    shell = quiet_shell(pyhost, home)
    at_prompt = shell.line(MODULES)
    end_shell(shell)
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("PYTHON")}
    environment.update(HOME=home, LC_ALL="C.UTF-8")
    without_shell = subprocess.run([pyhost, "-c", MODULES], cwd=home,
                                   env=environment, capture_output=True,
                                   text=True, timeout=TIMEOUT).stdout
    found = re.search(r"modules (\[.*?\])", at_prompt)
    check(found is not None, at_prompt)
    shell_modules = set(eval(found.group(1)))
    plain_modules = set(eval(without_shell.split(" ", 1)[1]))
    check(shell_modules - plain_modules == {"readline"},
          f"the shell's start-up imported "
          f"{sorted(shell_modules - plain_modules)}")


OLD_STARTUP_RECIPE = """\
import readline, rlcompleter
readline.parse_and_bind("tab: complete")
"""


def rlcompleter_imports_as_usual(pyhost, home):
    """CPython's start-up import of rlcompleter is skipped, never the
    user's: at the prompt, in a PYTHONSTARTUP file (the old recipe above)
    and in an -i script or command, `import rlcompleter` gives the module,
    and the completer its import installs still gives way to pyhost's
    (which completes module names after "import"; rlcompleter does not)."""
    startup = os.path.join(home, "startup.py")
    with open(startup, "w") as out:
        out.write(OLD_STARTUP_RECIPE)
    probe = ("import rlcompleter, sys; print('is', "
             "type(sys.modules['rlcompleter']).__name__, "
             "rlcompleter.Completer.__name__)")
    for args, env in ((["-q"], {}), (["-q"], {"PYTHONSTARTUP": startup}),
                      (["-q", "-i", startup], {}),
                      (["-q", "-i", "-c", OLD_STARTUP_RECIPE], {})):
        shell = Shell(pyhost, home, args, env=env)
        shell.prompt()
        output = shell.line(probe)
        check("is module Completer" in output, f"{args} {env}: {output}")
        shown = complete(shell, "import has", "hashset")
        check("hashset" in shown, f"{args} {env}: {shown!r}")
        end_shell(shell)


def readline_wrappers_match_the_module(pyhost, home):
    """readline.set_completer and set_auto_history, which pyhost wraps,
    look as python3.11's do: built-in functions of the readline module,
    with their names and docstrings."""
    code = ("import readline; print([(repr(f), f.__name__, f.__module__, "
            "f.__doc__) for f in (readline.set_completer, "
            "readline.set_auto_history)])")

    def run(program, home):
        shell = quiet_shell(program, home)
        output = shell.line(code)
        end_shell(shell)
        return output.strip().splitlines()[-1]
    mine, theirs = both(pyhost, home, run)
    check("<built-in function set_completer>" in theirs, theirs)
    check(mine == theirs, f"pyhost {mine}, python3.11 {theirs}")


HANGING_CLASS = ("class Hang:\r"
                 "    def __get__(self, obj, owner=None):\r"
                 "        while True: pass\r"
                 "\r")


def complete_into_a_hang(shell):
    """Presses Tab after "v.stu", where v.stuck is a descriptor that never
    returns: completion hangs in it."""
    shell.child.send(HANGING_CLASS)
    shell.prompt()
    shell.child.send("class V: stuck = Hang()\r\r")
    shell.prompt()
    shell.line("v = V()")
    shell.child.send("v.stu\t")


def ctrl_c_interrupts_completion(pyhost, home):
    """A descriptor that never returns (completion may run descriptors
    other than properties, as rlcompleter does): Ctrl-C gets the prompt
    back, with the line as it was."""
    def run(program, home):
        shell = quiet_shell(program, home)
        complete_into_a_hang(shell)
        interrupt(shell, after=1)
        shell.child.send(CTRL_U + "print('alive')\r")
        try:
            output = shell.prompt()
        except pexpect.TIMEOUT:
            return "hung"
        shell.child.send("v.stu\t")
        interrupt(shell, after=0.5)
        shell.child.send("\x01# \r")  # the line, intact, made a comment
        kept = shell.prompt()
        end_shell(shell)
        return "alive" in output, "# v.stu" in kept
    both_give(pyhost, home, run, (True, True))


def ctrl_c_interrupts_display_hook(pyhost, home):
    """A display hook set with readline.set_completion_display_matches_hook
    that never returns: Ctrl-C gets the prompt back, the line kept."""
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.line("import readline")
        shell.child.send("def show(*args):\r    while True: pass\r\r")
        shell.prompt()
        shell.line("readline.set_completion_display_matches_hook(show)")
        shell.line("a_unique_one = 1; a_unique_two = 2")
        shell.child.send("a_uniq\t")  # to the common prefix
        settle(shell)
        shell.child.send("\t\t")  # nothing to add, then the list
        # The line, intact, made a comment:
        return answers_after_ctrl_c(shell, "\x01# \r", "# a_unique_")
    both_give(pyhost, home, run, True)


def write_inputrc(home, text):
    with open(os.path.join(home, "inputrc"), "w") as out:
        out.write("set enable-bracketed-paste off\n" + text)


def inputrc_bindings_win(pyhost, home):
    def run(program, home):
        write_inputrc(home, "TAB: menu-complete\n")
        shell = quiet_shell(program, home)
        shell.line("a_unique_one = 1; a_unique_two = 2")
        shell.child.send("a_uniq\t")  # menu-complete: the first match
        output = settle(shell) + shell.line("")
        end_shell(shell)
        return "a_unique_one" in output and "\r\n1\r\n" in output
    mine, theirs = both(pyhost, home, run)
    check(theirs, "python3.11 ignored TAB: menu-complete")
    check(mine, "TAB: menu-complete in INPUTRC lost to pyhost's binding")


BRACKETED_PASTE = ("import ctypes; print('bracketed', ctypes.c_int.in_dll("
                   "ctypes.CDLL('libreadline.so.8'), "
                   "'_rl_enable_bracketed_paste').value)")


def inputrc_settings_win(pyhost, home):
    """completion-ignore-case on: Tab extends "zq" to the prefix that
    zqA_one and zqa_two share but for case, as python3.11 does (pyhost
    used to override it with a case-sensitive prefix of its own).  And
    enable-bracketed-paste off, which pyhost turns on by default (issue
    16), stays off."""
    def run(program, home):
        write_inputrc(home, "set completion-ignore-case on\n"
                      "set enable-bracketed-paste off\n")
        shell = quiet_shell(program, home)
        shell.line("zqA_one = 1; zqa_two = 2")
        completed = line_after_tab(shell, "zq")
        output = shell.line(BRACKETED_PASTE)
        end_shell(shell)
        return completed, re.search(r"bracketed \d", output)[0]
    both_give(pyhost, home, run, ("zqA_", "bracketed 0"))


def line_after_tab(shell, typed):
    """Types `typed` and Tab, then prints the line as it then stands,
    quoted (Ctrl-A, print(repr(', Ctrl-E, ')): the line, or None."""
    shell.child.send(typed + "\t")
    settle(shell, 0.5)
    shell.child.send("\x01print(repr('\x05'))\r")
    completed = re.search(r"'([^']*)'\r\n", shell.prompt())
    return completed[1] if completed else None


def completion_prefix_keeps_whole_characters(pyhost, home):
    """Two names that share a first byte of their second character
    (U+00F1, U+00F3: C3 B1, C3 B3): Tab inserts no half of it, as
    python3.11's readline does not."""
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.line("z\u00f11 = 1; z\u00f32 = 2")
        completed = line_after_tab(shell, "z")
        end_shell(shell)
        return completed
    both_give(pyhost, home, run, "z")


IF_PYTHON = ('$if python\n"\\C-xp": "print(\'in python section\')"\n$endif\n'
             '$if pyhost\n"\\C-xh": "print(\'in pyhost section\')"\n$endif\n')


def inputrc_if_python_sections(pyhost, home):
    results = {}
    for program, args in ((REFERENCE, []), (pyhost, []), (pyhost, ["-I"])):
        own_home = make_home()
        write_inputrc(own_home, IF_PYTHON)
        shell = Shell(program, own_home, ["-q"] + args)
        shell.prompt()
        shell.child.send("\x18p")
        settle(shell)
        python_section = "in python section" in shell.line("")
        shell.child.send("\x18h")
        settle(shell)
        pyhost_section = "in pyhost section" in shell.line("")
        end_shell(shell)
        shutil.rmtree(own_home, ignore_errors=True)
        results[" ".join([os.path.basename(program)] + args)] = (
            python_section, pyhost_section)
    check(set(results.values()) == {(True, False)}, results)


def isolated_pdb_keeps_tab_and_history(pyhost, home):
    shell = Shell(pyhost, home, ["-I", "-q"])
    shell.prompt()
    shell.line("before_pdb = 6 * 7")
    shell.child.send("breakpoint()\r")
    shell.expect(re.escape("(Pdb) "))
    shell.child.send("c\r")
    shell.prompt()
    for _ in range(3):  # c, breakpoint(), then the line before them
        shell.child.send(UP)
        time.sleep(0.1)
    output = shell.line(" ; print('again', before_pdb)")
    check("again 42" in output, "Up lost the lines before pdb: " + output)
    shell.child.send("print(before_p\t")
    settle(shell)
    check("42" in shell.line(")"), "Tab does not complete after pdb")
    end_shell(shell)


def isolated_adds_no_interactive_hook(pyhost, home):
    def run(program, home):
        shell = Shell(program, home, ["-I", "-q"])
        shell.prompt()
        output = shell.line("import sys; print('hook', "
                            "hasattr(sys, '__interactivehook__'))")
        end_shell(shell)
        return re.search(r"hook (True|False)", output)[0]
    both_give(pyhost, home, run, "hook False")


def completion_details_match(pyhost, home):
    """w.bar() for a method without arguments, attributes of a name that
    starts with a non-ASCII letter."""
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.child.send("class W:\r    def bar(self): return 5\r\r")
        shell.prompt()
        shell.line("w = W(); ñame = 'abc'")
        shell.child.send("w.ba\t")
        settle(shell)
        first = shell.line("")
        shell.child.send("ñame.upp\t")
        settle(shell)
        second = shell.line("")
        end_shell(shell)
        return ("\r\n5\r\n" in first, "'ABC'" in second)
    both_give(pyhost, home, run, (True, True))


def history_file_of(program, home):
    """The lines of the history file program writes in home."""
    name = "history" if program != REFERENCE else ".python_history"
    path = os.path.join(home, name)
    if not os.path.exists(path):
        return []
    with open(path) as history:
        return history.read().splitlines()


def set_auto_history_false_is_honoured(pyhost, home):
    """readline.set_auto_history(False), at the prompt or in
    PYTHONSTARTUP: later lines reach neither Up nor the file."""
    def run(program, home):
        startup = os.path.join(home, "startup.py")
        with open(startup, "w") as out:
            out.write("import readline; readline.set_auto_history(False)\n")
        results = []
        for env, first in (({}, "import readline; "
                                "readline.set_auto_history(False)"),
                           ({"PYTHONSTARTUP": startup}, "pass")):
            shell = Shell(program, home, ["-q"], env=env)
            shell.prompt()
            shell.line(first)
            shell.line("not_in_history = 1")
            shell.child.send(UP)
            recalled = settle(shell)
            end_shell(shell)
            results.append(("not_in_history" in recalled,
                            "not_in_history = 1" in history_file_of(program,
                                                                    home)))
        return results
    mine, theirs = both(pyhost, home, run)
    check(theirs == [(False, False)] * 2, f"python3.11: {theirs}")
    check(mine == theirs, f"pyhost {mine}, python3.11 {theirs}")


OWN_COMPLETER = """\
import readline, rlcompleter
readline.set_completer(rlcompleter.Completer({"only_in_mine": 1}).complete)
"""


def startup_rlcompleter_is_kept(pyhost, home):
    """A completer of one's own set in PYTHONSTARTUP or an -i script, even an
    rlcompleter.Completer, answers Tab; only the one CPython's start-up
    installed gives way to pyhost's."""
    def run(program, home):
        startup = os.path.join(home, "startup.py")
        with open(startup, "w") as out:
            out.write(OWN_COMPLETER)
        kept = []
        for args, env in ((["-q"], {"PYTHONSTARTUP": startup}),
                          (["-q", "-i", startup], {})):
            shell = Shell(program, home, args, env=env)
            shell.prompt()
            shell.child.send("only_in_m\t")
            shown = settle(shell, 0.5)
            end_shell(shell)
            kept.append("only_in_mine" in shown or "ine" in shown)
        return kept
    mine, theirs = both(pyhost, home, run)
    check(theirs == [True, True], f"python3.11: {theirs}")
    check(mine == theirs, f"pyhost dropped the user's completer: {mine}")


def display_all_waits_for_answer(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.line("import os")
    shell.child.send("os.\t\t")
    shell.expect(r"Display all \d+ possibilities\? \(y or n\)")
    shown = settle(shell, 0.8)
    check("os.walk" not in shown, "the list came before the answer")
    shell.child.send("n")
    shown = shell.expect(re.escape(PROMPT + "os."))  # the line, redrawn
    check("os.walk" not in shown, repr(shown))
    shell.child.send("\t\t")
    shell.expect(r"Display all \d+ possibilities\? \(y or n\)")
    time.sleep(0.2)
    shell.child.sendintr()  # Ctrl-C answers no, and keeps the line
    shown = shell.expect(re.escape(PROMPT + "os."))
    check("os.walk" not in shown and "KeyboardInterrupt" not in shown,
          repr(shown))
    shell.child.send("\t\t")
    shell.expect(r"Display all \d+ possibilities\? \(y or n\)")
    shell.child.send("y")
    shell.expect("os.walk")
    end_shell(shell)


# ---- the history file, made predictable ----

def session(pyhost, home, lines, env=None, args=("-q",)):
    """A shell that types lines and exits; returns its transcript."""
    shell = Shell(pyhost, home, list(args), env=env)
    shell.prompt()
    for line in lines:
        shell.line(line)
    check(shell.exit() == (0, None), "bad exit status")
    return shell.transcript.getvalue()


def relative_histfile_resolved_at_start(pyhost, home):
    elsewhere = os.path.join(home, "elsewhere")
    os.mkdir(elsewhere)
    session(pyhost, home, [f"import os; os.chdir({elsewhere!r})"],
            env={"PYHOST_HISTFILE": "relative_history"})
    check(os.path.exists(os.path.join(home, "relative_history")),
          os.listdir(home))
    check(not os.path.exists(os.path.join(elsewhere, "relative_history")),
          "written where the session ended")


def relative_home_has_history(pyhost, home):
    """HOME=rel (relative) and no PYHOST_HISTFILE: the history is
    rel/.pyhost_history from the starting directory, as python3.11 reads
    rel/.python_history, even after the session changes directory."""
    os.mkdir(os.path.join(home, "rel"))
    elsewhere = os.path.join(home, "elsewhere")
    os.mkdir(elsewhere)
    shell = Shell(pyhost, home, command="/usr/bin/env",
                  args=["-u", "PYHOST_HISTFILE", "HOME=rel", pyhost, "-q"])
    shell.prompt()
    shell.line(f"import os; os.chdir({elsewhere!r})")
    shell.child.sendeof()
    check(shell.finish() == (0, None), "bad exit status")
    path = os.path.join(home, "rel", ".pyhost_history")
    check(os.path.exists(path), os.listdir(home))
    with open(path) as history:
        check("import os" in history.read(), "the line was not saved")


def write_history(home, count):
    with open(os.path.join(home, "history"), "w") as out:
        out.writelines(f"old_{i} = {i}\n" for i in range(count))
    os.chmod(os.path.join(home, "history"), 0o600)


def histsize_negative_is_unlimited(pyhost, home):
    write_history(home, 1500)
    session(pyhost, home, ["new = 1"], env={"PYHOST_HISTSIZE": "-1"})
    lines = read_history(home)
    check(len(lines) == 1501 and lines[-1] == "new = 1", len(lines))


def histsize_zero_saves_nothing(pyhost, home):
    write_history(home, 3)
    with open(os.path.join(home, "history")) as before:
        content = before.read()
    shell = Shell(pyhost, home, ["-q"], env={"PYHOST_HISTSIZE": "0"})
    shell.prompt()
    shell.line("in_session = 6 * 7")
    shell.child.send(UP)
    time.sleep(0.2)
    check("42" in shell.line("; print(in_session)"),
          "Up does not reach this session's lines")
    shell.exit()
    with open(os.path.join(home, "history")) as after:
        check(after.read() == content, "PYHOST_HISTSIZE=0 changed the file")


def histsize_not_a_number_warns_once(pyhost, home):
    for value in ("abc", "5x", "10**30"):
        write_history(home, 1200)
        output = session(pyhost, home, ["a = 1", "b = 2"],
                         env={"PYHOST_HISTSIZE": value})
        warnings = [line for line in output.splitlines()
                    if "PYHOST_HISTSIZE" in line]
        check(len(warnings) == 1 and "not a number" in warnings[0],
              f"{value}: {output!r}")
        check(len(read_history(home)) == 1000, f"{value}: not capped at 1000")
    output = session(pyhost, home, ["c = 3"],
                     env={"PYHOST_HISTSIZE": "2147483648"})
    check("PYHOST_HISTSIZE" not in output, output)
    check(len(read_history(home)) == 1001, "a huge number is not unlimited")


def devnull_histfile_is_silent(pyhost, home):
    output = session(pyhost, home, ["a = 1"],
                     env={"PYHOST_HISTFILE": "/dev/null"})
    check("pyhost:" not in output, output)
    check(stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null replaced")


def directory_histfile_says_so(pyhost, home):
    os.mkdir(os.path.join(home, "history"))
    output = session(pyhost, home, ["a = 1"])
    warnings = [line for line in output.splitlines() if "pyhost:" in line]
    check(len(warnings) == 1 and "Is a directory" in warnings[0], output)


def forked_child_saves_no_history(pyhost, home):
    """A child forked at the prompt that exits normally (SystemExit runs
    the exit handlers) must not append its parent's lines again."""
    session(pyhost, home, [
        "typed_before_fork = 1",
        "import os, sys; pid = os.fork(); pid == 0 and sys.exit(0)",
        "os.waitpid(pid, 0)[1]"])
    lines = read_history(home)
    check(lines.count("typed_before_fork = 1") == 1, lines)


def history_saves_typed_lines_whatever_the_list(pyhost, home):
    """The lines typed are saved even after user code changed readline's
    list (clear_history, add_history), and nothing user code added is
    mistaken for one of them."""
    session(pyhost, home, [
        "first_typed = 1",
        "import readline; readline.clear_history()",
        "readline.add_history('added_by_code'); readline.add_history('x')",
        "last_typed = 2"])
    lines = read_history(home)
    check(lines == ["first_typed = 1",
                    "import readline; readline.clear_history()",
                    "readline.add_history('added_by_code'); "
                    "readline.add_history('x')",
                    "last_typed = 2"], lines)


def die_by_signal(program, home, signum, running):
    """Types a line, then sends signum at the prompt (or while code
    runs); returns (exit status, signal, history file lines)."""
    shell = quiet_shell(program, home)
    shell.line("typed_before_signal = 1")
    if running:
        shell.child.send("import time; time.sleep(30)\r")
        time.sleep(0.5)
    else:
        time.sleep(0.2)
    shell.child.kill(signum)
    status = shell.finish()
    path = os.path.join(home, "history")
    lines = read_history(home) if os.path.exists(path) else []
    return status, lines


def sighup_and_sigterm_save_history(pyhost, home):
    for signum in (signal.SIGHUP, signal.SIGTERM):
        for running in (False, True):
            what = f"{signal.Signals(signum).name}, running={running}"
            (mine, lines), (theirs, _) = both(
                pyhost, home,
                lambda program, home: die_by_signal(program, home, signum,
                                                    running))
            check(mine == theirs and theirs == (None, signum),
                  f"{what}: pyhost {mine}, python3.11 {theirs}")
            check("typed_before_signal = 1" in lines, f"{what}: {lines}")
            # The statement that runs is an entry already (a statement
            # is added when the next one begins, and at such a death).
            check(not running or "import time; time.sleep(30)" in lines,
                  f"{what}: {lines}")


def sigterm_during_hung_completion(pyhost, home):
    """SIGTERM while completion runs code that never returns: pyhost still
    saves the history and dies by SIGTERM, within a few seconds."""
    shell = quiet_shell(pyhost, home)
    complete_into_a_hang(shell)
    time.sleep(0.5)
    started = time.monotonic()
    shell.child.kill(signal.SIGTERM)
    status = shell.finish()
    check(status == (None, signal.SIGTERM), status)
    check(time.monotonic() - started < 5, "SIGTERM took too long")
    check("v = V()" in read_history(home), read_history(home))


def sigterm_while_output_stopped(pyhost, home):
    """Ctrl-S stops the terminal's output; the keys typed next block
    readline's echo in write(), holding its locks.  SIGTERM still ends
    pyhost by SIGTERM within a few seconds (python3.11: at once), with
    the history saved."""
    def run(program, home, typed):
        shell = Shell(program, home, ["-q"])
        shell.prompt()
        shell.line("typed_before_stop = 1")
        shell.child.send("\x13")  # Ctrl-S: XOFF
        time.sleep(0.2)
        shell.child.send(typed)
        time.sleep(0.5)
        started = time.monotonic()
        shell.child.kill(signal.SIGTERM)
        try:
            shell.child.expect(pexpect.EOF, timeout=8)
        except pexpect.TIMEOUT:
            shell.child.kill(signal.SIGKILL)
            shell.child.close(force=True)
            return "hung"
        elapsed = time.monotonic() - started
        shell.child.close()
        path = os.path.join(home, "history")
        saved = (os.path.exists(path) and
                 "typed_before_stop = 1" in read_history(home))
        return shell.child.signalstatus, elapsed < 5, saved
    for typed in ("0123456789", ""):
        mine, theirs = both(pyhost, home,
                            lambda program, home: run(program, home, typed))
        check(theirs == (signal.SIGTERM, True, False),
              f"{typed!r}: python3.11: {theirs}")
        check(mine == (signal.SIGTERM, True, True), f"{typed!r}: pyhost: {mine}")


def terminal_restored_after_sigterm_while_stopped(pyhost, home):
    """SIGTERM while readline is stuck writing to a stopped terminal: the
    modes readline changed are put back all the same (pyhost cannot go
    through readline then, and restores them itself)."""
    wrapper = f"stty -g; {pyhost} -q; echo status=$?; stty -g"
    shell = Shell(pyhost, home, command="/bin/sh", args=["-c", wrapper])
    shell.prompt()
    shell.child.send("\x13")  # Ctrl-S: XOFF
    time.sleep(0.2)
    shell.child.send("0123456789")
    time.sleep(0.5)
    pyhost_pid = None
    for entry in os.listdir("/proc"):  # the shell's child: its parent's pid
        try:
            with open(f"/proc/{entry}/stat") as stat_file:
                fields = stat_file.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == shell.child.pid:
            pyhost_pid = int(entry)
    check(pyhost_pid is not None, "pyhost not found under the shell")
    os.kill(pyhost_pid, signal.SIGTERM)
    time.sleep(4)  # past pyhost's two-second deadline
    try:
        with open(f"/proc/{pyhost_pid}/stat") as stat_file:
            alive = stat_file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        alive = False
    shell.child.send("\x11")  # Ctrl-Q: XON, the shell's output flows
    check(not alive, "pyhost still alive 4 s after SIGTERM")
    try:
        shell.child.expect(pexpect.EOF, timeout=8)
    except pexpect.TIMEOUT:
        os.kill(pyhost_pid, signal.SIGKILL)
        raise AssertionError("pyhost did not die")
    output = shell.transcript.getvalue()
    lines = [line.strip() for line in output.splitlines()
             if re.fullmatch(r"[0-9a-f:]{20,}", line.strip())]
    check("status=143" in output, output)
    check(len(lines) == 2 and lines[0] == lines[1], "stty changed: " + output)


def user_sigterm_handler_wins(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.line("import signal, os")
    shell.line("signal.signal(signal.SIGTERM, "
               "lambda *args: print('user handler ran'))")
    shell.child.kill(signal.SIGTERM)
    shell.expect("user handler ran")
    check("42" in shell.line("6 * 7"), "the shell did not go on")
    end_shell(shell)
    check(os.path.exists(os.path.join(home, "history")) and
          "6 * 7" in read_history(home), "history not saved at exit")


def loaded_history_is_readlines_list(pyhost, home):
    """The file's entries join readline's list in one step (history.c):
    the readline module sees each, a block as one; a recalled entry edited
    and left keeps its edit (readline replaces the entry) and is still
    there as it was after the line runs; new lines follow the loaded ones
    in the list and in the file."""
    with open(os.path.join(home, "history"), "wb") as out:
        out.write(b"if first:\r\n    second = 2\nthird = 3\nfirst = 1\n")
    shell = quiet_shell(pyhost, home)
    output = shell.line("import readline; print([readline.get_history_item(i)"
                        " for i in range(1, readline."
                        "get_current_history_length() + 1)])")
    check("['if first:\\n    second = 2', 'third = 3', 'first = 1']"
          in output, output)
    # Up twice: "first = 1"; edited, then Down (readline replaces the
    # entry with the edit), Up again shows the edit; run it.
    shell.child.send(UP + UP)
    settle(shell)
    shell.child.send("0; print(first * 2)")
    settle(shell)
    shell.child.send(DOWN + UP)
    settle(shell)
    output = shell.line("")
    check("20" in output, repr(output))
    check("42" in shell.line("print(first * 4 + 2)"),
          "a new line did not run")
    shell.exit()
    saved = read_history_bytes(home)
    check(saved.startswith(b"if first:\r\n    second = 2\nthird = 3\n"
                           b"first = 1\nimport readline;")
          and saved.endswith(b"first = 10; print(first * 2)\n"
                             b"print(first * 4 + 2)\n"), saved)


def help_names_history_variables(pyhost, home):
    result = subprocess.run([pyhost, "--help"], capture_output=True,
                            text=True, timeout=TIMEOUT)
    header = result.stdout.split("usage:", 1)[0]
    check("PYHOST_HISTFILE" in header and "PYHOST_HISTSIZE" in header,
          header)


# ---- issue 16: blocks, paste ----

DOWN = "\x1b[B"
CTRL_R = "\x12"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


def paste_home(home):
    """An inputrc that leaves bracketed paste as pyhost sets it."""
    with open(os.path.join(home, "inputrc"), "w") as out:
        out.write("# nothing\n")


def read_history_bytes(home):
    with open(os.path.join(home, "history"), "rb") as history:
        return history.read()


def block_is_one_history_entry(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.more("for i in range(3):")
    shell.more("    print(i * 10)")
    shell.line("")
    shell.line("x = 5")
    shell.exit()
    saved = read_history_bytes(home)
    check(saved == b"for i in range(3):\r\n    print(i * 10)\nx = 5\n",
          saved)
    # The next session: Up, Up recalls the block; Enter at its end runs
    # it again, with no empty line to type.
    shell = quiet_shell(pyhost, home)
    shell.child.send(UP + UP)
    settle(shell)
    shell.child.send("\r")
    output = shell.prompt()
    check(re.search(r"\r\n0\r\n10\r\n20\r\n", output), repr(output))
    # Ctrl-R finds the block by a word of its second line.
    shell.child.send(CTRL_R + "i * 1")
    settle(shell)
    shell.child.send("\r")
    output = shell.prompt()
    check(re.search(r"\r\n0\r\n10\r\n20\r\n", output), repr(output))
    shell.exit()
    # Run again, the block is the newest entry (once: the second run was
    # the same entry again, which is not repeated).
    check(read_history_bytes(home) ==
          saved + b"for i in range(3):\r\n    print(i * 10)\n",
          read_history_bytes(home))


def recalled_block_is_edited_across_lines(pyhost, home):
    """Up on a recalled block goes to its first line (not the entry
    before); Enter there opens a new line, the cursor going to the start
    of the next, the for; Down reaches the last line, where Enter runs the
    whole block."""
    shell = quiet_shell(pyhost, home)
    shell.line("before = 1")
    shell.more("for i in range(2):")
    shell.more("    print('row', i)")
    shell.line("")
    shell.child.send(UP + UP + "\x01")  # the block, its first line, start
    settle(shell)
    shell.child.send("print('first')\r")  # a new line above the for
    settle(shell)
    shell.child.send(DOWN + "\x05")
    settle(shell)
    shell.child.send("\r")
    output = shell.prompt()
    check(re.search(r"first\r\nrow 0\r\nrow 1\r\n", output), repr(output))
    check("before" not in shell.line("print('done')"), "Up left the block")
    shell.exit()
    check(read_history_bytes(home).endswith(
        b"print('first')\r\nfor i in range(2):\r\n    print('row', i)\n"
        b"print('done')\n"), read_history_bytes(home))


def history_file_counts_entries(pyhost, home):
    """An old file of one line an entry reads as before; the size limit
    counts a block once."""
    with open(os.path.join(home, "history"), "wb") as out:
        out.write(b"41\nfor i in ():\r\n    pass\n")
    shell = Shell(pyhost, home, ["-q"], env={"PYHOST_HISTSIZE": "2"})
    shell.prompt()
    shell.child.send(UP + UP + UP)  # the block's two lines, then old
    settle(shell)
    shell.child.send("\x05 + 1\r")
    check("42" in shell.prompt(), "the old one-line entry was not read")
    shell.exit()
    saved = read_history_bytes(home)
    check(saved == b"for i in ():\r\n    pass\n41 + 1\n", saved)


PASTED = ("def f(x):\n"
          "    y = x * 2\n"
          "\n"
          "    return y\n"
          "\n"
          "f(21)\n"
          "'two'\n"
          "for i in range(2):\n"
          "    print('loop', i)\n"
          "\n"
          "    print('still in', i)\n"
          "print('underscore', _)\n")


def paste_runs_like_a_file(pyhost, home):
    """A paste (bracketed) with blank lines inside a def and a for runs
    each statement in turn, echoing expressions into _; a statement that
    raises stops the rest, as in a file."""
    paste_home(home)
    shell = quiet_shell(pyhost, home)
    shell.child.send(PASTE_START + PASTED + PASTE_END)
    settle(shell)
    shell.child.send("\r")
    output = shell.prompt()
    check("Error" not in output, repr(output))
    check(re.search(r"42\r\n'two'\r\nloop 0\r\nstill in 0\r\nloop 1\r\n"
                    r"still in 1\r\nunderscore two\r\n", output),
          repr(output))
    shell.child.send(PASTE_START + "1 / 0\nprint('not run')\n" + PASTE_END)
    settle(shell)
    shell.child.send("\r")
    output = shell.prompt()
    check("ZeroDivisionError" in output, repr(output))
    check("not run\r\n" not in output.replace("'not run'", ""),
          repr(output))
    check("ok" in shell.line("print('ok')"), "the shell did not go on")
    shell.exit()
    check(read_history_bytes(home).startswith(
        PASTED.rstrip("\n").replace("\n", "\r\n").encode() + b"\n"),
        read_history_bytes(home))


def big_paste_has_no_echo_storm(pyhost, home):
    """3,000 pasted lines are drawn about once (python3.11 draws a prompt
    and the line for each) and all run."""
    paste_home(home)
    shell = quiet_shell(pyhost, home)
    code = "".join(f"v{i} = {i}\n" for i in range(3000)) + "print(v2999)\n"
    start = len(shell.transcript.getvalue())
    shell.child.send(PASTE_START + code + PASTE_END)
    shell.child.send("\r")
    output = shell.expect(r"2999\r\n")
    shell.prompt()
    drawn = len(shell.transcript.getvalue()) - start
    check(drawn < 3 * len(code), f"{drawn} characters drawn for "
          f"{len(code)} pasted")
    shell.exit()


PASTE_MODE_ON = "\x1b[?2004h"


def bracketed_paste_on_unless_inputrc_says_off(pyhost, home):
    paste_home(home)
    shell = quiet_shell(pyhost, home)
    check("bracketed 1" in shell.line(BRACKETED_PASTE), "not on")
    # input() keeps plain line editing: no bracketed paste there.
    shell.child.send("answer = input('?> ')\r")
    before = shell.expect(re.escape("?> "))
    check(not before.endswith(PASTE_MODE_ON), repr(before))
    shell.child.send("a\r")
    shell.prompt()
    check("'a'" in shell.line("answer"), "input() did not read its line")
    shell.exit()
    with open(os.path.join(home, "inputrc"), "w") as out:
        out.write("set enable-bracketed-paste off\n")
    shell = quiet_shell(pyhost, home)
    check("bracketed 0" in shell.line(BRACKETED_PASTE), "inputrc lost")
    shell.exit()


def bare_commands_at_the_prompt(pyhost, home):
    """exit, quit, help, clear alone at >>> act (issue 16), but not in
    input(), not inside a block, not once the user binds the name."""
    for command in ("exit", "quit", "  exit  "):
        shell = quiet_shell(pyhost, home)
        shell.child.send(command + "\r")
        check(shell.finish() == (0, None), f"{command!r} did not exit")
    shell = quiet_shell(pyhost, home)
    shell.child.send("typed = input('?> ')\r")
    shell.expect(re.escape("?> "))
    shell.child.send("exit\r")
    shell.prompt()
    check("'exit'" in shell.line("typed"), "input() lost its exit")
    shell.more("if True:")
    shell.more("    exit")
    check("Use exit() or Ctrl-D" in shell.line(""), "exit in a block ran")
    check("\x1b[2J" in shell.line("clear"), "clear did not clear")
    shell.line("clear = 'mine'; exit = 'also mine'")
    check("'mine'" in shell.line("clear"), "a bound clear cleared")
    check("'also mine'" in shell.line("exit"), "a bound exit exited")
    shell.exit()


def help_alone_opens_help(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.child.send("help\r")
    shell.expect(re.escape("help> "))
    shell.child.send("\r")
    shell.prompt()
    shell.exit()


# ---- issue 16: auto-indent ----

BACKSPACE = "\x7f"
AUTO_INDENT_OFF_INPUTRC = "$if pyhost\nset auto-indent off\n$endif\n"


def shown_after_prompt(shell):
    """What the terminal shows after the prompt just waited for."""
    return shell.child.buffer + settle(shell)


def typed_block(shell, lines):
    """Types each line but the last with Enter, waiting for "... ", then
    the last (usually "", which ends the block); returns what appeared
    after the last line up to the next prompt."""
    for text in lines[:-1]:
        shell.more(text)
    return shell.line(lines[-1])


def auto_indent_after_a_colon(pyhost, home):
    """After a line that ends with ":" (a comment after it allowed) the
    next line starts indented by 4 spaces, and again after a nested
    header; code typed without indentation runs as indented."""
    shell = quiet_shell(pyhost, home)
    shell.more("def f(x):  # a comment: not the end")
    check(shown_after_prompt(shell) == "    ", "no indentation after def")
    shell.more("if x:")
    check(shown_after_prompt(shell) == "        ", "no deeper indentation")
    output = typed_block(shell, ["return x * 2", "return -1", ""])
    check("Error" not in output, repr(output))
    check(re.search(r"\r\n6 -1\r\n", shell.line("print(f(3), f(0))")),
          "the block did not run as indented")
    shell.more("d = {1:")  # a ":" inside brackets opens no block
    check(shown_after_prompt(shell) == "", "indented inside brackets")
    check("{1: 2}" in shell.line("2}; print(d)"), "the dict was lost")
    shell.exit()
    check(read_history_bytes(home).startswith(
        b"def f(x):  # a comment: not the end\r\n    if x:\r\n"
        b"        return x * 2\r\n    return -1\n"),
        read_history_bytes(home))


def auto_indent_takes_the_blocks_unit(pyhost, home):
    """The unit is the first indented line's: 2 spaces typed there make
    the deeper level 4; a tab makes it a tab."""
    shell = quiet_shell(pyhost, home)
    output = typed_block(shell, ["if True:", "  x = 1", "if x:",
                                 "print('two', x)", ""])
    check("two 1" in output, repr(output))
    output = typed_block(shell, ["for i in range(1):", "\ty = 2",
                                 "if y:", "print('tab', y)", ""])
    check("tab 2" in output, repr(output))
    shell.exit()
    check(read_history_bytes(home) ==
          b"if True:\r\n  x = 1\r\n  if x:\r\n    print('two', x)\n"
          b"for i in range(1):\r\n\ty = 2\r\n\tif y:\r\n\t\tprint('tab', y)\n",
          read_history_bytes(home))


def auto_indent_dedents_after_block_enders(pyhost, home):
    """After return, pass, break, continue and raise, the next line
    starts a level less."""
    shell = quiet_shell(pyhost, home)
    output = typed_block(shell, ["for i in range(5):", "if i == 1:",
                                 "continue", "if i == 3:", "break",
                                 "print('kept', i)", ""])
    check(re.search(r"kept 0\r\nkept 2\r\n", output) and "kept 3" not in
          output, repr(output))
    output = typed_block(shell, ["def g():", "try:", "raise KeyError",
                                 "except KeyError:", "pass",
                                 "return 'caught'", ""])
    check("Error" not in output, repr(output))
    check("'caught'" in shell.line("g()"), "g() did not run as indented")
    shell.exit()
    check(b"def g():\r\n    try:\r\n        raise KeyError\r\n"
          b"    except KeyError:\r\n        pass\r\n    return 'caught'\n"
          in read_history_bytes(home), read_history_bytes(home))


def auto_indent_moves_clauses_to_their_block(pyhost, home):
    """else, elif, except and finally typed on an indented line move to
    the block they go on when their ":" is typed."""
    shell = quiet_shell(pyhost, home)
    shell.line("x = 0")
    output = typed_block(shell, ["if x:", "print('a')", "elif x == 0:",
                                 "print('b')", "else:", "print('c')", ""])
    check(re.search(r"\r\nb\r\n", output) and "\r\na\r\n" not in output,
          repr(output))
    output = typed_block(shell, ["try:", "1 / 0", "except ZeroDivisionError:",
                                 "print('zero')", "finally:",
                                 "print('done')", ""])
    check(re.search(r"zero\r\ndone\r\n", output), repr(output))
    output = typed_block(shell, ["for i in range(2):", "if i:",
                                 "print('one')", "else:", "print('none')",
                                 ""])
    check(re.search(r"none\r\none\r\n", output), repr(output))
    shell.exit()
    check(read_history_bytes(home).endswith(
        b"for i in range(2):\r\n    if i:\r\n        print('one')\r\n"
        b"    else:\r\n        print('none')\n"), read_history_bytes(home))


def backspace_in_indentation_removes_a_level(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.more("for i in range(2):")
    shell.more("if i:")
    shell.more("print('in', i)")
    shell.child.send(BACKSPACE)  # from 8 spaces to 4: out of the if
    output = typed_block(shell, ["print('out', i)", ""])
    check(re.search(r"out 0\r\nin 1\r\nout 1\r\n", output), repr(output))
    # Back to column 0, then a Backspace more does nothing; spaces typed
    # after a Backspace chose the level go after it.
    shell.more("if True:")
    shell.child.send(BACKSPACE + BACKSPACE + "x" + BACKSPACE + "    y = 3")
    output = typed_block(shell, ["", ""])
    check("Error" not in output, repr(output))
    check("3" in shell.line("print(y)"), "y = 3 did not run")
    shell.exit()
    check(read_history_bytes(home).endswith(
        b"if True:\r\n    y = 3\nprint(y)\n"), read_history_bytes(home))


def typed_indentation_replaces_auto_indent(pyhost, home):
    """4 spaces typed at a "... " line that holds the automatic 4 give 4,
    not 8, whether typed one by one or all at once; Tab, which indents a
    blank word, gives one tab."""
    shell = quiet_shell(pyhost, home)
    shell.more("for i in range(2):")
    for key in "    ":
        shell.child.send(key)
        settle(shell, 0.1)
    output = typed_block(shell, ["print(i * 10)", "    print(i + 1)", ""])
    check(re.search(r"0\r\n1\r\n10\r\n2\r\n", output), repr(output))
    shell.child.send("while False:\r\tpass\r\r")
    check("Error" not in shell.prompt(), "the tab did not replace")
    shell.exit()
    check(read_history_bytes(home) ==
          b"for i in range(2):\r\n    print(i * 10)\r\n    print(i + 1)\n"
          b"while False:\r\n\tpass\n", read_history_bytes(home))


def paste_is_not_auto_indented(pyhost, home):
    """A bracketed paste lands as it was copied: a block pasted at ">>> "
    gets no indentation, one pasted on an automatically indented line
    replaces the indentation when it begins with its own."""
    paste_home(home)
    shell = quiet_shell(pyhost, home)
    shell.child.send(PASTE_START + "def h(x):\n    if x:\n        return 1\n"
                     "    return 2\n" + PASTE_END)
    settle(shell)
    shell.child.send("\r")
    check("Error" not in shell.prompt(), "the paste did not run")
    check("1 2" in shell.line("print(h(1), h(0))"), "h() is wrong")
    shell.more("def k():")
    shell.child.send(PASTE_START + "    v = 7\n    return v" + PASTE_END)
    settle(shell)
    shell.child.send("\r")  # the paste ends the def, as a file's would
    check("Error" not in shell.prompt(), "the pasted body did not run")
    check("7" in shell.line("k()"), "k() is wrong")
    shell.exit()
    check(b"def k():\r\n    v = 7\r\n    return v\n" in
          read_history_bytes(home), read_history_bytes(home))


def recalled_block_gets_no_indentation(pyhost, home):
    shell = quiet_shell(pyhost, home)
    typed_block(shell, ["for i in range(2):", "if i:", "print('row', i)", ""])
    shell.child.send(UP)
    settle(shell)
    output = shell.line("")
    check(re.search(r"\r\nrow 1\r\n", output) and "Error" not in output,
          repr(output))
    shell.exit()
    entry = b"for i in range(2):\r\n    if i:\r\n        print('row', i)\n"
    check(read_history_bytes(home) == entry, read_history_bytes(home))


def ctrl_d_on_auto_indented_line(pyhost, home):
    """Ctrl-D on a "... " line that holds only the automatic indentation
    ends the block, as on python3.11's empty "... " line."""
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.more("for i in range(2):")
        shell.more("    print('ran', i)")
        shell.child.sendeof()
        output = shell.prompt()
        end_shell(shell)
        return re.search(r"ran 0\r\nran 1\r\n", output) is not None
    both_give(pyhost, home, run, True)


def unindented_block(program, home, env=None):
    """Whether a block typed without indentation fails as it does without
    auto-indent, and what appeared after the "... " prompt."""
    shell = Shell(program, home, ["-q"], env=env)
    shell.prompt()
    shell.more("for i in range(1):")
    shown = shown_after_prompt(shell)
    shell.child.send("print(i)\r")
    if shell.child.expect([re.escape(PROMPT), re.escape("... ")]) == 1:
        shell.line("")
    output = shell.child.before
    end_shell(shell)
    return "IndentationError" in output, shown


def auto_indent_off_by_environment(pyhost, home):
    for value in ("0", "off"):
        failed, shown = unindented_block(pyhost, home,
                                         {"PYHOST_AUTO_INDENT": value})
        check(failed and shown == "", f"PYHOST_AUTO_INDENT={value}: "
              f"{shown!r}")
    # The environment wins over the init file.
    write_inputrc(home, AUTO_INDENT_OFF_INPUTRC)
    failed, shown = unindented_block(pyhost, home, {"PYHOST_AUTO_INDENT": "1"})
    check(not failed and shown.startswith("    "), repr(shown))


def auto_indent_off_by_inputrc(pyhost, home):
    """`set auto-indent off` in a `$if pyhost` section: pyhost reads it,
    readline (in python3.11 as in pyhost) skips the section without a
    word."""
    def run(program, home):
        write_inputrc(home, AUTO_INDENT_OFF_INPUTRC)
        shell = Shell(program, home, ["-q"])
        start = shell.prompt()
        shell.more("for i in range(1):")
        shown = shown_after_prompt(shell)
        output = shell.line("print(i)")
        end_shell(shell)
        return "readline:" in start, "IndentationError" in output, shown
    both_give(pyhost, home, run, (False, True, ""))


def auto_indent_off_on_dumb_terminal(pyhost, home):
    failed, shown = unindented_block(pyhost, home, {"TERM": "dumb"})
    check(failed and shown == "", repr(shown))


def input_keeps_plain_editing(pyhost, home):
    """input() inside a block: no indentation, Backspace deletes one
    character, typed spaces stay."""
    def run(program, home):
        shell = quiet_shell(program, home)
        shell.more("for i in range(1):")
        shell.more("    answer = input('? ')")
        shell.child.send("\r")
        shown = shell.expect(re.escape("? "))
        shell.child.send("   " + BACKSPACE + "if x:\r")
        shell.prompt()
        output = shell.line("answer")
        end_shell(shell)
        return "'  if x:'" in output
    both_give(pyhost, home, run, True)


# ---- issue 16: colour ----

PROMPT_COLOUR = "\x1b[1;35m"  # python3.13's, for ">>> " and "... "


def colour_shell(pyhost, home, env=None, args=("-q",), **options):
    """pyhost with colour as a terminal user has it by default (TERM=
    xterm-256color, no colour variable), `env` over that, at its first
    prompt."""
    environment = {"NO_COLOR": None, "TERM": "xterm-256color"}
    environment.update(env or {})
    shell = Shell(pyhost, home, list(args), env=environment, **options)
    shell.prompt()
    return shell


def typed_and_shown(shell, text):
    """Types a line, returns all the terminal showed up to the next
    prompt (the echo of the line included, with its colours)."""
    start = len(shell.transcript.getvalue())
    shell.line(text)
    return shell.transcript.getvalue()[start:]


def colours_by_default(pyhost, home):
    shell = colour_shell(pyhost, home)
    shown = typed_and_shown(
        shell, "print(len('abc'), 0x10, None if True else 1)  # note")
    check(PROMPT_COLOUR + ">>> \x1b[0m" in shell.transcript.getvalue(),
          repr(shell.transcript.getvalue()[:200]))
    for painted in ("\x1b[36mprint", "\x1b[36mlen", "\x1b[32m'abc'",
                    "\x1b[33m0x10", "\x1b[1;34mNone", "\x1b[1;34mif",
                    "\x1b[1;34mTrue", "\x1b[31m# note"):
        check(painted in shown, f"{painted!r} not in {shown!r}")
    check("3 16 None" in shown, repr(shown))
    shown = typed_and_shown(shell, "1 / 0")
    check("\x1b[1;35mZeroDivisionError\x1b[0m: \x1b[35mdivision by zero"
          "\x1b[0m" in shown, repr(shown))
    check('File \x1b[35m"<stdin>"\x1b[0m, line \x1b[35m1\x1b[0m, in '
          '\x1b[35m<module>\x1b[0m' in shown, repr(shown))
    check("\x01" not in shell.transcript.getvalue() and
          "\x02" not in shell.transcript.getvalue(),
          "readline's markers reached the screen")
    end_shell(shell)


def no_colour(transcript):
    return SGR.search(transcript) is None


def colour_variables_turn_it_off(pyhost, home):
    """NO_COLOR, PYTHON_COLORS=0, TERM=dumb each turn colour off, in
    python3.13's order of precedence: PYTHON_COLORS=0 wins over
    FORCE_COLOR, NO_COLOR wins over FORCE_COLOR."""
    for env in ({"NO_COLOR": "1"}, {"PYTHON_COLORS": "0"}, {"TERM": "dumb"},
                {"PYTHON_COLORS": "0", "FORCE_COLOR": "1"},
                {"NO_COLOR": "1", "FORCE_COLOR": "1"},
                {"PYTHON_COLORS": "0", "NO_COLOR": "", "TERM": "xterm"}):
        shell = colour_shell(pyhost, home, env)
        output = shell.line("print(len('abc'), None)")
        check("3 None" in output, f"{env}: {output!r}")
        check("ZeroDivisionError" in shell.line("1 / 0"), f"{env}")
        end_shell(shell)
        check(no_colour(shell.transcript.getvalue()),
              f"{env}: {shell.transcript.getvalue()!r}")


def colour_variables_force_it_on(pyhost, home):
    """FORCE_COLOR wins over TERM=dumb, PYTHON_COLORS=1 over NO_COLOR and
    TERM=dumb; an empty NO_COLOR is no NO_COLOR; -E ignores PYTHON_COLORS
    (only)."""
    for env, args in (({"FORCE_COLOR": "1", "TERM": "dumb"}, ["-q"]),
                      ({"PYTHON_COLORS": "1", "NO_COLOR": "1"}, ["-q"]),
                      ({"PYTHON_COLORS": "1", "TERM": "dumb"}, ["-q"]),
                      ({"NO_COLOR": ""}, ["-q"]),
                      ({"PYTHON_COLORS": "0"}, ["-E", "-q"]),
                      ({"PYTHON_COLORS": "0"}, ["-I", "-q"])):
        shell = colour_shell(pyhost, home, env, args)
        shown = typed_and_shown(shell, "1 / 0")
        check(PROMPT_COLOUR + ">>> " in shell.transcript.getvalue(),
              f"{env} {args}: no coloured prompt")
        check("\x1b[1;35mZeroDivisionError" in shown,
              f"{env} {args}: {shown!r}")
        end_shell(shell)
    shell = colour_shell(pyhost, home, {"NO_COLOR": "1"}, ["-E", "-q"])
    end_shell(shell)
    check(no_colour(shell.transcript.getvalue()), "-E ignored NO_COLOR")


def no_colour_when_output_is_not_a_terminal(pyhost, home):
    """Standard output a file: no line editing, no colour (the prompt goes
    to standard error, plain, as python3.11's does)."""
    out = os.path.join(home, "out.txt")
    shell = Shell(pyhost, home, command="/bin/sh",
                  args=["-c", f"{pyhost} -q > {out}"],
                  env={"NO_COLOR": None, "TERM": "xterm-256color"})
    shell.expect(re.escape(">>> "))
    shell.child.send("print(len('abc'))\r1 / 0\r")
    shell.expect("ZeroDivisionError")
    shell.expect(re.escape(">>> "))
    shell.child.sendeof()
    shell.finish()
    with open(out) as output:
        printed = output.read()
    check(printed == "3\n", repr(printed))
    check(no_colour(shell.transcript.getvalue()),
          repr(shell.transcript.getvalue()))


def tracebacks_plain_when_stderr_is_not_a_terminal(pyhost, home):
    """Standard error redirected (at start, or sys.stderr replaced at the
    prompt): tracebacks without colour, the prompt still coloured."""
    err = os.path.join(home, "err.txt")
    shell = Shell(pyhost, home, command="/bin/sh",
                  args=["-c", f"{pyhost} -q 2> {err}"],
                  env={"NO_COLOR": None, "TERM": "xterm-256color"})
    shell.prompt()
    shell.line("1 / 0")
    shell.line("print('after')")
    end_shell(shell)
    with open(err) as errors:
        text = errors.read()
    check("ZeroDivisionError: division by zero" in text and
          no_colour(text), repr(text))
    check(PROMPT_COLOUR in shell.transcript.getvalue(), "no colour at all")
    shell = colour_shell(pyhost, home)
    shell.line("import sys; sys.stderr = open('err2.txt', 'w')")
    shell.line("int('x')")
    shell.line("sys.stderr.close(); sys.stderr = sys.__stderr__")
    shown = typed_and_shown(shell, "int('y')")
    end_shell(shell)
    with open(os.path.join(home, "err2.txt")) as errors:
        text = errors.read()
    check("ValueError: invalid literal" in text and no_colour(text),
          repr(text))
    check("\x1b[1;35mValueError" in shown, repr(shown))


CARET_MODULE = "def f(x):\n    return x['a'] + 1\n"

TRACEBACK_STATEMENTS = [
    "def f(x):\r    return x['a'] + 1\r\r",
    "f({'a': 'b'})\r",
    "import caret_module; caret_module.f({'a': 'b'})\r",
    "1 / 0\r",
    "[1, 2][5]\r",
    "f(**)\r",
    "raise ValueError('two\\nlines')\r",
    "try:\r    1 / 0\rexcept Exception as e:\r"
    "    raise KeyError('k') from e\r\r",
    "e = OSError('noted'); e.add_note('a note'); raise e\r",
    "raise ExceptionGroup('group', [ValueError(1), TypeError(2)])\r",
]


def traceback_text_is_python311s(pyhost, home):
    """A coloured traceback is python3.11's, character for character,
    once its colour sequences are taken out."""
    def run(program, home):
        with open(os.path.join(home, "caret_module.py"), "w") as out:
            out.write(CARET_MODULE)
        shell = colour_shell(program, home)
        texts = []
        for statement in TRACEBACK_STATEMENTS:
            shell.child.send(statement)
            output = SGR.sub("", shell.prompt())
            found = re.search(r"(Traceback|  File)[\s\S]*", output)
            texts.append(found[0].replace(home, "HOME") if found else None)
        end_shell(shell)
        return texts
    mine, theirs = both(pyhost, home, run)
    check(None not in theirs[1:], theirs)
    for statement, my_text, their_text in zip(TRACEBACK_STATEMENTS, mine,
                                              theirs):
        check(my_text == their_text,
              f"{statement!r}:\npyhost:\n{my_text}\npython3.11:\n{their_text}")


def colour_carets_and_syntax_errors(pyhost, home):
    with open(os.path.join(home, "caret_module.py"), "w") as out:
        out.write(CARET_MODULE)
    shell = colour_shell(pyhost, home)
    shown = typed_and_shown(shell,
                            "import caret_module; caret_module.f({'a': 'b'})")
    # python3.11's carets under x['a'] + 1, and the same columns of the
    # source line, in red ("~") and bold red ("^").
    check("    return \x1b[31mx['a'] \x1b[0m\x1b[1;31m+\x1b[0m\x1b[31m 1"
          "\x1b[0m\r\n           \x1b[31m~~~~~~~\x1b[0m\x1b[1;31m^\x1b[0m"
          "\x1b[31m~~\x1b[0m\r\n" in shown, repr(shown))
    shown = typed_and_shown(shell, "f(**)")
    check('  File \x1b[35m"<stdin>"\x1b[0m, line \x1b[35m1\x1b[0m\r\n' in shown
          and "\x1b[1;35mSyntaxError\x1b[0m: \x1b[35m" in shown, repr(shown))
    end_shell(shell)


# What readline holds as its prompt while it reads a line, seen from the
# pre-input hook: seen[-1] is the prompt of the line that reads it.  (The
# program's own rl_prompt: pyhost, not position-independent, refers to it,
# so that the library uses the program's copy of the variable.)
SEE_PROMPTS = ("import readline, ctypes; seen = []; readline.set_pre_input_"
               "hook(lambda: seen.append(ctypes.c_char_p.in_dll(ctypes.CDLL("
               "None), 'rl_prompt').value))")


def shown_prompt(prompt):
    """prompt as pyhost gives it to readline, with colour: as the bytes
    print(list(...)) shows."""
    return str(list(b"\x01\x1b[1;35m\x02" + prompt + b"\x01\x1b[0m\x02"))


def prompt_markers_around_escapes_only(pyhost, home):
    """The prompt readline gets: the escape sequences between \\001 and
    \\002, nothing else; at "... " too, and for a prompt of one's own;
    plain with colour off.  The markers never reach the screen."""
    shell = colour_shell(pyhost, home)
    shell.line(SEE_PROMPTS)
    output = shell.line("print('prompt', list(seen[-1]))")
    check("prompt " + shown_prompt(b">>> ") in output, repr(output))
    shell.more("if True:")
    shell.more("    pass")
    shell.line("")
    output = shell.line("print('prompt', list(seen[-2]))")
    check("prompt " + shown_prompt(b"... ") in output, repr(output))
    shell.child.send("import sys; sys.ps1 = 'py> '\r")
    shell.expect(re.escape(PROMPT_COLOUR + "py> "))
    shell.child.send("print('prompt', list(seen[-1]))\r")
    output = shell.expect(re.escape(PROMPT_COLOUR + "py> "))
    check("prompt " + shown_prompt(b"py> ") in output, repr(output))
    shell.child.send(CTRL_U)
    shell.exit()
    check("\x01" not in shell.transcript.getvalue() and
          "\x02" not in shell.transcript.getvalue(),
          "readline's markers reached the screen")
    shell = quiet_shell(pyhost, home)  # NO_COLOR
    shell.line(SEE_PROMPTS)
    output = shell.line("print('prompt', list(seen[-1]))")
    check("prompt " + str(list(b">>> ")) in output, repr(output))
    shell.exit()


def editing_a_highlighted_line(pyhost, home):
    """In a line that wraps (a 40-column terminal), with colours: the
    cursor goes where readline says, so that keys put characters where
    expected."""
    shell = colour_shell(pyhost, home, dimensions=(24, 40))
    # total = len('abcdefghij') + len('klmnopqrstuvwxyz') + 100 (wraps)
    shell.child.send("total = len('abcdefghij') + len('klmnopqrstuvwxyz')"
                     " + 100")
    settle(shell)
    shell.child.send("\x01\x1bf")  # to the end of "total"
    settle(shell)
    shell.child.send("_x")
    settle(shell)
    shell.child.send("\x05" + "\x1b[D" * 3 + "2")  # 100 becomes 2100
    settle(shell)
    for _ in range(2):  # to the start of klmnopqrstuvwxyz, and into it
        shell.child.send("\x1bb")
    settle(shell)
    shell.child.send("\x1b[C\x1b[C" + "++")  # k l + + m...
    settle(shell)
    shell.line("")
    output = shell.line("print(total_x)")
    check("\r\n2128\r\n" in output, repr(output))
    end_shell(shell)


def highlighting_follows_a_block(pyhost, home):
    """At "... " the line is highlighted as part of the statement: the
    second line of a triple-quoted string is a string."""
    shell = colour_shell(pyhost, home)
    shell.more("text = '''first")
    shown = typed_and_shown(shell, "for second'''")
    check("\x1b[32mfor second'''" in shown, repr(shown))
    check("\x1b[1;34mfor" not in shown, repr(shown))
    output = shell.line("print('ok' if 'for' in text else text)")
    check("ok" in output, output)
    end_shell(shell)


def input_and_pdb_stay_plain(pyhost, home):
    """input() and pdb read with plain line editing: no colour, no
    highlighting, no hints."""
    shell = colour_shell(pyhost, home)
    shell.child.send("typed = input('?> ')\r")
    shell.expect(re.escape("\r\n?> "))  # not the echo's
    start = len(shell.transcript.getvalue())
    shell.child.send("for 'x' in None")
    settle(shell)
    shell.child.send("\r")
    shell.prompt()
    check(no_colour(shell.transcript.getvalue()[start:].split(
        PROMPT_COLOUR)[0]), repr(shell.transcript.getvalue()[start:]))
    shell.child.send("breakpoint()\r")
    shell.expect(re.escape("(Pdb) "))
    start = len(shell.transcript.getvalue())
    shell.child.send("p len('abc') if True else None\r")
    shell.expect(re.escape("(Pdb) "))
    shell.child.send("c\r")
    shell.prompt()
    shown = shell.transcript.getvalue()[start:].split(PROMPT_COLOUR)[0]
    check("3" in shown and no_colour(shown), repr(shown))
    end_shell(shell)


def screen(transcript, rows, columns, resizes=()):
    """What a terminal of that size shows after `transcript`: its lines,
    the cursor, and the colours of the cells (pyte's emulator).
    `resizes`: (where in the transcript, rows, columns) of each resize."""
    import pyte
    terminal = pyte.Screen(columns, rows)
    stream = pyte.Stream(terminal)
    done = 0
    for offset, rows, columns in resizes:
        stream.feed(transcript[done:offset])
        terminal.resize(rows, columns)
        done = offset
    stream.feed(transcript[done:])
    colours = {(y, x): (cell.fg, cell.bold)
               for y, line in terminal.buffer.items()
               for x, cell in line.items() if cell.fg != "default"}
    return terminal.display, (terminal.cursor.x, terminal.cursor.y), colours


CLEAR_LINE = "\x05\x15"  # Ctrl-E, Ctrl-U

SCREEN_STEPS = [
    # A line wider than the terminal, edited at its start and end.
    "x = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH' + str(1)",
    "\x01", "\x1bf", "for ", "\x05", "#", "\x7f", "\x7f\x7f", CLEAR_LINE,
    # Exactly a row's width (36 characters after the prompt), then more.
    "a" * 35, "b", "c", "\x7f", "\x7f", "\x01if ", CLEAR_LINE,
    # Tabs, double-width and accented characters.
    "if True:\t# x", "\x01\t", CLEAR_LINE,
    "s = '日本語のテキストです日本語のテキ' + 'é'", "\x01\x1bf", "ü",
    CLEAR_LINE,
    # A block, recalled and edited across its lines, run.
    "def f(x):\r", "    return x * 2  # double\r", "\r",
    UP, UP, "  ", DOWN, "\x05", "\x1b[D", "1", "\x05\r",
    # Ctrl-R, left with Escape; a numeric argument; completions; a hint.
    "\x12double", "\x1b", "\x1b[D", "\x1b3", "z", CLEAR_LINE,
    "print(len('abc'))\r", "\x12len", "\x12", "\x1b", "\x1b2", "y",
    CLEAR_LINE,
    "import os\r", "os.pa\t", "\t", "th\r",
    "len(\t", "'ab')\r",
    # A line of two rows, the window narrowed under it, then edited.
    "print('abcdefghijklmnopqrstuvwxyz', len('abcdefghij'))", "\x01\x1bf",
    ("resize", 12, 30), "X", "\x05", "Y", ("resize", 12, 40), CLEAR_LINE,
]


def colour_leaves_the_screen_as_readline_draws_it(pyhost, home):
    """Typed with colour and without (two shells side by side, each key to
    both), each key leaves the same text on the screen (of a terminal
    emulator, 12 rows of 40 columns), with the cursor at the same place;
    with colour, some of it is coloured."""
    shells, homes = [], []
    for env in ({"NO_COLOR": "1", "TERM": "xterm"},
                {"NO_COLOR": None, "TERM": "xterm"}):
        homes.append(make_home())
        paste_home(homes[-1])
        shells.append(Shell(pyhost, homes[-1], ["-q"], env=env,
                            dimensions=(12, 40)))
        shells[-1].prompt()
    resizes = [[], []]
    shots = []
    try:
        for step in SCREEN_STEPS:
            for shell, its_resizes in zip(shells, resizes):
                if isinstance(step, tuple):
                    its_resizes.append((len(shell.transcript.getvalue()),
                                        *step[1:]))
                    shell.child.setwinsize(*step[1:])
                else:
                    shell.child.send(step)
            for _ in range(10):  # until both have drawn the same, or 10 s
                for shell in shells:
                    quiet(shell)
                shot = [screen(shell.transcript.getvalue(), 12, 40,
                               its_resizes)
                        for shell, its_resizes in zip(shells, resizes)]
                if shot[0][:2] == shot[1][:2]:
                    break
                time.sleep(1)
            shots.append(shot)
    finally:
        for shell, own_home in zip(shells, homes):
            shell.child.close(force=True)
            shutil.rmtree(own_home, ignore_errors=True)
    for step, (without, with_colour) in enumerate(shots):
        check(without[:2] == with_colour[:2],
              f"after {SCREEN_STEPS[step]!r} (step {step}):\n" +
              "\n".join(f"{a!r}\n{b!r}" for a, b in
                        zip(without[0], with_colour[0])) +
              f"\ncursor {without[1]} / {with_colour[1]}")
        check(not without[2], f"colour without colour: {without[2]}")
    check(any(shot[1][2] for shot in shots), "nothing was coloured")
    # The first step: "x = 'abc..." with the string in green.
    display, _, colours = shots[0][1]
    row = next(y for y, line in enumerate(display) if "x = '" in line)
    column = display[row].index("'")
    check(colours.get((row, column)) == ("green", False), colours)


# ---- issue 16: signature hints, obj? ----

def hint_after(shell, typed, hint):
    """Types `typed` and Tab; waits for `hint` on a line of its own; then
    drops the line."""
    start = len(shell.transcript.getvalue())
    shell.child.send(typed + "\t")
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        shown = shell.transcript.getvalue()[start:]
        if "\r\n" + hint + "\r\n" in shown:
            break
        settle(shell, 0.1)
    shell.child.send(CTRL_U)
    settle(shell, 0.1)
    return shown


def signature_hints_on_tab(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.child.send("def greet(name, punctuation='!'): "
                     "return name + punctuation\r\r")
    shell.prompt()
    shell.child.send("class Pair:\r    def __init__(self, left, right):"
                     " pass\r\r")
    shell.prompt()
    shell.line("import os")
    for typed, hint in (("greet(", "greet(name, punctuation='!')"),
                        ("len(", "len(obj, /)"),
                        ("Pair(", "Pair(left, right)"),
                        ("os.path.join(", "os.path.join(a, *p)"),
                        ("gre", "greet(name, punctuation='!')"),
                        ("os.path.joi", "os.path.join(a, *p)")):
        shown = hint_after(shell, typed, hint)
        check("\r\n" + hint + "\r\n" in shown,
              f"{typed!r}: {hint!r} not in {shown!r}")
    # The line stays as it was (completed), and runs.
    shell.child.send("gre\t")
    settle(shell)
    shell.child.send("\t")
    settle(shell)
    output = shell.line("'hi')")
    check("'hi!'" in output, repr(output))
    # Tab on a blank word that opens no call still indents.
    shell.more("if True:")
    shell.more("\tx = 5")
    shell.line("")
    check("5" in shell.line("x"), "Tab did not indent")
    end_shell(shell)


def signature_hint_runs_no_property(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.child.send(PROPERTY_CLASS)
    shell.prompt()
    shell.line("w = W()")
    shell.line("W.method = lambda self, c: None")
    for typed in ("w.watched(", "w.watched.bit_length(", "w.wat"):
        shell.child.send(typed + "\t")
        settle(shell, 0.5)
        shell.child.send(CTRL_U)
    hint_after(shell, "w.method(", "w.method(c)")
    output = shell.line("w.watched?")
    check("Help on property" in output, repr(output))
    output = shell.line("print('reads', W.reads)")
    check("reads 0" in output, output)
    end_shell(shell)


SLOW_SIGNATURE = ("class Slow:\r"
                  "    @property\r"
                  "    def __signature__(self):\r"
                  "        while True: pass\r"
                  "    def __call__(self): pass\r"
                  "\r")


def ctrl_c_interrupts_a_signature_hint(pyhost, home):
    shell = quiet_shell(pyhost, home)
    shell.child.send(SLOW_SIGNATURE)
    shell.prompt()
    shell.line("slow = Slow()")
    shell.child.send("slow(\t")
    interrupt(shell, after=1)
    shell.child.send("\x01# \r")  # the line, intact, made a comment
    try:
        kept = shell.prompt()
    except pexpect.TIMEOUT:
        raise AssertionError("no prompt after Ctrl-C")
    check("# slow(" in kept, repr(kept))
    check("alive" in shell.line("print('alive')"), "the shell did not go on")
    end_shell(shell)


def question_mark_shows_help(pyhost, home):
    """obj? shows help(obj)'s first screen, obj?? the source; a line that
    is valid Python, or names nothing, is left to Python."""
    shell = quiet_shell(pyhost, home)
    output = shell.line("len?")
    check("Help on built-in function len in module builtins:" in output and
          "len(obj, /)" in output, repr(output))
    shell.line("import json, os")
    output = shell.line("json.dumps??")
    check("def dumps(obj, *," in output, repr(output))
    output = shell.line("  os  ?")
    lines = output.split("\r\n")
    check("Help on module os:" in output and
          re.search(r"\[\d+ more lines: help\(os\) shows them all\]", output)
          and len(lines) <= 40, repr(output))
    output = shell.line("x = 1  # what?")
    check("Help" not in output and "Error" not in output, repr(output))
    output = shell.line("no_such_name?")
    check("SyntaxError" in output, repr(output))
    shell.exit()
    check("len?" in read_history(home) and
          "x = 1  # what?" in read_history(home), read_history(home))


def with_colour(case):
    """`case` with colour on (TERM=xterm, no colour variable), the shell
    read through a terminal that drops colour sequences: what it checks
    holds with colour as without."""
    def run(pyhost, home):
        global COLOUR_ENV, DECOLOUR
        saved = COLOUR_ENV, DECOLOUR
        COLOUR_ENV, DECOLOUR = {}, True
        try:
            case(pyhost, home)
        finally:
            COLOUR_ENV, DECOLOUR = saved
    run.__name__ = "colour_on_" + case.__name__
    return run


CASES = [banner, quiet_hides_banner, completion_prefix_keeps_whole_characters, echo_and_underscore, multi_line_block,
         traceback_then_prompt, ctrl_c_discards_line, ctrl_c_interrupts_code,
         exit_and_quit, history_written_and_recalled, history_size_cap,
         two_shells_keep_lines, unwritable_history_warns_once,
         unreadable_history_warns_once, completion_of_attributes,
         completion_of_modules, completion_of_globals,
         isolated_has_line_editing, import_readline_keeps_working,
         inspect_after_script, terminal_mode_restored,
         piped_input_writes_no_history,
         tab_on_blank_word_indents, resize_is_followed,
         input_hook_runs_at_prompt, ctrl_c_reaches_input_hook,
         pdb_completion_sees_begidx,
         completion_runs_no_property, completion_never_runs_a_property,
         ctrl_c_interrupts_completion, ctrl_c_interrupts_display_hook,
         inputrc_bindings_win, inputrc_settings_win,
         inputrc_if_python_sections, isolated_pdb_keeps_tab_and_history,
         isolated_adds_no_interactive_hook, completion_details_match,
         set_auto_history_false_is_honoured, startup_rlcompleter_is_kept,
         startup_file_keeps_pyhost_completer, first_tab_completes,
         rlcompleter_imports_as_usual, readline_wrappers_match_the_module,
         shell_start_imports_only_readline,
         display_all_waits_for_answer, relative_histfile_resolved_at_start,
         relative_home_has_history,
         histsize_negative_is_unlimited, histsize_zero_saves_nothing,
         histsize_not_a_number_warns_once, devnull_histfile_is_silent,
         directory_histfile_says_so, forked_child_saves_no_history,
         history_saves_typed_lines_whatever_the_list,
         sighup_and_sigterm_save_history,
         sigterm_during_hung_completion, sigterm_while_output_stopped,
         terminal_restored_after_sigterm_while_stopped,
         user_sigterm_handler_wins,
         help_names_history_variables, loaded_history_is_readlines_list,
         block_is_one_history_entry, recalled_block_is_edited_across_lines,
         history_file_counts_entries, paste_runs_like_a_file,
         big_paste_has_no_echo_storm,
         bracketed_paste_on_unless_inputrc_says_off,
         bare_commands_at_the_prompt, help_alone_opens_help,
         auto_indent_after_a_colon, auto_indent_takes_the_blocks_unit,
         auto_indent_dedents_after_block_enders,
         auto_indent_moves_clauses_to_their_block,
         backspace_in_indentation_removes_a_level,
         typed_indentation_replaces_auto_indent, paste_is_not_auto_indented,
         recalled_block_gets_no_indentation, ctrl_d_on_auto_indented_line,
         auto_indent_off_by_environment, auto_indent_off_by_inputrc,
         auto_indent_off_on_dumb_terminal, input_keeps_plain_editing,
         colours_by_default, colour_variables_turn_it_off,
         colour_variables_force_it_on,
         no_colour_when_output_is_not_a_terminal,
         tracebacks_plain_when_stderr_is_not_a_terminal,
         traceback_text_is_python311s, colour_carets_and_syntax_errors,
         prompt_markers_around_escapes_only, editing_a_highlighted_line,
         highlighting_follows_a_block, input_and_pdb_stay_plain,
         colour_leaves_the_screen_as_readline_draws_it,
         signature_hints_on_tab, signature_hint_runs_no_property,
         ctrl_c_interrupts_a_signature_hint, question_mark_shows_help]


# The shell's habits with colour on, as without: cases of every kind
# (typing, history, blocks, paste, completion, Ctrl-C, pdb, inputrc,
# auto-indent).
# Every case before issue 16's colour passes so, but for
# block_is_one_history_entry, whose reading takes the line drawn again
# after Ctrl-R (the coloured prompt with it, see syntax_highlight.c) for
# the next prompt.
CASES += [with_colour(case) for case in (
    echo_and_underscore, multi_line_block, traceback_then_prompt,
    ctrl_c_discards_line, ctrl_c_interrupts_code,
    history_written_and_recalled, completion_of_attributes,
    completion_of_modules, completion_of_globals, isolated_has_line_editing,
    tab_on_blank_word_indents, resize_is_followed, pdb_completion_sees_begidx,
    completion_runs_no_property, ctrl_c_interrupts_completion,
    inputrc_bindings_win, completion_details_match,
    display_all_waits_for_answer, recalled_block_is_edited_across_lines,
    history_file_counts_entries, paste_runs_like_a_file,
    big_paste_has_no_echo_storm, bare_commands_at_the_prompt,
    shell_start_imports_only_readline, auto_indent_after_a_colon,
    auto_indent_moves_clauses_to_their_block,
    backspace_in_indentation_removes_a_level,
    typed_indentation_replaces_auto_indent, ctrl_d_on_auto_indented_line)]


def in_fresh_home(case, pyhost):
    """The case as the harness runs it: in a home of its own, removed
    after."""
    def run():
        home = make_home()
        try:
            case(pyhost, home)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return run


def main():
    global REFERENCE
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("--pyhost", required=True)
    parser.add_argument("--reference", default=REFERENCE)
    args = parser.parse_args()
    pyhost = os.path.abspath(args.pyhost)
    REFERENCE = args.reference
    cases = [(case.__name__.replace("_", " "), in_fresh_home(case, pyhost))
             for case in CASES]
    return harness.run(cases, args)


if __name__ == "__main__":
    sys.exit(main())

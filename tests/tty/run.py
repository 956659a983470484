"""Tests of pyhost's interactive shell through a real pseudo-terminal.

Usage: python3.11 tests/tty/run.py --pyhost PATH [--reference PYTHON]
                                   [-k SUBSTRING] [-v]

Each case starts pyhost under pexpect (which makes its own pseudo-terminal,
so the tests run the same with no terminal on standard input) with HOME,
PYHOST_HISTFILE and INPUTRC in a fresh directory and no PYTHON* variables,
types at it, and checks what the terminal shows, exit statuses and the
history file.  Where the point is parity with python3.11 ("never worse
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


class Shell:
    """One pyhost in a pseudo-terminal, in its own home directory."""

    def __init__(self, pyhost, home, args=(), env=None, command=None):
        environment = {k: v for k, v in os.environ.items()
                       if not k.startswith("PYTHON")}
        environment.update(HOME=home, TERM="xterm", LC_ALL="C.UTF-8",
                           PYHOST_HISTFILE=os.path.join(home, "history"),
                           INPUTRC=os.path.join(home, "inputrc"))
        environment.update(env or {})
        if command is None:
            command, args = pyhost, list(args)
        self.child = pexpect.spawn(command, list(args), env=environment,
                                   cwd=home, encoding="utf-8",
                                   timeout=TIMEOUT, dimensions=(40, 200))
        self.transcript = io.StringIO()  # everything the terminal showed
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
         auto_indent_off_on_dumb_terminal, input_keeps_plain_editing]


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

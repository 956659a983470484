"""Tests of pyhost's interactive shell through a real pseudo-terminal.

Usage: python3.11 tests/tty/run.py --pyhost PATH [-k SUBSTRING]

Each case starts pyhost under pexpect (which makes its own pseudo-terminal,
so the tests run the same with no terminal on standard input) with HOME,
PYHOST_HISTFILE and INPUTRC in a fresh directory and no PYTHON* variables,
types at it, and checks what the terminal shows, exit statuses and the
history file.  The last line is "N passed, N failed[, N skipped]".
"""
import argparse
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

import pexpect

TIMEOUT = 10
PROMPT = ">>> "
UP = "\x1b[A"


class Skip(Exception):
    pass


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

    def line(self, text):
        """Types a line and returns what appeared up to the next prompt."""
        self.child.send(text + "\r")
        return self.prompt()

    def finish(self):
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus, self.child.signalstatus


def make_home():
    home = tempfile.mkdtemp(prefix="pyhost-tty-")
    with open(os.path.join(home, "inputrc"), "w") as out:
        out.write("set enable-bracketed-paste off\n")
    return home


def check(condition, message):
    if not condition:
        raise AssertionError(message)


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
    shell.child.sendeof()
    check(shell.finish() == (0, None), "Ctrl-D did not exit with 0")


def quiet_hides_banner(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    text = shell.prompt()
    check("pyhost" not in text and "Type" not in text, text)
    shell.child.sendeof()
    shell.finish()


def echo_and_underscore(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    check("Point(x=1.0, y=2.0)" in shell.line("__import__('point').Point(1, 2)"),
          "no echo of the repr")
    check("2.0" in shell.line("_.y"), "_ does not hold the last value")
    shell.child.sendeof()
    shell.finish()


def multi_line_block(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shell.child.send("for i in range(3):\r")
    shell.expect(re.escape("... "))
    shell.child.send("    print(i * 10)\r")
    shell.expect(re.escape("... "))
    output = shell.line("")
    check(re.search(r"0\s+10\s+20", output), output)
    shell.child.sendeof()
    shell.finish()


def traceback_then_prompt(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    output = shell.line("1 / 0")
    check("Traceback" in output and "ZeroDivisionError" in output, output)
    check("42" in shell.line("6 * 7"), "the shell did not go on")
    shell.child.sendeof()
    check(shell.finish() == (0, None), "bad exit status")


def ctrl_c_discards_line(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
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
    shell.child.sendeof()
    check(shell.finish() == (0, None), "bad exit status")


def ctrl_c_interrupts_code(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shell.child.send("while True: pass\r")
    shell.expect(re.escape("... "))
    shell.child.send("\r")
    time.sleep(0.3)
    shell.child.sendintr()
    output = shell.prompt()
    check("KeyboardInterrupt" in output and "Traceback" in output, output)
    check("ok" in shell.line("print('ok')"), "the shell did not go on")
    shell.child.sendeof()
    check(shell.finish() == (0, None), "bad exit status")


def exit_and_quit(pyhost, home):
    for command, status in (("exit()", 0), ("quit()", 0), ("exit(3)", 3),
                            ("raise SystemExit(4)", 4)):
        shell = Shell(pyhost, home, ["-q"])
        shell.prompt()
        shell.child.send(command + "\r")
        check(shell.finish() == (status, None), f"{command}: bad status")


def history_written_and_recalled(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shell.line("remembered = 6 * 7")
    shell.child.sendeof()
    shell.finish()
    path = os.path.join(home, "history")
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "mode is not 0600")
    check("remembered = 6 * 7" in read_history(home), read_history(home))
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shell.child.send(UP)
    time.sleep(0.2)
    shell.child.send("\r")
    shell.prompt()
    check("42" in shell.line("remembered"), "the recalled line did not run")
    shell.child.sendeof()
    shell.finish()


def history_size_cap(pyhost, home):
    for batch in (["a = 1", "b = 2"], ["c = 3", "d = 4", "e = 5"]):
        shell = Shell(pyhost, home, ["-q"], env={"PYHOST_HISTSIZE": "3"})
        shell.prompt()
        for line in batch:
            shell.line(line)
        shell.child.sendeof()
        shell.finish()
    check(read_history(home) == ["c = 3", "d = 4", "e = 5"],
          read_history(home))


def two_shells_keep_lines(pyhost, home):
    first = Shell(pyhost, home, ["-q"])
    second = Shell(pyhost, home, ["-q"])
    first.prompt()
    second.prompt()
    first.line("from_first = 1")
    second.line("from_second = 2")
    first.child.sendeof()
    first.finish()
    second.child.sendeof()
    second.finish()
    lines = read_history(home)
    check("from_first = 1" in lines and "from_second = 2" in lines, lines)


def unwritable_history_warns_once(pyhost, home):
    blocker = os.path.join(home, "not-a-directory")
    open(blocker, "w").close()
    shell = Shell(pyhost, home, ["-q"], env={
        "PYHOST_HISTFILE": os.path.join(blocker, "history")})
    shell.prompt()
    check("42" in shell.line("6 * 7"), "the shell does not work")
    shell.child.sendeof()
    check(shell.finish() == (0, None), "bad exit status")
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
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shell.line("from point import Point; p = Point(1, 2)")
    shown = complete(shell, "p.", "p.x", "p.y")
    check("p.x" in shown and "p.y" in shown, repr(shown))
    shell.child.sendeof()
    shell.finish()


def completion_of_modules(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shown = complete(shell, "import has", "hashset", "hash_set")
    check("hashset" in shown and "hash_set" in shown, repr(shown))
    shell.child.send("from poi\t")
    time.sleep(0.3)
    check("done" in shell.line(" import Point; print('done')"),
          "from poi did not complete to point")
    shell.child.sendeof()
    shell.finish()


def completion_of_globals(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shell.line("a_rather_unique_name = 41")
    shell.child.send("a_rather_uni\t")
    time.sleep(0.3)
    check("42" in shell.line(" + 1"), "the global name was not completed")
    shell.child.sendeof()
    shell.finish()


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
    shell.child.sendeof()
    shell.finish()
    check(not os.path.exists(os.path.join(home, "history")),
          "-I wrote a history file")


def import_readline_keeps_working(pyhost, home):
    shell = Shell(pyhost, home, ["-q"])
    shell.prompt()
    shell.line("import readline, rlcompleter")
    check("42" in shell.line("6 * 7"), "input broke after import readline")
    shell.child.sendeof()
    check(shell.finish() == (0, None), "bad exit status")


def inspect_after_script(pyhost, home):
    script = os.path.join(home, "script.py")
    with open(script, "w") as out:
        out.write("answer = 42\nprint('script ran')\n")
    shell = Shell(pyhost, home, ["-i", script])
    text = shell.prompt()
    check("script ran" in text and "pyhost" not in text, text)
    check("43" in shell.line("answer + 1"), "-i lost the script's names")
    shell.child.sendeof()
    check(shell.finish() == (0, None), "bad exit status")


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


CASES = [banner, quiet_hides_banner, echo_and_underscore, multi_line_block,
         traceback_then_prompt, ctrl_c_discards_line, ctrl_c_interrupts_code,
         exit_and_quit, history_written_and_recalled, history_size_cap,
         two_shells_keep_lines, unwritable_history_warns_once,
         unreadable_history_warns_once, completion_of_attributes,
         completion_of_modules, completion_of_globals,
         isolated_has_line_editing, import_readline_keeps_working,
         inspect_after_script, terminal_mode_restored,
         piped_input_writes_no_history]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyhost", required=True)
    parser.add_argument("--reference")  # accepted for a uniform interface
    parser.add_argument("-k", dest="pattern", default="")
    args = parser.parse_args()
    pyhost = os.path.abspath(args.pyhost)

    passed = failed = 0
    for case in CASES:
        name = case.__name__.replace("_", " ")
        if args.pattern not in name:
            continue
        home = make_home()
        try:
            case(pyhost, home)
        except (AssertionError, pexpect.ExceptionPexpect) as problem:
            failed += 1
            print(f"FAIL {name}\n     " +
                  str(problem).replace("\n", "\n     ")[:3000])
        else:
            passed += 1
            print(f"ok   {name}")
        finally:
            shutil.rmtree(home, ignore_errors=True)
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

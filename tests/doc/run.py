"""Tests of the manual page, --help, the docstrings and make install.

Usage: python3.11 tests/doc/run.py --pyhost PATH [-k SUBSTRING] [-v]

The page must lint clean (mandoc -Tlint, groff -ww), render with man(1),
have every section the project promises, name every public method of
HashSet and Point, and describe pyhost's own options in the words --help
uses.  `make install` into a scratch DESTDIR must put the binary and the
page where `man` finds them, and `make uninstall` must remove exactly
that.  The last line is "N passed, N failed".
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
from harness import check  # noqa: E402

PAGE = os.path.join(ROOT, "man", "pyhost.1")
SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "INTERACTIVE MODE",
            "BUILT-IN MODULES", "ENVIRONMENT", "FILES", "EXIT STATUS",
            "EXAMPLES", "DIFFERENCES FROM THE TUTORIAL'S MODULES",
            "COPYRIGHT", "SEE ALSO"]


def run(command, **options):
    return subprocess.run(command, capture_output=True, text=True,
                          timeout=120, **options)


def rendered_text():
    """The page as plain text, unhyphenated, one paragraph a line."""
    result = run(["mandoc", "-Tascii", "-O", "width=1000", PAGE])
    check(result.returncode == 0, result.stderr)
    return re.sub(r".\x08", "", result.stdout)  # drop overstriking


def squeeze(text):
    return " ".join(text.replace('"', "").split())


def test_mandoc_lint(pyhost):
    result = run(["mandoc", "-Tlint", "-W", "all", PAGE])
    check(result.returncode == 0 and not result.stdout.strip(),
          result.stdout + result.stderr)


def test_groff_warnings(pyhost):
    result = run(["groff", "-man", "-ww", "-z", PAGE])
    check(result.returncode == 0 and not result.stderr.strip(), result.stderr)


def test_man_renders_every_section(pyhost):
    env = dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="80")
    result = run(["man", "-l", PAGE], env=env)
    check(result.returncode == 0, result.stderr)
    text = re.sub(r".\x08", "", result.stdout)
    for section in SECTIONS:
        check(re.search(r"^" + re.escape(section) + r"$", text, re.M),
              f"section {section} missing")


def pyhost_output(pyhost, *args):
    """What pyhost prints with args; fails unless it exits with 0."""
    result = run([pyhost, *args])
    check(result.returncode == 0, result.stderr)
    return result.stdout


# Code for pyhost: the classes the page documents, and which of their
# members are public.
PUBLIC_MEMBERS = (
    "import point, hashset\n"
    "CLASSES = (point.Point, hashset.HashSet, hashset.SetIterator)\n"
    "def public_members(cls):\n"
    "    return sorted(n for n in vars(cls)\n"
    "                  if not n.startswith('_') or n == '__length_hint__')\n")


def public_names(pyhost):
    code = (PUBLIC_MEMBERS + "import json\n"
            "print(json.dumps({cls.__name__: public_members(cls)"
            " for cls in CLASSES}))\n")
    return json.loads(pyhost_output(pyhost, "-c", code))


def test_every_public_name_documented(pyhost):
    text = rendered_text()
    names = public_names(pyhost)
    check(len(names["HashSet"]) >= 20, names)
    for owner, members in names.items():
        check(owner in text, f"{owner} not in the page")
        for member in members:
            check(re.search(r"\b" + re.escape(member) + r"\b", text),
                  f"{owner}.{member} not in the page")


def help_options(pyhost):
    """pyhost's own options in --help: {option line: description}."""
    block = pyhost_output(pyhost, "--help").split("pyhost's own options", 1)[1]
    block = block.split("Every other option", 1)[0]
    options, current = {}, None
    for line in block.splitlines()[1:]:
        match = re.match(r"  (-\S.*?)  +(\S.*)", line)
        if match:
            current = match[1]
            options[current] = match[2]
        elif current and line.strip():
            options[current] += " " + line.strip()
    return options


def test_help_and_page_agree_on_options(pyhost):
    options = help_options(pyhost)
    check(set(options) == {"-h, -?, --help", "-V, --version"}, options)
    text = squeeze(rendered_text())
    section = text.split("OPTIONS", 1)[1].split("Every other option", 1)[0]
    for names, description in options.items():
        check(squeeze(names) in section, f"{names} not in OPTIONS")
        check(squeeze(description) in section,
              f"--help says {description!r}; the page says otherwise")
    page_options = set(re.findall(r"(?<![\w-])-[-\w?]+", section))
    help_words = set(re.findall(r"(?<![\w-])-[-\w?]+", " ".join(options)))
    check(page_options - {"-c", "-m", "-VV"} <= help_words,
          f"the page names options --help does not: {page_options}")


def test_docstrings_and_signatures(pyhost):
    code = (PUBLIC_MEMBERS + "import inspect, pydoc\n"
            "for obj in (point, hashset):\n"
            "    text = pydoc.render_doc(obj, renderer=pydoc.plaintext)\n"
            "    assert obj.__doc__ and obj.__doc__.split()[0] in text\n"
            "text = pydoc.render_doc(hashset.HashSet, renderer=pydoc.plaintext)\n"
            "assert 'insert(self, value, /)' in text, text\n"
            "assert 'HashSet(iterable=())' in text, text\n"
            "text = pydoc.render_doc(point.Point, renderer=pydoc.plaintext)\n"
            "assert 'Point(x, y)' in text, text\n"
            "count = 0\n"
            "for cls in CLASSES:\n"
            "    for name in public_members(cls):\n"
            "        if callable(vars(cls)[name]):\n"
            "            inspect.signature(getattr(cls, name))\n"
            "            assert getattr(cls, name).__doc__, name\n"
            "            count += 1\n"
            "inspect.signature(point.Point); inspect.signature(hashset.HashSet)\n"
            "print(count)\n")
    output = pyhost_output(pyhost, "-c", code)
    check(int(output) >= 22, output)


def test_install_and_uninstall(pyhost):
    build = os.path.dirname(os.path.abspath(pyhost))
    destdir = tempfile.mkdtemp(prefix="pyhost-install-")
    try:
        make = ["make", "--no-print-directory", "-C", ROOT,
                f"BUILD={build}", f"DESTDIR={destdir}"]
        result = run(make + ["install"])
        check(result.returncode == 0, result.stdout + result.stderr)
        prefix = os.path.join(destdir, "usr", "local")
        binary = os.path.join(prefix, "bin", "pyhost")
        page = os.path.join(prefix, "share", "man", "man1", "pyhost.1")
        check(os.access(binary, os.X_OK), "no executable pyhost installed")
        version = run([binary, "--version"])
        check(version.stdout.startswith("pyhost "), version.stdout)
        env = dict(os.environ, MANPATH=os.path.join(prefix, "share", "man"),
                   MANPAGER="cat", PAGER="cat")
        found = run(["man", "-w", "pyhost"], env=env)
        check(found.stdout.strip() == page, found.stdout + found.stderr)
        shown = run(["man", "pyhost"], env=env)
        check("BUILT-IN MODULES" in re.sub(r".\x08", "", shown.stdout),
              shown.stderr)
        result = run(make + ["uninstall"])
        check(result.returncode == 0, result.stdout + result.stderr)
        left = [os.path.join(d, f) for d, _, files in os.walk(destdir)
                for f in files]
        check(left == [], f"uninstall left {left}")
    finally:
        shutil.rmtree(destdir, ignore_errors=True)


TESTS = [test_mandoc_lint, test_groff_warnings, test_man_renders_every_section,
         test_every_public_name_documented,
         test_help_and_page_agree_on_options, test_docstrings_and_signatures,
         test_install_and_uninstall]


def main():
    parser = harness.parser(__doc__.splitlines()[0])
    parser.add_argument("--pyhost", required=True)
    args = parser.parse_args()
    cases = [(test.__name__.removeprefix("test_").replace("_", " "),
              lambda test=test: test(args.pyhost)) for test in TESTS]
    return harness.run(cases, args)


if __name__ == "__main__":
    sys.exit(main())

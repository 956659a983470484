/* How a bundled application (scripts/bundle-app) reads its command line:
 * every argument is the application's, except the command lines by which
 * multiprocessing starts its own helper processes from sys.executable,
 * which must reach the interpreter instead.  Plain C, no Python, so that
 * the unit tests check what it accepts and what it refuses. */
#ifndef PYHOST_APP_CMDLINE_H
#define PYHOST_APP_CMDLINE_H

#include <stdbool.h>

/* Whether argv is exactly one of the command lines that multiprocessing
 * (3.11, not frozen) runs sys.executable with:
 *
 *   EXE [FLAGS] -c 'from multiprocessing.spawn import spawn_main; '
 *                  'spawn_main(tracker_fd=5, pipe_handle=7)'
 *                  --multiprocessing-fork
 *   EXE [FLAGS] -c 'from multiprocessing.resource_tracker import main;'
 *                  'main(5)'
 *   EXE [FLAGS] -c 'from multiprocessing.forkserver import main; '
 *                  'main(5, 6, [...], **{...})'
 *
 * FLAGS being what subprocess._args_from_interpreter_flags() gives for a
 * bundled application (clusters of argument-less flags such as -I, -B,
 * -OO) and the call's arguments literals only (numbers, strings, None,
 * lists, dicts, keyword names): so that an argument list can never make
 * the interpreter run code other than these three entry points. */
bool app_cmdline_is_multiprocessing(int argc, char *const argv[]);

#endif

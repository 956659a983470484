/* Statements at the shell's prompts: which prompt a read is for, the
 * history entry a statement makes (a block is one entry), and a
 * multi-line buffer (a recalled block, a paste) handed to CPython's
 * interactive loop one line at a time, statement by statement, as a
 * file's statements run. */
#ifndef PYHOST_BLOCK_INPUT_H
#define PYHOST_BLOCK_INPUT_H

/* What a call of the line reader reads. */
typedef enum {
    PROMPT_FIRST,        /* the first line of a statement (sys.ps1) */
    PROMPT_CONTINUATION, /* a further line of one (sys.ps2) */
    PROMPT_OTHER         /* input(), pdb, cmd.Cmd: plain line editing */
} prompt_kind_t;

/* Which prompt `prompt` is: the interactive loop's reads run no Python
 * frame, input()'s do.  Needs the GIL. */
prompt_kind_t block_prompt_kind(const char *prompt);

/* At the start of each read, before the terminal is read: adds the last
 * statement's entry to the history when a new one begins (or input()
 * reads), and returns the next line of a multi-line buffer still being
 * handed out (malloc'd, without "\n"), or NULL when the terminal is to
 * be read.  Needs the GIL. */
char *block_next_line(prompt_kind_t kind);

/* A line read from the terminal at a prompt of `kind` (malloc'd; taken
 * over): notes it for the history and returns the line to hand to the
 * interactive loop (malloc'd), which is the line itself, or the first
 * line of its statements when it spans several.  NULL when memory runs
 * out.  Needs the GIL. */
char *block_take_line(char *line, prompt_kind_t kind);

/* Adds the statement being typed to the history now (at end of input). */
void block_finish(void);

/* The lines of the statement being typed so far (joined by "\n"), or
 * NULL: at a "... " prompt, what the line being edited continues. */
const char *block_statement_so_far(void);

#endif

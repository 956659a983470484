"""A small application for the bundling test: it imports built-in,
extension and pure-Python modules of the library, its own package and
its data, and runs its package's functions in processes started with
the spawn and forkserver methods."""

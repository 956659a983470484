/* pyhost's version: the one place it is written down. */
#ifndef PYHOST_VERSION_H
#define PYHOST_VERSION_H

#define PYHOST_VERSION "0.1.0"

#endif

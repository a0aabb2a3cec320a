/* SPDX-License-Identifier: MIT */
/*
 * Self-tests chosen with selftest=NAME: deliberate faults that show the panic report, and
 * checks of kernel services that the integration tests read from the log.
 */
#ifndef VIREO_SELFTEST_H
#define VIREO_SELFTEST_H

/* Run the named test; an unknown name gets a warning listing the known ones. */
void selftest_run(const char *name);

#endif

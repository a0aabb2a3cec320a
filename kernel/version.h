/* SPDX-License-Identifier: MIT */
/* The release of Vireo; the Makefile appends the git revision it was built from. */
#ifndef VIREO_VERSION_H
#define VIREO_VERSION_H

#ifndef VIREO_GIT_REVISION
#define VIREO_GIT_REVISION "unknown"
#endif

#define VIREO_RELEASE "0.1.0"
#define VIREO_VERSION VIREO_RELEASE " (" VIREO_GIT_REVISION ")"

#endif

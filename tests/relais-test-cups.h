/* relais-test-cups.h: the private cupsd of tests/fixtures/relais-cupsd,
 * with its cups-pdf queue, for the tests that print. */
#pragma once

#include <poppler.h>

G_BEGIN_DECLS

/* Starts a private cupsd in a new temporary folder (returned, owned) and
 * points this process's CUPS_SERVER at it. */
char            *relais_test_cupsd_start (void);
void             relais_test_cupsd_stop (const char *dir);
/* Kills that cupsd as a crash would (SIGKILL), then starts it again on the
 * same state and port: the jobs it had accepted come back. */
void             relais_test_cupsd_kill (const char *dir);
void             relais_test_cupsd_revive (const char *dir);
/* Waits until @n PDFs have landed in the cups-pdf folder of @dir and
 * opens the newest. "completed" is no proof: the PDF that landed is. */
PopplerDocument *relais_test_cupsd_wait_landed (const char *dir,
                                                guint       n);

G_END_DECLS

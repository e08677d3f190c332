/* relais-test-util.h: small helpers shared by the test programs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The source tree (env RELAIS_SOURCE_DIR, else guessed from __FILE__). */
const char *relais_test_source_dir (void);
/* The build tree (env RELAIS_BUILD_DIR). */
const char *relais_test_build_dir (void);
/* A path in the kept artefacts folder (created); owned by the caller. */
char       *relais_test_artifact_path (const char *name);
/* A free TCP port on 127.0.0.1 (bound then released). */
guint16     relais_test_free_port (void);
/* A station with no sound card, whatever this machine has: PulseAudio
 * and ALSA (espeak-ng's outputs) given nothing to open. Before any speech. */
void        relais_test_no_sound (void);

/* Undoes hub migrations 27 to 30 (a help context's kind, the central
 * registry's queues, copy and a safe's home), for the tests that take a
 * hub database back by hand so that older migrations run again: one list,
 * which a new migration with a table or a column adds to. A trigger may
 * have gone with its table (mediator_roles) when a test goes back further. */
#define RELAIS_TEST_UNDO_HUB_MIGRATIONS_27_TO_30                                                                               \
  "ALTER TABLE help_requests DROP COLUMN context_kind;"                                                                        \
  "DROP TRIGGER IF EXISTS central_queue_pi; DROP TRIGGER IF EXISTS central_queue_pu; DROP TRIGGER IF EXISTS central_queue_pd;" \
  "DROP TRIGGER IF EXISTS central_up_si; DROP TRIGGER IF EXISTS central_up_su; DROP TRIGGER IF EXISTS central_up_sd;"          \
  "DROP TRIGGER IF EXISTS central_up_di; DROP TRIGGER IF EXISTS central_up_dd; DROP TRIGGER IF EXISTS central_up_ai;"          \
  "DROP TRIGGER IF EXISTS central_up_au; DROP TRIGGER IF EXISTS central_up_ri; DROP TRIGGER IF EXISTS central_up_rd;"          \
  "DROP TRIGGER IF EXISTS central_up_ti; DROP TRIGGER IF EXISTS central_up_tu;"                                                \
  "DROP TABLE central_up;"                                                                                                     \
  "ALTER TABLE safes DROP COLUMN home_site;"                                                                                   \
  "DROP TABLE central_queue; DROP TABLE central_state; DROP TABLE central_copy;"

G_END_DECLS

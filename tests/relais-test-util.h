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

G_END_DECLS

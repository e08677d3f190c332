/* relais-config.h: one documented key file per program, with defaults. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAIS_CONFIG_ERROR (relais_config_error_quark ())
typedef enum {
  RELAIS_CONFIG_ERROR_READ = 1,
  RELAIS_CONFIG_ERROR_UNKNOWN_KEY,
  RELAIS_CONFIG_ERROR_INVALID,
} RelaisConfigError;
GQuark relais_config_error_quark (void);

typedef enum {
  RELAIS_PROGRAM_HUB = 1,
  RELAIS_PROGRAM_STATION,
  RELAIS_PROGRAM_MEDIATOR,
} RelaisProgram;

typedef struct _RelaisConfig RelaisConfig;

/* Reads @path, or when NULL the first of $RELAIS_CONFIG,
 * $XDG_CONFIG_HOME/relais/PROGRAM.conf, /etc/relais/PROGRAM.conf that
 * exists; with none, the embedded defaults alone. A key the program does
 * not know is an error (a typo must not be silently ignored). */
RelaisConfig                *relais_config_load (RelaisProgram program,
                                                 const char   *path,
                                                 GError      **error);
void                         relais_config_free (RelaisConfig *config);
/* The file read, or NULL when only defaults are in force. */
const char                  *relais_config_get_path (RelaisConfig *config);
/* Where the enrolment by code writes the hub's url and pin, the client's
 * name and token: "enrolment=" of [station] or [console] when set (that
 * file is read after the main one, its values win; it may hold nothing
 * else), else the file read; NULL with defaults only (the caller then
 * picks the user's own file). */
const char                  *relais_config_get_enrolment_path (RelaisConfig *config);
/* The value set in the file, else the default; never NULL for a known key.
 * "~/", "$XDG_DATA_HOME/" and "$XDG_CONFIG_HOME/" prefixes are expanded. */
const char                  *relais_config_get (RelaisConfig *config,
                                                const char   *group,
                                                const char   *key);
int                          relais_config_get_int (RelaisConfig *config,
                                                    const char   *group,
                                                    const char   *key);
gboolean                     relais_config_get_bool (RelaisConfig *config,
                                                     const char   *group,
                                                     const char   *key);
/* Overrides a value (command-line options). */
void                         relais_config_set (RelaisConfig *config,
                                                const char   *group,
                                                const char   *key,
                                                const char   *value);
/* The documented default file for @program, as text. */
char                        *relais_config_dump_defaults (RelaisProgram program);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisConfig, relais_config_free)

G_END_DECLS

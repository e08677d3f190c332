/* relais-test-hub.h: a real hub on loopback, in the test's own process,
 * with one station ("poste-1"), two consoles ("accueil", "bureau") and two
 * mediators (sophie / "Sophie", marc / "Marc", passwords in the macros). */
#pragma once

#include "relais-hub.h"
#include "relais-config.h"
#include "relais-link.h"
#include "relais-safe-client.h"

G_BEGIN_DECLS

typedef struct {
  char      *dir;
  char      *db_path;
  RelaisHub *hub; /* NULL while stopped */
  guint      port;
  char      *url;
  char      *station_token;
  char      *console_token;
  char      *console2_token;
} RelaisTestHub;

#define RELAIS_TEST_SOPHIE_PASSWORD "sophie-secret"
#define RELAIS_TEST_MARC_PASSWORD   "marc-secret"
/* claire / "Claire": staff (statistics). */
#define RELAIS_TEST_CLAIRE_PASSWORD "claire-secret"

RelaisTestHub *relais_test_hub_new (void);
/* Stops the hub (its port stays reserved for a restart). */
void           relais_test_hub_stop (RelaisTestHub *hub);
/* Starts it again on the same port and database. */
void           relais_test_hub_start (RelaisTestHub *hub);
void           relais_test_hub_free (RelaisTestHub *hub);

/* Iterates the default main context until @condition (@data) holds. The
 * 20 s bound keeps a broken build from hanging; it is no performance
 * assertion. */
gboolean       relais_test_wait (gboolean (*condition) (gpointer data),
                                 gpointer data);

/* Logs @login in on @link, iterating the main context meanwhile. */
gboolean       relais_test_login (RelaisLink *link,
                                  const char *login,
                                  const char *password,
                                  GError    **error);

/* A console link to @hub (its first console's token) with @login logged
 * in; asserts both went well. */
RelaisLink    *relais_test_console (RelaisTestHub *hub,
                                    const char    *login,
                                    const char    *password);

/* One call to the hub through @link (GET when @body is NULL), iterating
 * the main context until it answers. */
JsonObject    *relais_test_call (RelaisLink *link,
                                 const char *path,
                                 JsonNode   *body,
                                 GError    **error);

/* What a link's reader of the hub's answers (relais_mail_record_from_reply,
 * relais_site_stats_from_reply…) makes of @json: asserts it is refused
 * with RELAIS_LINK_ERROR_PROTOCOL and a sentence naming @member, and
 * nothing returned. */
typedef gpointer (*RelaisTestReader) (JsonObject *reply, GError **error);
void          relais_test_assert_refused (RelaisTestReader read,
                                          const char      *json,
                                          const char      *member);

/* Writes a station's key file for @hub (its token, a database in the
 * hub's folder, not fullscreen), then @extra: NULL or "group", "key",
 * "value" triples, NULL-terminated, set after (so they may replace).
 * Returns: (transfer full): the file's path. */
char         *relais_test_hub_station_config_path (RelaisTestHub      *hub,
                                                   const char         *const *extra);
/* The same, loaded (asserting that it loads). */
RelaisConfig *relais_test_hub_station_config (RelaisTestHub      *hub,
                                              const char * const *extra);

/* A digital safe as a mediator makes it at the desk: @console (logged
 * in) asks the hub. Returns: (transfer full): the number printed on the
 * card; the code written on it in *@code (owned). */
char         *relais_test_safe_create (RelaisLink *console,
                                       char      **code);
/* The resident's first opening at a station: @client activates safe
 * @number with the card's @code and chooses @pin (asserting that it
 * works), then closes the safe when @and_close. The client's calls block:
 * they run on a thread while this one turns the default main context,
 * where a test hub serves. */
void          relais_test_safe_activate (RelaisSafeClient *client,
                                         const char       *number,
                                         const char       *code,
                                         const char       *pin,
                                         gboolean          and_close);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisTestHub, relais_test_hub_free)

G_END_DECLS

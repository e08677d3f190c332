/* test-protocol.c: each protocol word has one string, and back. */
#include "relais-protocol.h"
#include "relais-test-util.h"

typedef const char *(*ToString) (guint value);
typedef guint (*FromString) (const char *word);

/* Every value has its own string, which parses back to it; unknown words,
 * NULL and the unknown value map to each other. */
static void
check_table (const char *what,
             ToString    to_string,
             FromString  from_string,
             guint       n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_test_message ("%s: %u words", what, n - 1);
  g_assert_null (to_string (0));
  g_assert_null (to_string (n));
  g_assert_cmpuint (from_string (NULL), ==, 0);
  g_assert_cmpuint (from_string (""), ==, 0);
  g_assert_cmpuint (from_string ("no-such-word"), ==, 0);
  for (guint i = 1; i < n; i++)
    {
      const char *word = to_string (i);

      g_assert_nonnull (word);
      g_assert_false (g_hash_table_contains (seen, word));
      g_hash_table_add (seen, (gpointer) word);
      g_assert_cmpuint (from_string (word), ==, i);
    }
}

#define CHECK(what, prefix, n) \
  check_table (what, (ToString) prefix##_to_string, (FromString) prefix##_from_string, n)

static void
test_tables_round_trip (void)
{
  CHECK ("event types", relais_event_type, RELAIS_EVENT_N_TYPES);
  CHECK ("help states", relais_help_state, RELAIS_HELP_N_STATES);
  CHECK ("help verbs", relais_help_verb, RELAIS_HELP_N_VERBS);
  CHECK ("help categories", relais_help_category, RELAIS_HELP_N_CATEGORIES);
  CHECK ("help origins", relais_help_origin, RELAIS_HELP_N_ORIGINS);
  CHECK ("station reasons", relais_station_reason, RELAIS_STATION_N_REASONS);
  CHECK ("station steps", relais_station_step, RELAIS_STATION_N_STEPS);
  CHECK ("stream events", relais_stream_event, RELAIS_STREAM_N_EVENTS);
  CHECK ("roles", relais_role, RELAIS_N_ROLES);
}

/* The words on the wire never change: stations, hub and consoles of
 * different versions meet on them, and the hub's database stores them. */
static void
test_wire_words (void)
{
  g_assert_cmpstr (relais_event_type_to_string (RELAIS_EVENT_HELP_RAISE), ==, "help.raise");
  g_assert_cmpstr (relais_event_type_to_string (RELAIS_EVENT_STATION_STATUS), ==, "station.status");
  g_assert_cmpstr (relais_help_state_to_string (RELAIS_HELP_STATE_CANCELLED), ==, "cancelled");
  g_assert_cmpstr (relais_help_verb_to_string (RELAIS_HELP_VERB_TAKE), ==, "take");
  g_assert_cmpstr (relais_help_category_to_string (RELAIS_HELP_CATEGORY_WEBSITE), ==, "website");
  g_assert_cmpstr (relais_help_origin_to_string (RELAIS_HELP_ORIGIN_STATION), ==, "station");
  g_assert_cmpstr (relais_station_reason_to_string (RELAIS_STATION_REASON_PRINTER_MEDIA_EMPTY), ==,
                   "printer-media-empty");
  g_assert_cmpstr (relais_station_step_to_string (RELAIS_STATION_STEP_WELCOME), ==, "welcome");
  g_assert_cmpstr (relais_stream_event_to_string (RELAIS_STREAM_MAIL_SNAPSHOT), ==, "mail-snapshot");
  /* The hub's database stores the role too. */
  g_assert_cmpstr (relais_role_to_string (RELAIS_ROLE_MEDIATOR), ==, "mediator");
  g_assert_cmpstr (relais_role_to_string (RELAIS_ROLE_STAFF), ==, "staff");
  /* The printer's own word is not a station reason: relais-printer.c
   * translates it. */
  g_assert_cmpint (relais_station_reason_from_string ("media-empty"), ==, RELAIS_STATION_REASON_UNKNOWN);
}

static void
test_categories_valid (void)
{
  g_assert_true (relais_help_category_is_valid ("scanner"));
  g_assert_true (relais_help_category_is_valid ("other"));
  g_assert_false (relais_help_category_is_valid ("Scanner"));
  g_assert_false (relais_help_category_is_valid (""));
  g_assert_false (relais_help_category_is_valid (NULL));
}

static void
test_states (void)
{
  static const struct {
    RelaisHelpState state;
    gboolean        open, waiting;
  } cases[] = {
    { RELAIS_HELP_STATE_UNKNOWN, FALSE, FALSE },
    { RELAIS_HELP_STATE_RAISED, TRUE, TRUE },
    { RELAIS_HELP_STATE_SEEN, TRUE, TRUE },
    { RELAIS_HELP_STATE_TAKEN, TRUE, FALSE },
    { RELAIS_HELP_STATE_RESOLVED, FALSE, FALSE },
    { RELAIS_HELP_STATE_CANCELLED, FALSE, FALSE },
    { RELAIS_HELP_STATE_LEFT, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (relais_help_state_is_open (cases[i].state), ==, cases[i].open);
      g_assert_cmpint (relais_help_state_is_waiting (cases[i].state), ==, cases[i].waiting);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/protocol/tables-round-trip", test_tables_round_trip);
  g_test_add_func ("/protocol/wire-words", test_wire_words);
  g_test_add_func ("/protocol/categories-valid", test_categories_valid);
  g_test_add_func ("/protocol/states", test_states);
  return g_test_run ();
}

/* relais-db-mail-private.h: what the relais-db-mail*.c files share,
 * nobody else. */
#pragma once

#include <sqlite3.h>
#include "relais-db-mail.h"

#define MAX_NAME_CHARS       100
#define MAX_LETTERS_PER_ITEM 50
#define MAX_CANDIDATES       300

#define PERSON_COLUMNS                                                                                               \
  "p.id, p.number, p.surname, p.first_names, p.birth_date, p.phone, p.email, p.notify,"                              \
  " p.card_id, p.language, p.last_met_by, p.last_met_phone, p.state, p.active_to,"                                   \
  " (SELECT count(*) FROM mail_letters l WHERE l.person_id = p.id AND l.handed_at IS NULL AND l.returned_at IS NULL" \
  "  AND l.return_due_at IS NULL),"                                                                                  \
  " strftime ('%Y-%m-%d', coalesce (p.last_contact_at, p.created_at) / 1000, 'unixepoch', 'localtime'),"             \
  " p.sex, p.household, p.last_contact_kind, p.npai_at IS NOT NULL, p.forward_address, p.forward_from"

/* ---- small checks (relais-db-mail.c) ---- */

gboolean          relais_db_mail_set_invalid (GError    **error,
                                              const char *message);
gboolean          relais_db_mail_date_valid (const char *date);
/* Letters, digits and hyphens: numbers, card ids, languages. */
gboolean          relais_db_mail_token_valid (const char *text,
                                              gsize       max);
gboolean          relais_db_mail_free_text_valid (const char *text,
                                                  gsize       max);
const char       *relais_db_mail_empty_to_null (const char *text);
char             *relais_db_mail_today_of (gint64 now_ms);

/* ---- people (relais-db-mail.c) ---- */

/* One row of PERSON_COLUMNS. */
RelaisMailPerson *relais_db_mail_person_from_row (sqlite3_stmt *stmt);
RelaisMailPerson *relais_db_mail_person_get_by_id (RelaisDb *db,
                                                   gint64    id,
                                                   GError  **error);
gint64            relais_db_mail_person_id (RelaisDb   *db,
                                            const char *number,
                                            GError    **error);

/* ---- notices (relais-db-mail-notify.c) ---- */

/* Queues one notice to @p from template @name. A person who asked for
 * none, or whose domiciliation ended, gets none. */
gboolean          relais_db_mail_queue_notice (RelaisDb               *db,
                                               const RelaisMailPerson *p,
                                               const char             *reason,
                                               const char             *name,
                                               gint64                  count,
                                               const char             *missing,
                                               const char             *date,
                                               const RelaisMailSite   *site,
                                               gint64                  now,
                                               GError                **error);

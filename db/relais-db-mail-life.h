/* relais-db-mail-life.h: the end of a domiciled person's data (hub):
 * deletion on request, the retention purge with its preview, and the
 * data journal (lines with no personal data, and each opening of an
 * identity document). */
#pragma once

#include "relais-db-mail.h"

G_BEGIN_DECLS

extern const char relais_db_mail_hub_migration_life[];

/* By default, people are kept two years after their domiciliation ended
 * (or their last contact, whichever is later). */
#define RELAIS_MAIL_RETENTION_DAYS_DEFAULT 730

/* Deletes the person @number with their letters, notices, documents,
 * proxies and decisions, in one transaction; writes a journal line
 * saying what was deleted (counts) and by whom, not who it was.
 * NOT_FOUND when there is no such person. */
gboolean   relais_db_mail_person_delete (RelaisDb   *db,
                                         const char *number,
                                         const char *by,
                                         gint64      now,
                                         GError    **error);

/* The people the purge would delete on @today (YYYY-MM-DD): no
 * domiciliation running or pending, and both its end (active_to) and
 * their last contact more than @retention_days before @today. Ordered by
 * number; RelaisMailPerson* (their last_contact set). */
GPtrArray *relais_db_mail_purge_preview (RelaisDb   *db,
                                         int         retention_days,
                                         const char *today,
                                         GError    **error);
/* Deletes the people of @numbers (the preview staff confirmed) that are
 * still due on @today — one who came back since is kept — and journals
 * one line with the count. Returns how many were deleted, -1 on error
 * (nothing deleted). */
int        relais_db_mail_purge (RelaisDb           *db,
                                 const char        *const *numbers,
                                 int                 retention_days,
                                 const char         *today,
                                 const char         *by,
                                 gint64              now,
                                 GError            **error);

/* The domiciliation register: every person, by number
 * (RelaisMailPerson*), at most @limit. */
GPtrArray *relais_db_mail_register_list (RelaisDb *db,
                                         int       limit,
                                         GError  **error);

/* One line of the data journal. */
typedef struct {
  gint64 at; /* ms */
  char  *who;
  char  *what;   /* "person-deleted", "purge", "document-opened" */
  char  *detail; /* counts, or the document's number and label */
} RelaisDataJournalLine;

void relais_data_journal_line_free (RelaisDataJournalLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisDataJournalLine, relais_data_journal_line_free)

gboolean   relais_db_data_journal_add (RelaisDb   *db,
                                       const char *who,
                                       const char *what,
                                       const char *detail,
                                       gint64      now,
                                       GError    **error);
/* The latest @limit lines, newest first. */
GPtrArray *relais_db_data_journal (RelaisDb *db,
                                   int       limit,
                                   GError  **error);

G_END_DECLS

/* relais-db-mail-kinds.h: two kinds of mail with their own hand-over
 * (issue 15): the registered-mail notice (« avis de passage », kind
 * "notice": the person shows an ID and signs, then takes the notice to the
 * post office before its deadline, La Poste keeping the letter 15 days)
 * and the parcel (kind "parcel": handed over with the note of its size
 * and where it is stored). Registered, listed and counted as letters are
 * (their kind tells them apart in the figures). */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

/* Days La Poste keeps a registered letter after the notice. */
#define RELAIS_MAIL_NOTICE_KEEP_DAYS 15
/* A parcel's note: « grand carton, réserve 2 ». */
#define RELAIS_MAIL_PARCEL_NOTE_MAX 120

typedef struct {
  gint64   id;
  char    *kind;            /* "notice" or "parcel" */
  char    *notice_deadline; /* notice: YYYY-MM-DD, the last day at La Poste */
  char    *parcel_note;     /* parcel: size and where stored, or NULL */
  gboolean id_checked;      /* notice handed over: ID seen, signed */
} RelaisMailKindDetails;

void relais_mail_kind_details_free (RelaisMailKindDetails *details);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailKindDetails, relais_mail_kind_details_free)

/* Letter @id's notice deadline and parcel note; NOT_FOUND when it is
 * neither a notice nor a parcel. */
RelaisMailKindDetails *relais_db_mail_kind_details (RelaisDb *db,
                                                    gint64    id,
                                                    GError  **error);
/* Where parcel @id is stored (RELAIS_MAIL_PARCEL_NOTE_MAX characters,
 * free text); INVALID for a letter that is not a waiting parcel. */
gboolean               relais_db_mail_parcel_note_set (RelaisDb   *db,
                                                       gint64      id,
                                                       const char *note,
                                                       GError    **error);
/* Before handing letters @ids (all waiting when @n_ids is 0) of @number
 * over: a notice among them needs @id_checked (an ID seen and the
 * register signed), else INVALID with the sentence to show. */
gboolean               relais_db_mail_kinds_hand_over_check (RelaisDb     *db,
                                                             const char   *number,
                                                             const gint64 *ids,
                                                             gsize         n_ids,
                                                             gboolean      id_checked,
                                                             GError      **error);
/* After the hand-over: the notices among @handed (RelaisMailLetter *)
 * were given against an ID check. */
gboolean               relais_db_mail_kinds_handed (RelaisDb  *db,
                                                    GPtrArray *handed,
                                                    GError   **error);

G_END_DECLS

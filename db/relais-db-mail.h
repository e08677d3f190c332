/* relais-db-mail.h: mail for domiciled people: people, domiciliations,
 * proxies, letters, the notification outbox (hub), and the kiosk's
 * hashed snapshot (station). */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

/* A domiciled person as the console sees them. Search results also carry
 * how many others bear the same name (homonyms) or a name that sounds the
 * same (near-homonyms), and whether the match needed a typo allowance. */
typedef struct {
  gint64   id;
  char    *number; /* the user number printed on the card */
  char    *surname;
  char    *first_names;
  char    *birth_date; /* YYYY-MM-DD */
  char    *phone;
  char    *email;
  char    *notify;      /* "sms", "email" or "none" */
  char    *card_id;     /* what the card reader types; may be NULL */
  char    *language;    /* "fr", "en", "ar"…: the notices' language */
  char    *last_met_by; /* who last met them, and a phone: nothing more */
  char    *last_met_phone;
  char    *state;        /* the domiciliation: "none", "applied", "granted",
                          * "refused", "adjourned", "expired", "radiated" */
  char    *active_to;    /* YYYY-MM-DD or NULL */
  gint64   waiting;      /* letters waiting in the cabinet */
  char    *last_contact; /* YYYY-MM-DD: last contact or decision, else
                          * the day they were entered */
  int      homonyms;
  int      near_homonyms;
  gboolean approximate;
  char    *via_proxy;         /* search: found through this proxy's name */
  char    *sex;               /* for the annual report: "female", "male",
                               * "other", NULL when not asked */
  char    *household;         /* "single", "couple", "single-parent",
                               * "couple-children", "other"; NULL: not asked */
  char    *last_contact_kind; /* "pickup", "visit", "phone", "kiosk"; NULL:
                               * a decision or their entry */
  gboolean npai;              /* "n'habite pas à l'adresse indiquée": new
                               * letters go back at once */
  char    *forward_address;   /* mail forwarded there from forward_from */
  char    *forward_from;      /* YYYY-MM-DD */
} RelaisMailPerson;

typedef struct {
  gint64   id;       /* the letter's number, written on it */
  char    *number;   /* its addressee's user number */
  char    *person;   /* "SURNAME First names" */
  char    *kind;     /* ordinary, registered, court, social, tax, other */
  char    *tracking; /* registered mail's tracking number */
  char    *sender;
  gboolean urgent;
  gint64   registered_at;
  char    *registered_by;
  gint64   handed_at; /* 0 while waiting */
  char    *handed_by;
  char    *handed_to; /* "person" or the proxy's name */
  int      reminders;
  gint64   return_due_at; /* set after the last reminder: to return */
  gint64   returned_at;
  char    *return_reason;
  char    *notice_deadline; /* notice: YYYY-MM-DD, to fetch at La Poste by then */
  char    *parcel_note;     /* parcel: its size and where it is stored */
} RelaisMailLetter;

typedef struct {
  gint64   id;
  char    *name;
  char    *authorised_on; /* date of the signed authorisation */
  char    *id_copies;     /* how the two ID copies are held ("scannées"…) */
  char    *ends_on;       /* YYYY-MM-DD, NULL: no end */
  gboolean valid;         /* on the day asked */
} RelaisMailProxy;

/* One message to a person in the outbox. */
typedef struct {
  gint64 id;
  char  *number;
  char  *channel; /* "sms" or "email" */
  char  *recipient;
  char  *subject;
  char  *body;
  char  *reason; /* "batch", "reminder", "decision" */
  char  *status; /* "pending", "sent", "failed" */
  int    attempts;
  gint64 next_attempt_at;
  char  *last_error;
  gint64 created_at;
  gint64 sent_at;
} RelaisMailNotice;

/* What a registration batch says for one person. */
typedef struct {
  const char *number;
  const char *kind;
  int         count;
  const char *tracking; /* registered mail: count must be 1 */
  const char *sender;
  gboolean    urgent;
  const char *parcel_note; /* parcel: its size and shelf, written at
                            * registration (RELAIS_MAIL_PARCEL_NOTE_MAX
                            * characters), or NULL */
} RelaisMailItem;

/* Letters for nobody domiciled here, to go back at once. */
typedef struct {
  const char *name;
  int         count;
} RelaisMailUnknown;

/* What notices say about the site. */
typedef struct {
  const char *place; /* "la Maison des Solidarités" */
  const char *hours; /* "le lundi, de 9 h à 12 h" */
} RelaisMailSite;

/* One entry of the kiosk's snapshot on the hub side. */
typedef struct {
  char  *number;
  char  *birth_date;
  char  *card_id;
  gint64 waiting;
  char  *active_to; /* YYYY-MM-DD while granted, else NULL */
} RelaisMailSnapshotEntry;

void relais_mail_person_free (RelaisMailPerson *person);
void relais_mail_letter_free (RelaisMailLetter *letter);
void relais_mail_proxy_free (RelaisMailProxy *proxy);
void relais_mail_notice_free (RelaisMailNotice *notice);
void relais_mail_snapshot_entry_free (RelaisMailSnapshotEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailPerson, relais_mail_person_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailLetter, relais_mail_letter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailProxy, relais_mail_proxy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailNotice, relais_mail_notice_free)

/* ---- names ---- */

/* Lower case, accents and ligatures folded, hyphens and apostrophes as
 * spaces, single spaces: "Lefèvre-Œuvray  d'Arc" → "lefevre oeuvray d arc". */
char                     *relais_mail_fold (const char *text);
/* A rough French sound key of folded text, for near-homonyms: Dupont and
 * Dupond, Martin and Martins, Philippe and Filipe share theirs. */
char                     *relais_mail_sound_key (const char *folded);
/* Letters (any script), spaces, hyphens, apostrophes and dots, with at
 * least one letter and at most 100 characters; else INVALID with a
 * message naming @what ("Nom", "Prénom"…). */
gboolean                  relais_mail_name_valid (const char *name,
                                                  const char *what,
                                                  GError    **error);
/* A person's sex and household type, as the annual report counts them
 * (NULL-terminated word lists; a person may have neither). */
extern const char * const relais_mail_sexes[];
extern const char * const relais_mail_households[];
extern const char         relais_db_mail_hub_migration_profile[];

/* The kinds of letter and their French labels. */
gboolean                  relais_mail_kind_valid (const char *kind);
const char               *relais_mail_kind_label (const char *kind);

/* ---- people ---- */

/* The form of the user numbers the hub gives: "{n}" (1, 2, 3…) or
 * "{n:W}" (W digits, zero-padded) once, between a prefix and a suffix of
 * letters, digits and dashes, e.g. "A-{n:4}" → A-0042. */
gboolean                  relais_mail_number_format_valid (const char *format,
                                                           GError    **error);
/* The next free number of @format: one past the highest of that form
 * already given (1 for the first). INVALID when @format is not one. */
char                     *relais_db_mail_next_number (RelaisDb   *db,
                                                      const char *format,
                                                      GError    **error);

/* What relais_db_mail_person_save () checks before writing: number,
 * names, date, notification preference and contact; INVALID with the
 * sentence to show. Writes nothing. */
gboolean                  relais_db_mail_person_check (const RelaisMailPerson *person,
                                                       GError                **error);
/* Creates the person with @person->number, or updates them. Validates
 * names, date, notification preference and contact. */
RelaisMailPerson         *relais_db_mail_person_save (RelaisDb               *db,
                                                      const RelaisMailPerson *person,
                                                      GError                **error);
RelaisMailPerson         *relais_db_mail_person_get (RelaisDb   *db,
                                                     const char *number,
                                                     GError    **error);
/* By card identifier, else by user number (a reader types either). */
RelaisMailPerson         *relais_db_mail_person_by_card (RelaisDb   *db,
                                                         const char *card,
                                                         GError    **error);
/* Type-ahead: accent- and case-insensitive, the words in any order, each
 * the start or a piece of a word of the name, or with a slip (flagged
 * approximate), or a proxy's name (via_proxy set). An exact full name
 * comes first, then people still domiciled before the refused, radiated
 * and expired; at most @limit people, each with homonym counts. */
GPtrArray                *relais_db_mail_search (RelaisDb   *db,
                                                 const char *query,
                                                 guint       limit,
                                                 GError    **error);

/* ---- domiciliation and proxies ---- */

/* Records a decision on @number's domiciliation ("applied", "granted",
 * "refused", "adjourned" with @missing, "radiated") and queues the SMS or
 * e-mail telling them. @active_from/@active_to for "granted". */
gboolean                  relais_db_mail_decide (RelaisDb             *db,
                                                 const char           *number,
                                                 const char           *decision,
                                                 const char           *missing,
                                                 const char           *active_from,
                                                 const char           *active_to,
                                                 const char           *by,
                                                 const RelaisMailSite *site,
                                                 gint64                now,
                                                 GError              **error);
RelaisMailProxy          *relais_db_mail_proxy_add (RelaisDb   *db,
                                                    const char *number,
                                                    const char *name,
                                                    const char *authorised_on,
                                                    const char *id_copies,
                                                    const char *ends_on,
                                                    GError    **error);
/* @number's proxies, each valid or not on @today (YYYY-MM-DD). */
GPtrArray                *relais_db_mail_proxies (RelaisDb   *db,
                                                  const char *number,
                                                  const char *today,
                                                  GError    **error);

/* ---- letters ---- */

/* Registers a morning's batch in one transaction: each letter gets its
 * number, unknown addressees go to the "not domiciled here" list, and one
 * notice per person (not per letter) is queued. @key makes it idempotent:
 * a batch sent twice is registered once (*duplicate set, the first
 * batch's letters returned). Returns the letters registered. */
GPtrArray                *relais_db_mail_register (RelaisDb                *db,
                                                   const char              *key,
                                                   const char              *by,
                                                   const RelaisMailItem    *items,
                                                   gsize                    n_items,
                                                   const RelaisMailUnknown *unknown,
                                                   gsize                    n_unknown,
                                                   const RelaisMailSite    *site,
                                                   gint64                   now,
                                                   gboolean                *duplicate,
                                                   GError                 **error);
/* Letters registered from @from_ms (included) to @to_ms, at most @limit,
 * by user number then letter: the list the agents file them by. */
GPtrArray                *relais_db_mail_registered_between (RelaisDb *db,
                                                             gint64    from_ms,
                                                             gint64    to_ms,
                                                             guint     limit,
                                                             GError  **error);
/* Letters waiting for @number, oldest first; not those on the return
 * list (NPAI, or reminded enough): they go back, not to the person. */
GPtrArray                *relais_db_mail_waiting (RelaisDb   *db,
                                                  const char *number,
                                                  GError    **error);
/* Hands letters @ids (all waiting when @n_ids is 0) of @number to them,
 * or to proxy @proxy_id when not 0 (which must be valid on @today).
 * CONFLICT when a letter was already handed over, is on the return list
 * or is not theirs; "all" leaves the return list's letters alone. */
GPtrArray                *relais_db_mail_hand_over (RelaisDb     *db,
                                                    const char   *number,
                                                    const gint64 *ids,
                                                    gsize         n_ids,
                                                    gint64        proxy_id,
                                                    const char   *by,
                                                    const char   *today,
                                                    gint64        now,
                                                    GError      **error);
/* Uncollected mail: every @interval_ms after registration (or the last
 * reminder) a person with waiting letters gets one reminder; a letter
 * reminded @max_reminders times is put on the return list. Returns the
 * number of reminders queued, -1 on error. */
int                       relais_db_mail_run_reminders (RelaisDb             *db,
                                                        gint64                now,
                                                        gint64                interval_ms,
                                                        int                   max_reminders,
                                                        const RelaisMailSite *site,
                                                        GError              **error);
/* Domiciliations about to end: a person granted until active_to gets one
 * notice ("expiry") when @first_days are left and one more when
 * @second_days are left, each sent once (an end date changed by a new
 * decision starts again). Expired and radiated people get none. Returns
 * the number queued, -1 on error. */
int                       relais_db_mail_run_expiry (RelaisDb             *db,
                                                     gint64                now,
                                                     int                   first_days,
                                                     int                   second_days,
                                                     const RelaisMailSite *site,
                                                     GError              **error);
/* People with a live domiciliation and no contact (hand-over, decision)
 * for @days or more at @now: the law allows ending it after three months,
 * so the agents are warned before. Oldest contact first. */
GPtrArray                *relais_db_mail_no_contact (RelaisDb *db,
                                                     gint64    now,
                                                     int       days,
                                                     GError  **error);
/* Letters to send back, oldest first. */
GPtrArray                *relais_db_mail_to_return (RelaisDb *db,
                                                    GError  **error);
gboolean                  relais_db_mail_confirm_return (RelaisDb   *db,
                                                         gint64      id,
                                                         const char *by,
                                                         gint64      now,
                                                         GError    **error);
/* The "not domiciled here" list not yet returned: name, count, when. */
GPtrArray                *relais_db_mail_unknown_list (RelaisDb *db,
                                                       GError  **error);

/* ---- notices ---- */

/* Replaces the text of template @name in @language ("batch-one",
 * "batch-many", "reminder-one", "reminder-many", "decision-granted",
 * "decision-refused", "decision-adjourned", "decision-radiated").
 * Placeholders: {count} {place} {hours} {number} {missing} {date}. */
gboolean                  relais_db_mail_template_set (RelaisDb   *db,
                                                       const char *name,
                                                       const char *language,
                                                       const char *text,
                                                       GError    **error);
/* Every template, name then language order; each row a NULL-terminated
 * array of strings: name, language, text. */
GPtrArray                *relais_db_mail_template_list (RelaisDb *db,
                                                        GError  **error);
/* Pending notices due at @now, oldest first. */
GPtrArray                *relais_db_mail_notices_due (RelaisDb *db,
                                                      gint64    now,
                                                      guint     limit,
                                                      GError  **error);
/* After an attempt: sent when @error_text is NULL, else pending again at
 * @retry_at, or failed for good when @retry_at is 0. */
gboolean                  relais_db_mail_notice_done (RelaisDb   *db,
                                                      gint64      id,
                                                      const char *error_text,
                                                      gint64      retry_at,
                                                      gint64      now,
                                                      GError    **error);
/* Notices that failed for good or are still retrying, newest first. */
GPtrArray                *relais_db_mail_notices_failing (RelaisDb *db,
                                                          GError  **error);
/* Every notice of @number, newest first (tests, the person's record). */
GPtrArray                *relais_db_mail_notices_of (RelaisDb   *db,
                                                     const char *number,
                                                     GError    **error);

/* ---- the kiosk ---- */

/* The site's secret salt for the kiosk's hashes, made once. */
char                     *relais_db_mail_salt (RelaisDb *db,
                                               GError  **error);
/* Every person with a live domiciliation or waiting mail. */
GPtrArray                *relais_db_mail_snapshot (RelaisDb *db,
                                                   GError  **error);
/* HMAC-SHA-256 with the site's salt of "card:ID" or "number:N|YYYY-MM-DD",
 * truncated to 128 bits, hex: the kiosk stores only these. */
char                     *relais_mail_kiosk_hash (const char *salt,
                                                  const char *card_or_number,
                                                  const char *birth_date);
/* Station side: replaces the stored snapshot. @hashes, @counts and
 * @ends (NULL, or each the end of the domiciliation or NULL) have @n
 * entries. */
gboolean                  relais_db_mail_kiosk_store (RelaisDb           *db,
                                                      const char         *salt,
                                                      const char         *hours,
                                                      const char                  *const *hashes,
                                                      const gint64       *counts,
                                                      const char                  *const *ends,
                                                      gsize               n,
                                                      gint64              now,
                                                      GError            **error);
/* Letters waiting for @hash, or -1 when the snapshot does not know it.
 * *salt and *hours (owned) may be asked for. */
gint64                    relais_db_mail_kiosk_lookup (RelaisDb   *db,
                                                       const char *hash,
                                                       GError    **error);
/* The end of @hash's domiciliation (YYYY-MM-DD), NULL when not known. */
char                     *relais_db_mail_kiosk_active_to (RelaisDb   *db,
                                                          const char *hash,
                                                          GError    **error);
/* The stored salt and pickup hours (NULL before the first snapshot). */
gboolean                  relais_db_mail_kiosk_meta (RelaisDb *db,
                                                     char    **salt,
                                                     char    **hours,
                                                     gint64   *updated_at,
                                                     GError  **error);

/* ---- statistics ---- */

/* Per month (YYYY-MM) and kind: registered, handed over, returned,
 * reminders, average days to pickup. An array of GStrv rows:
 * month, kind, registered, handed, returned, reminders, avg_days. */
GPtrArray                *relais_db_mail_stats (RelaisDb *db,
                                                GError  **error);

/* The mail figures of local days @from to @to included (YYYY-MM-DD),
 * for the staff's dashboard: letters registered, handed over and
 * returned in the period, reminders sent, average days to pickup of the
 * letters handed over, and the same per kind of letter. */
typedef struct {
  char  *kind; /* NULL for the totals */
  gint64 registered;
  gint64 handed;
  gint64 returned;
  double avg_days; /* 0 when nothing was handed over */
} RelaisMailFiguresRow;

typedef struct {
  RelaisMailFiguresRow totals;
  gint64               reminders;        /* reminders of waiting mail */
  gint64               expiry_reminders; /* domiciliations about to end */
  gint64               unknown;          /* letters for nobody here */
  GPtrArray           *kinds;            /* RelaisMailFiguresRow*, every kind */
} RelaisMailFigures;

void relais_mail_figures_free (RelaisMailFigures *figures);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailFigures, relais_mail_figures_free)
RelaisMailFigures *relais_db_mail_figures (RelaisDb   *db,
                                           const char *from,
                                           const char *to,
                                           GError    **error);

G_END_DECLS

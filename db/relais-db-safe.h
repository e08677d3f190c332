/* relais-db-safe.h: residents' digital safes on the hub: ciphertext,
 * wrapped keys, the PIN attempt counter, consents and the journal. The
 * hub never holds a plaintext byte of a document. */
#pragma once

#include "relais-db.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *number;            /* on the resident's card */
  char   *resident;          /* a domiciled person's user number, or NULL */
  char   *state;             /* "new" (no PIN yet) or "ready" */
  GBytes *activation_hash;   /* keyed hash of the card's first code; NULL once ready */
  GBytes *salt;              /* Argon2id salt of the PIN */
  GBytes *verifier;          /* keyed hash (hub key) of the PIN proof */
  GBytes *hub_secret;        /* the hub's half of the key, encrypted with the hub key */
  GBytes *wrapped_keys;      /* the safe's keys, under PIN + hub secret */
  GBytes *box_pk;            /* public: offline deposits are sealed to it */
  int     attempts;          /* wrong PINs since the last good one */
  int     unlocks;           /* mediators' unlocks since the last good PIN */
  GBytes *recovery_hash;     /* keyed hash of the card's recovery code, or NULL (older safes) */
  int     recovery_attempts; /* wrong recovery codes since the last good one */
  gint64  locked_at;         /* 0 unless locked */
  gint64  created_at;
  gint64  last_used_at;
  gint64  announced_at; /* 0 unless its deletion was announced */
} RelaisSafeRecord;

void relais_safe_record_free (RelaisSafeRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeRecord, relais_safe_record_free)

typedef struct {
  char    *id;
  char    *category;
  GBytes  *head;      /* the envelope's head: wrapped key, encrypted name */
  gint64   size;      /* of the envelope */
  gboolean deposited; /* sealed without the PIN (hub or PIN unavailable) */
  gint64   created_at;
} RelaisSafeDocument;

void relais_safe_document_free (RelaisSafeDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeDocument, relais_safe_document_free)

typedef struct {
  gint64 at;
  char  *who;     /* "resident", "mediator:LOGIN", "hub" */
  char  *what;    /* "open", "wrong-pin", "locked", "add", "view", … */
  char  *station; /* where, or NULL */
  char  *detail;  /* a document id, a consent's end… or NULL */
} RelaisSafeJournalEntry;

void              relais_safe_journal_entry_free (RelaisSafeJournalEntry *entry);

/* The document categories, as stored and sent. */
gboolean          relais_db_safe_category_valid (const char *category);

/* CONFLICT when @number exists. Returns the new safe's id, 0 on error. */
gint64            relais_db_safe_create (RelaisDb   *db,
                                         const char *number,
                                         const char *resident,
                                         GBytes     *activation_hash,
                                         GBytes     *recovery_hash,
                                         const char *created_by,
                                         gint64      now,
                                         GError    **error);
/* NOT_FOUND for an unknown number. */
RelaisSafeRecord *relais_db_safe_get (RelaisDb   *db,
                                      const char *number,
                                      GError    **error);
RelaisSafeRecord *relais_db_safe_get_by_id (RelaisDb *db,
                                            gint64    id,
                                            GError  **error);
/* First PIN chosen: "new" → "ready". CONFLICT if it was not new. */
gboolean          relais_db_safe_setup (RelaisDb *db,
                                        gint64    id,
                                        GBytes   *salt,
                                        GBytes   *verifier,
                                        GBytes   *hub_secret,
                                        GBytes   *wrapped_keys,
                                        GBytes   *box_pk,
                                        gint64    now,
                                        GError  **error);
/* Counts a wrong PIN; locks the safe at @max_attempts. Returns the count
 * (-1 on error); @locked tells whether it is now locked. */
int               relais_db_safe_count_failure (RelaisDb *db,
                                                gint64    id,
                                                int       max_attempts,
                                                gint64    now,
                                                gboolean *locked,
                                                GError  **error);
/* A good PIN: the counters (wrong PINs, unlocks, wrong recovery codes)
 * restart, the safe counts as used. */
gboolean          relais_db_safe_mark_used (RelaisDb *db,
                                            gint64    id,
                                            gint64    now,
                                            GError  **error);
/* A locked safe unlocked: its wrong PINs forgotten, its unlocks counted;
 * @recovered (the recovery code was right) forgets the wrong recovery
 * codes too. NOT_FOUND when it was not locked. */
gboolean          relais_db_safe_unlock (RelaisDb *db,
                                         gint64    id,
                                         gboolean  recovered,
                                         GError  **error);
/* Counts a wrong recovery code; returns the count, -1 on error. */
int               relais_db_safe_count_recovery_failure (RelaisDb *db,
                                                         gint64    id,
                                                         GError  **error);
gboolean          relais_db_safe_set_pin (RelaisDb *db,
                                          gint64    id,
                                          GBytes   *salt,
                                          GBytes   *verifier,
                                          GBytes   *hub_secret,
                                          GBytes   *wrapped_keys,
                                          GError  **error);

/* @duplicate: a document with this id is already in this safe with the
 * same bytes (a resend); CONFLICT when it is there with other bytes. Ids
 * are per safe: the same id in another safe is another document. */
gboolean          relais_db_safe_document_add (RelaisDb   *db,
                                               gint64      safe_id,
                                               const char *id,
                                               const char *category,
                                               GBytes     *head,
                                               GBytes     *body,
                                               gboolean    deposited,
                                               gint64      now,
                                               gboolean   *duplicate,
                                               GError    **error);
/* What a safe holds: bytes and documents in all, and of those deposited
 * without the PIN after @since (not yet seen by an opening). */
typedef struct {
  gint64 bytes;
  gint64 documents;
  gint64 waiting_bytes;
  gint64 waiting_documents;
} RelaisSafeUsage;

gboolean   relais_db_safe_usage (RelaisDb        *db,
                                 gint64           safe_id,
                                 gint64           since,
                                 RelaisSafeUsage *usage,
                                 GError         **error);
/* 1 when @id is in the safe with exactly @body, 0 when with other bytes,
 * -1 when absent (or on error, with @error set). */
int        relais_db_safe_document_same (RelaisDb   *db,
                                         gint64      safe_id,
                                         const char *id,
                                         GBytes     *body,
                                         GError    **error);
/* RelaisSafeDocument*, oldest first. */
GPtrArray *relais_db_safe_document_list (RelaisDb *db,
                                         gint64    safe_id,
                                         GError  **error);
GBytes    *relais_db_safe_document_body (RelaisDb   *db,
                                         gint64      safe_id,
                                         const char *id,
                                         GError    **error);
/* Overwrites the bytes (secure_delete) as it deletes. */
gboolean   relais_db_safe_document_delete (RelaisDb   *db,
                                           gint64      safe_id,
                                           const char *id,
                                           GError    **error);

gboolean   relais_db_safe_journal_add (RelaisDb   *db,
                                       gint64      safe_id,
                                       gint64      at,
                                       const char *who,
                                       const char *what,
                                       const char *station,
                                       const char *detail,
                                       GError    **error);
/* RelaisSafeJournalEntry*, newest first, at most @limit. */
GPtrArray *relais_db_safe_journal_list (RelaisDb *db,
                                        gint64    safe_id,
                                        int       limit,
                                        GError  **error);

/* The consent's id, 0 on error. */
gint64     relais_db_safe_consent_add (RelaisDb   *db,
                                       gint64      safe_id,
                                       const char *mediator,
                                       const char *station,
                                       gint64      from,
                                       gint64      until,
                                       GError    **error);
/* When @mediator's consent on @safe_id ends, or 0 when none holds at @now. */
gint64     relais_db_safe_consent_until (RelaisDb   *db,
                                         gint64      safe_id,
                                         const char *mediator,
                                         gint64      now);

/* Retention: safes unused since @unused_before and not yet announced get
 * announced_at = @now (their numbers appended to @announced); those
 * announced before @delete_before are deleted for real, with their
 * documents, keys and journal (numbers appended to @deleted). */
gboolean   relais_db_safe_retention (RelaisDb  *db,
                                     gint64     now,
                                     gint64     unused_before,
                                     gint64     delete_before,
                                     GPtrArray *announced,
                                     GPtrArray *deleted,
                                     GError   **error);

/* One safe's encrypted hub secret (any safe that has a PIN), to tell
 * whether a key file is this database's; NULL when no safe has one (or on
 * error, with @error set). */
GBytes    *relais_db_safe_any_hub_secret (RelaisDb *db,
                                          GError  **error);

/* ---- station side ---- */

/* The public key of safe @number, remembered to seal scans offline. */
gboolean   relais_db_safe_key_remember (RelaisDb   *db,
                                        const char *number,
                                        GBytes     *box_pk,
                                        gint64      now,
                                        GError    **error);
/* NULL when this station never saw the safe. */
GBytes    *relais_db_safe_key_lookup (RelaisDb   *db,
                                      const char *number);

G_END_DECLS

/* relais-db-mail-docs.h: a domiciled person's scanned supporting documents
 * (hub), and the reason recorded with a domiciliation application. */
#pragma once

#include "relais-db-mail.h"

G_BEGIN_DECLS

/* The labels a supporting document may bear: "identity" (pièce
 * d'identité), "resources" (justificatif de ressources), "certificate"
 * (attestation), "other". NULL-terminated. */
extern const char * const relais_mail_document_labels[];

typedef struct {
  gint64 id;
  char  *label;
  gint64 size;     /* bytes of the PDF */
  gint64 added_at; /* ms since the epoch */
  char  *added_by;
} RelaisMailDocument;

void relais_mail_document_free (RelaisMailDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailDocument, relais_mail_document_free)

/* Stores @pdf (which must start with "%PDF-") for @number under @label.
 * Fails with RELAIS_DB_ERROR_INVALID for an unknown label or a body that
 * is not a PDF, NOT_FOUND for an unknown number. */
RelaisMailDocument *relais_db_mail_document_add (RelaisDb   *db,
                                                 const char *number,
                                                 const char *label,
                                                 GBytes     *pdf,
                                                 const char *by,
                                                 gint64      now,
                                                 GError    **error);
/* The same, the PDF sealed at rest with @key (libsodium secretbox, a
 * fresh nonce per document): the database alone shows nothing of it.
 * @key is RELAIS_DB_DOCUMENT_KEY_BYTES long. */
#define RELAIS_DB_DOCUMENT_KEY_BYTES 32
RelaisMailDocument       *relais_db_mail_document_add_sealed (RelaisDb     *db,
                                                              const char   *number,
                                                              const char   *label,
                                                              GBytes       *pdf,
                                                              const guint8 *key,
                                                              const char   *by,
                                                              gint64        now,
                                                              GError      **error);
/* @number's documents, newest first (RelaisMailDocument*, no bytes). */
GPtrArray                *relais_db_mail_documents (RelaisDb   *db,
                                                    const char *number,
                                                    GError    **error);
/* The PDF of @number's document @id; NOT_FOUND when it is not theirs.
 * A sealed one needs relais_db_mail_document_open (). */
GBytes                   *relais_db_mail_document_get (RelaisDb   *db,
                                                       const char *number,
                                                       gint64      id,
                                                       GError    **error);
/* The same, unsealed with @key (a document stored before sealing comes
 * as it is); INVALID when the key is not the one it was sealed with. */
GBytes                   *relais_db_mail_document_open (RelaisDb     *db,
                                                        const char   *number,
                                                        gint64        id,
                                                        const guint8 *key,
                                                        GError      **error);

/* Why a person asks to be domiciled: "no-home" (sans logement), "hosted"
 * (hébergé chez un tiers), "emergency" (hébergement d'urgence), "other".
 * Categories only: no free text. NULL-terminated. */
extern const char * const relais_mail_application_reasons[];

/* relais_db_mail_decide () with, for an application ("applied"), its
 * @reason (nullable: not asked). A reason with another decision, or an
 * unknown one, fails with RELAIS_DB_ERROR_INVALID and records nothing. */
gboolean                  relais_db_mail_decide_reason (RelaisDb             *db,
                                                        const char           *number,
                                                        const char           *decision,
                                                        const char           *reason,
                                                        const char           *missing,
                                                        const char           *active_from,
                                                        const char           *active_to,
                                                        const char           *by,
                                                        const RelaisMailSite *site,
                                                        gint64                now,
                                                        GError              **error);

/* Applications made on local days @from to @to included (YYYY-MM-DD),
 * counted by reason in the order of relais_mail_application_reasons, then
 * those without one: @counts must hold one more than the reasons. */
gboolean                  relais_db_mail_reason_counts (RelaisDb   *db,
                                                        const char *from,
                                                        const char *to,
                                                        gint64     *counts,
                                                        GError    **error);

G_END_DECLS

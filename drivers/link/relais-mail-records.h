/* relais-mail-records.h: the hub's answers about mail, read once into
 * the records of relais-db-mail.h (the hub writes them from those same
 * records), so that the console uses fields and never JSON members.
 *
 * Each reader checks every member's type; a record without what makes
 * it one (a person's number, a letter's id…) or with a member of the
 * wrong type is refused whole with RELAIS_LINK_ERROR_PROTOCOL and a
 * sentence a mediator can read. A missing list is an empty one. */
#pragma once

#include <json-glib/json-glib.h>
#include "relais-db-mail.h"
#include "relais-db-mail-docs.h"

G_BEGIN_DECLS

RelaisMailPerson   *relais_mail_person_from_json (JsonObject *object,
                                                  GError    **error);
RelaisMailLetter   *relais_mail_letter_from_json (JsonObject *object,
                                                  GError    **error);
RelaisMailProxy    *relais_mail_proxy_from_json (JsonObject *object,
                                                 GError    **error);
RelaisMailNotice   *relais_mail_notice_from_json (JsonObject *object,
                                                  GError    **error);
RelaisMailDocument *relais_mail_document_from_json (JsonObject *object,
                                                    GError    **error);
/* A person as a console keeps one it chose from a list. */
RelaisMailPerson   *relais_mail_person_copy (const RelaisMailPerson *person);

/* The list @member of @reply ("people", "letters", "notices",
 * "documents"…): RelaisMailPerson*, RelaisMailLetter*… with their free
 * function. */
GPtrArray          *relais_mail_people_from_reply (JsonObject *reply,
                                                   const char *member,
                                                   GError    **error);
GPtrArray          *relais_mail_letters_from_reply (JsonObject *reply,
                                                    const char *member,
                                                    GError    **error);
GPtrArray          *relais_mail_notices_from_reply (JsonObject *reply,
                                                    const char *member,
                                                    GError    **error);
GPtrArray          *relais_mail_documents_from_reply (JsonObject *reply,
                                                      const char *member,
                                                      GError    **error);

/* GET /mail/people/NUMBER/documents as its raw body (the console reads
 * it with the documents' bytes): RelaisMailDocument*. */
GPtrArray          *relais_mail_documents_from_bytes (GBytes  *body,
                                                      GError **error);

/* A person's record as GET /mail/people/NUMBER (and every change to it)
 * answers: the person, their waiting letters, proxies and messages. */
typedef struct {
  RelaisMailPerson *person;
  GPtrArray        *letters; /* RelaisMailLetter* */
  GPtrArray        *proxies; /* RelaisMailProxy* */
  GPtrArray        *notices; /* RelaisMailNotice* */
} RelaisMailRecord;

RelaisMailRecord *relais_mail_record_from_reply (JsonObject *reply,
                                                 GError    **error);
void              relais_mail_record_free (RelaisMailRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailRecord, relais_mail_record_free)

/* GET /mail/registered?day=…: the letters registered that day, in the
 * cabinet's order. */
typedef struct {
  char      *day;     /* "YYYY-MM-DD", never NULL */
  GPtrArray *letters; /* RelaisMailLetter* */
} RelaisMailDay;

RelaisMailDay *relais_mail_day_from_reply (JsonObject *reply,
                                           GError    **error);
void           relais_mail_day_free (RelaisMailDay *day);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailDay, relais_mail_day_free)

/* Letters for nobody domiciled here, as GET /mail/returns lists them. */
typedef struct {
  gint64 id;   /* to confirm it returned (POST /mail/unknown/ID/confirm) */
  char  *name; /* the name on the envelopes */
  int    count;
} RelaisMailUnknownLine;

/* GET /mail/returns: letters to send back, and names nobody here has. */
typedef struct {
  GPtrArray *letters; /* RelaisMailLetter* */
  GPtrArray *unknown; /* RelaisMailUnknownLine* */
} RelaisMailReturns;

RelaisMailReturns *relais_mail_returns_from_reply (JsonObject *reply,
                                                   GError    **error);
void               relais_mail_returns_free (RelaisMailReturns *returns);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailReturns, relais_mail_returns_free)

/* One message's text, as GET /mail/templates gives it. */
typedef struct {
  char *name;     /* "batch", "reminder", "decision"… */
  char *language; /* "fr", "en"… */
  char *text;
} RelaisMailTemplate;

/* GET /mail/templates: the site's words and every message's text. */
typedef struct {
  char      *place; /* NULL when the hub has none */
  char      *hours;
  GPtrArray *templates; /* RelaisMailTemplate* */
} RelaisMailTemplates;

RelaisMailTemplates *relais_mail_templates_from_reply (JsonObject *reply,
                                                       GError    **error);
void                 relais_mail_templates_free (RelaisMailTemplates *templates);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailTemplates, relais_mail_templates_free)

/* One decision of GET /mail/people/N/decisions (newest first). */
typedef struct {
  char  *decision; /* "granted", "refused", "radiated", "applied"… */
  char  *decided_by;
  gint64 decided_at; /* ms since 1970 */
  char  *election;   /* "first" or "renewal" */
  char  *applied_on;
  char  *active_from;
  char  *active_to;
  char  *motive;
  char  *motive_text;
  char  *orientation;
  char  *orientation_text;
} RelaisMailDecisionRecord;

/* GET /mail/people/N/decisions: the decisions and the body's letterhead
 * ([decisions] of the hub's configuration; NULL what it does not say). */
typedef struct {
  GPtrArray *decisions; /* RelaisMailDecisionRecord* */
  char      *body_name;
  char      *body_address;
  char      *approval;
  char      *town;
  char      *tribunal;
} RelaisMailDecisions;

RelaisMailDecisions *relais_mail_decisions_from_reply (JsonObject *reply,
                                                       GError    **error);
void                 relais_mail_decisions_free (RelaisMailDecisions *decisions);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailDecisions, relais_mail_decisions_free)

/* POST /mail/import: rows read, people imported, the refused rows
 * (« ligne 12 : date de naissance illisible »). */
typedef struct {
  gint64 rows;
  gint64 imported;
  GStrv  problems;
} RelaisMailImport;

RelaisMailImport *relais_mail_import_from_reply (JsonObject *reply,
                                                 GError    **error);
void              relais_mail_import_free (RelaisMailImport *import);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailImport, relais_mail_import_free)

/* GET /mail/purge: the retention period and who it would delete today. */
typedef struct {
  int        days;
  GPtrArray *people; /* RelaisMailPerson* */
} RelaisMailPurge;

RelaisMailPurge *relais_mail_purge_from_reply (JsonObject *reply,
                                               GError    **error);
void             relais_mail_purge_free (RelaisMailPurge *purge);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisMailPurge, relais_mail_purge_free)

/* An answer's count (POST /mail/purge's "deleted"): FALSE with @error
 * when it is not an integer. */
gboolean relais_mail_count_from_reply (JsonObject *reply,
                                       const char *member,
                                       gint64     *count,
                                       GError    **error);

G_END_DECLS

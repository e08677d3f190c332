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

G_END_DECLS

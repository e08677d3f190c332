/* mediator-mail-docs.h: a domiciled person's supporting documents in the
 * "Personnes" tab: scan one page on the console PC's scanner, send it to
 * the hub as a PDF under a label, list them, and preview one. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"
#include "relais-scanner.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_MAIL_DOCS (mediator_mail_docs_get_type ())
G_DECLARE_FINAL_TYPE (MediatorMailDocs, mediator_mail_docs, MEDIATOR, MAIL_DOCS, GtkBox)

GtkWidget  *mediator_mail_docs_new (RelaisLink *link);
/* The person whose documents are shown (NULL: nobody); lists them. */
void        mediator_mail_docs_set_person (MediatorMailDocs *self,
                                           const char       *number);
/* The scanner to use (reffed); without one, the first SANE device found
 * is opened at the first scan. */
void        mediator_mail_docs_set_scanner (MediatorMailDocs *self,
                                            RelaisScanner    *scanner);
/* "identity", "resources", "certificate" or "other". */
void        mediator_mail_docs_set_label (MediatorMailDocs *self,
                                          const char       *label);
/* The button: scans one page, makes the PDF and sends it. */
void        mediator_mail_docs_scan (MediatorMailDocs *self);
/* Shows document @index of the list in the preview. */
void        mediator_mail_docs_view (MediatorMailDocs *self,
                                     guint             index);
guint       mediator_mail_docs_get_n_documents (MediatorMailDocs *self);
/* The list's line @index, as the agent reads it. */
const char *mediator_mail_docs_get_line (MediatorMailDocs *self,
                                         guint             index);
int         mediator_mail_docs_get_preview_pages (MediatorMailDocs *self);
const char *mediator_mail_docs_get_message (MediatorMailDocs *self);
gboolean    mediator_mail_docs_is_busy (MediatorMailDocs *self);

G_END_DECLS

/* mediator-mail-templates.h: the Courrier view's "Messages" tab: the
 * wording of the SMS and e-mails the hub sends, per message and language,
 * edited by the reception staff. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_MAIL_TEMPLATES (mediator_mail_templates_get_type ())
G_DECLARE_FINAL_TYPE (MediatorMailTemplates, mediator_mail_templates, MEDIATOR, MAIL_TEMPLATES, GtkBox)

GtkWidget  *mediator_mail_templates_new (RelaisLink *link);
/* Asks the hub for the texts again. */
void        mediator_mail_templates_refresh (MediatorMailTemplates *self);
/* Chooses the message ("batch-one", "expiry"…) and language shown. */
void        mediator_mail_templates_select (MediatorMailTemplates *self,
                                            const char            *name,
                                            const char            *language);
/* The text in the editor, and typing into it as the agent would. */
/* Forgets the texts shown and typed (logout); the next refresh reloads. */
void        mediator_mail_templates_reset (MediatorMailTemplates *self);
const char *mediator_mail_templates_get_text (MediatorMailTemplates *self);
/* The preview as shown, placeholders filled ({place} and {hours} with the
 * site's, from the hub). */
const char *mediator_mail_templates_get_preview (MediatorMailTemplates *self);
void        mediator_mail_templates_set_text (MediatorMailTemplates *self,
                                              const char            *text);
/* "Enregistrer". */
void        mediator_mail_templates_save (MediatorMailTemplates *self);
const char *mediator_mail_templates_get_message (MediatorMailTemplates *self);
gboolean    mediator_mail_templates_is_busy (MediatorMailTemplates *self);

G_END_DECLS

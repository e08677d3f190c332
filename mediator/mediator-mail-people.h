/* mediator-mail-people.h: the Courrier view's "Personnes" tab: a
 * domiciled person's form, the domiciliation decision, proxies, and the
 * people not seen for nearly three months. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_MAIL_PEOPLE (mediator_mail_people_get_type ())
G_DECLARE_FINAL_TYPE (MediatorMailPeople, mediator_mail_people, MEDIATOR, MAIL_PEOPLE, GtkBox)

GtkWidget  *mediator_mail_people_new         (RelaisLink         *link);
/* Sets a field of the forms by its API name ("surname", "birth_date",
 * "notify", "decision", "active_to", "proxy_name"…), as the agent would. */
void        mediator_mail_people_set_field   (MediatorMailPeople *self,
                                              const char         *field,
                                              const char         *value);
const char *mediator_mail_people_get_field   (MediatorMailPeople *self,
                                              const char         *field);
/* Loads @number's record into the form. */
void        mediator_mail_people_open        (MediatorMailPeople *self,
                                              const char         *number);
/* The three buttons. */
void        mediator_mail_people_save        (MediatorMailPeople *self);
void        mediator_mail_people_decide      (MediatorMailPeople *self);
void        mediator_mail_people_add_proxy   (MediatorMailPeople *self);
/* Asks the hub again for the people not seen for long. */
void        mediator_mail_people_refresh     (MediatorMailPeople *self);
guint       mediator_mail_people_get_n_unseen (MediatorMailPeople *self);
/* Empties the form, the lists and the documents shown (logout). */
void        mediator_mail_people_reset       (MediatorMailPeople *self);
const char *mediator_mail_people_get_message (MediatorMailPeople *self);
gboolean    mediator_mail_people_is_busy     (MediatorMailPeople *self);
/* The supporting documents of the open person (MediatorMailDocs). */
GtkWidget  *mediator_mail_people_get_documents (MediatorMailPeople *self);

G_END_DECLS

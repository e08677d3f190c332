/* mediator-mail-people.h: the Courrier view's "Personnes" tab: a
 * domiciled person's form, the domiciliation decision, proxies, and the
 * people not seen for nearly three months. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_MAIL_PEOPLE (mediator_mail_people_get_type ())
G_DECLARE_FINAL_TYPE (MediatorMailPeople, mediator_mail_people, MEDIATOR, MAIL_PEOPLE, GtkBox)

GtkWidget  *mediator_mail_people_new (RelaisLink *link);
/* Sets a field of the forms by its API name ("surname", "birth_date",
 * "notify", "decision", "active_to", "proxy_name"…), as the agent would. */
void        mediator_mail_people_set_field (MediatorMailPeople *self,
                                            const char         *field,
                                            const char         *value);
const char *mediator_mail_people_get_field (MediatorMailPeople *self,
                                            const char         *field);
/* The entry or choice of @field (tests). */
GtkWidget  *mediator_mail_people_get_field_widget (MediatorMailPeople *self,
                                                   const char         *field);
/* Loads @number's record into the form. */
void        mediator_mail_people_open (MediatorMailPeople *self,
                                       const char         *number);
/* The three buttons. */
void        mediator_mail_people_save (MediatorMailPeople *self);
void        mediator_mail_people_decide (MediatorMailPeople *self);
void        mediator_mail_people_add_proxy (MediatorMailPeople *self);
/* A contact without mail with the open person: "visit" or "phone". */
void        mediator_mail_people_record_contact (MediatorMailPeople *self,
                                                 const char         *kind);
/* The open person's NPAI flag. */
void        mediator_mail_people_set_npai (MediatorMailPeople *self,
                                           gboolean            npai);
/* Their mail forwarding, from the fields "forward_address" and
 * "forward_from" (an empty address ends it). */
void        mediator_mail_people_forward (MediatorMailPeople *self);
/* The line under the header: last contact, NPAI, forwarding (tests). */
const char *mediator_mail_people_get_contacts (MediatorMailPeople *self);
/* Asks the hub again for the people not seen for long. */
void        mediator_mail_people_refresh (MediatorMailPeople *self);
guint       mediator_mail_people_get_n_unseen (MediatorMailPeople *self);
/* Of those, the people past three months without contact, for whom the
 * list offers to propose a radiation (never made by itself). */
guint       mediator_mail_people_get_n_to_radiate (MediatorMailPeople *self);
/* Empties the form, the lists and the documents shown (logout). */
void        mediator_mail_people_reset (MediatorMailPeople *self);
const char *mediator_mail_people_get_message (MediatorMailPeople *self);
/* TRUE when the message shown is a refusal (shown in red). */
gboolean    mediator_mail_people_message_is_error (MediatorMailPeople *self);
/* The decision button's words (they say how the person will hear). */
const char *mediator_mail_people_get_decide_label (MediatorMailPeople *self);
/* Whether the logged-in account holds the "responsable" role (the
 * login's answer): only then may it grant, refuse or radiate. */
void        mediator_mail_people_set_responsable (MediatorMailPeople *self,
                                                  gboolean            responsable);
/* The decision button is on for the decision chosen. */
gboolean    mediator_mail_people_may_decide (MediatorMailPeople *self);
gboolean    mediator_mail_people_is_busy (MediatorMailPeople *self);
/* The supporting documents of the open person (MediatorMailDocs). */
GtkWidget  *mediator_mail_people_get_documents (MediatorMailPeople *self);

/* The line under the birth date: "already domiciled by" another body
 * of the département, for a new file (MediatorMailElsewhere). */
GtkWidget  *mediator_mail_people_get_elsewhere (MediatorMailPeople *self);

/* A domiciliation's state ("radiated"…), as the desk says it. */
const char *mediator_mail_state_label (const char *state);

G_END_DECLS

/* mediator-mail-contacts.h: under a domiciled person's record, the last
 * contact, NPAI and mail forwarding: what the desk sees and the buttons
 * that change them. It knows no hub: each click is a signal, which the
 * record's view (MediatorMailPeople) turns into the hub's call. */
#pragma once

#include <gtk/gtk.h>
#include "relais-db-mail.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_MAIL_CONTACTS (mediator_mail_contacts_get_type ())
G_DECLARE_FINAL_TYPE (MediatorMailContacts, mediator_mail_contacts, MEDIATOR, MAIL_CONTACTS, GtkBox)

/* Signals: "contact" (const char *kind: "visit" or "phone"), "npai"
 * (gboolean: the box ticked or unticked by a person, never by _show ()),
 * "forward" (the forwarding's fields to be sent). */
GtkWidget  *mediator_mail_contacts_new (void);
/* Shows @person's last contact, NPAI and forwarding (its fields filled:
 * dates as typed at the desk, JJ/MM/AAAA). */
void        mediator_mail_contacts_show (MediatorMailContacts   *self,
                                         const RelaisMailPerson *person);
/* Nothing shown, the box unticked (a new record). The forwarding's
 * fields are the record view's to empty with the others. */
void        mediator_mail_contacts_clear (MediatorMailContacts *self);
/* The forwarding's entries, "forward_address" and "forward_from" (the
 * record view reads and fills them as it does its other fields). */
GtkWidget  *mediator_mail_contacts_get_entry (MediatorMailContacts *self,
                                              const char           *field);
/* The line shown: last contact, NPAI, forwarding (tests). */
const char *mediator_mail_contacts_get_text (MediatorMailContacts *self);

G_END_DECLS

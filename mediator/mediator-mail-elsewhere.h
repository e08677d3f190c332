/* mediator-mail-elsewhere.h: under a new person's name, whether another
 * body of the département already domiciles them (issue 19). */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_MAIL_ELSEWHERE (mediator_mail_elsewhere_get_type ())
G_DECLARE_FINAL_TYPE (MediatorMailElsewhere, mediator_mail_elsewhere, MEDIATOR, MAIL_ELSEWHERE, GtkLabel)

GtkWidget  *mediator_mail_elsewhere_new (RelaisLink *link);
/* Asks the hub about this person (@birth_date AAAA-MM-JJ) a moment
 * later, so that typing a name asks once; a newer question replaces an
 * older one. Any of them NULL or empty: the same as _clear (). */
void        mediator_mail_elsewhere_ask (MediatorMailElsewhere *self,
                                         const char            *surname,
                                         const char            *first_names,
                                         const char            *birth_date);
/* Hides the answer and drops any question on its way (a record opened). */
void        mediator_mail_elsewhere_clear (MediatorMailElsewhere *self);
/* A question waits or is on its way (tests). */
gboolean    mediator_mail_elsewhere_is_busy (MediatorMailElsewhere *self);
/* What is shown, "" when nothing is (tests). */
const char *mediator_mail_elsewhere_get_text (MediatorMailElsewhere *self);

G_END_DECLS

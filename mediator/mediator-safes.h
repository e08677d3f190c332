/* mediator-safes.h: the console's "Coffres-forts" view: create a safe and
 * its card, unlock a safe after five wrong PINs (past two, with the
 * recovery code), and look at the documents a resident's consent (given
 * at the station) covers while it lasts. */
#pragma once

#include <gtk/gtk.h>
#include "mediator-viewer.h"
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_SAFES (mediator_safes_get_type ())
G_DECLARE_FINAL_TYPE (MediatorSafes, mediator_safes, MEDIATOR, SAFES, GtkBox)

GtkWidget      *mediator_safes_new (RelaisLink *link);
/* The printable card, one A4 page of PDF at @path: the safe's @number in
 * large type, the first-opening @code and what to do at the station on
 * the card to cut out; the @recovery code below it, on the sheet the
 * resident keeps at home (NULL: none). */
gboolean        mediator_safes_write_card (const char *number,
                                           const char *code,
                                           const char *recovery,
                                           const char *path,
                                           GError    **error);
/* What the buttons do, callable by tests. @resident may be NULL. */
void            mediator_safes_create (MediatorSafes *self,
                                       const char    *resident);
/* @recovery: the code of the sheet given with the card, or NULL/"" (past
 * two unlocks without the right PIN, the hub asks for it or for a
 * responsable). */
void            mediator_safes_unlock (MediatorSafes *self,
                                       const char    *number,
                                       const char    *recovery);
void            mediator_safes_consult (MediatorSafes *self,
                                        const char    *number);
/* The one-time code goes from the screen when asked (« Masquer le
 * code »), after @ms (two minutes by default), or at logout. */
void            mediator_safes_hide_code (MediatorSafes *self);
void            mediator_safes_set_code_lifetime (MediatorSafes *self,
                                                  guint          ms);
/* Forgets everything shown (logout): the code, the documents seen under
 * a consent, the numbers typed, the messages; calls under way are
 * dropped. */
void            mediator_safes_reset (MediatorSafes *self);
/* The last safe created here while its code is shown (NULL otherwise). */
const char     *mediator_safes_get_number (MediatorSafes *self);
const char     *mediator_safes_get_code (MediatorSafes *self);
const char     *mediator_safes_get_recovery (MediatorSafes *self);
/* « Ouvrir » on document @index of the list: fetched and decrypted under
 * the consent (the hub journals it), shown in a MediatorViewer; closed
 * when the consent ends, another safe is looked at, or at logout. */
void            mediator_safes_open_document (MediatorSafes *self,
                                              guint          index);
guint           mediator_safes_get_n_viewers (MediatorSafes *self);
MediatorViewer *mediator_safes_get_viewer (MediatorSafes *self,
                                           guint          index);
/* Documents shown under the current consent (0 when none). */
guint           mediator_safes_get_n_documents (MediatorSafes *self);
/* The last message shown to the mediator ("" for none). */
const char     *mediator_safes_get_message (MediatorSafes *self);
/* TRUE while a call to the hub is under way. */
gboolean        mediator_safes_is_busy (MediatorSafes *self);

G_END_DECLS

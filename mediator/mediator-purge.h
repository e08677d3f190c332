/* mediator-purge.h: the retention purge as a responsable runs it from the
 * console: the hub's preview list, then one confirmed deletion. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_PURGE (mediator_purge_get_type ())
G_DECLARE_FINAL_TYPE (MediatorPurge, mediator_purge, MEDIATOR, PURGE, GtkDialog)

/* Loads the preview at once (GET /mail/purge); « Supprimer ces personnes »
 * stays insensitive until the list is shown, and deletes exactly the
 * people listed (POST /mail/purge). */
MediatorPurge *mediator_purge_new (GtkWindow  *parent,
                                   RelaisLink *link);
/* How many people the list shows (-1 while loading). */
int            mediator_purge_get_n_listed (MediatorPurge *self);
/* The sentence under the list (loading, an error, the result). */
const char    *mediator_purge_get_message (MediatorPurge *self);
/* What the confirm button does (tests call it as a click would). */
void           mediator_purge_confirm (MediatorPurge *self);

G_END_DECLS

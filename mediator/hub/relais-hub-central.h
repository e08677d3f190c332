/* relais-hub-central.h: a site hub joined to the département's central
 * registry in PostgreSQL (issue 19, [central] in hub.conf). Without it a
 * hub is a single site, exactly as before. */
#pragma once

#include "relais-hub.h"

G_BEGIN_DECLS

/* Joins the site to the registry at @url (a libpq URI with this site's
 * role): from now on every change of a person is queued durably in the
 * site's database (relais-central-queue.c) and pushed up in order, each
 * once, retried while the centre is unreachable. The hub starts and
 * serves whether or not the centre answers. */
gboolean relais_hub_set_central (RelaisHub  *self,
                                 const char *url,
                                 GError    **error);
/* The shortest and longest pause before trying an unreachable centre
 * again (the pause doubles between them); 250 ms and 30 s by default. */
void     relais_hub_central_set_retry (RelaisHub *self,
                                       guint      min_ms,
                                       guint      max_ms);
/* Changes not yet acknowledged by the centre; -1 without [central]. */
gint64   relais_hub_central_pending (RelaisHub *self);
/* Changes the centre acknowledged since the hub started (applied or
 * already there). */
guint64  relais_hub_central_pushed (RelaisHub *self);

G_END_DECLS

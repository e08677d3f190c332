/* mediator-window.h: the mediators' console: live help requests. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_WINDOW (mediator_window_get_type ())
G_DECLARE_FINAL_TYPE (MediatorWindow, mediator_window, MEDIATOR, WINDOW, GtkApplicationWindow)

/* @link is a console link (no outbox). The window opens on the login
 * page: every action is attributed to the mediator logged in. */
MediatorWindow *mediator_window_new (GtkApplication *application,
                                     RelaisLink     *link);
void            mediator_window_login (MediatorWindow *self,
                                       const char     *login,
                                       const char     *password);
/* « Se déconnecter »: every view is emptied for the next mediator. */
void            mediator_window_logout (MediatorWindow *self);
/* The display name of the mediator logged in, or NULL. */
const char     *mediator_window_get_mediator (MediatorWindow *self);
const char     *mediator_window_get_login_message (MediatorWindow *self);
/* Requests shown (open ones), for tests. */
guint           mediator_window_get_n_open (MediatorWindow *self);
/* Requests waiting for a taker (raised or seen): the tab's count. */
guint           mediator_window_get_n_waiting (MediatorWindow *self);
/* TRUE when a person has the queue in front of them: logged in, the
 * window active, the "requests" view shown. Only then is "Vu" sent. */
gboolean        mediator_window_queue_on_screen (MediatorWindow *self);
/* The state shown for request @id ("left" while its resident's departure
 * is shown), or NULL. */
const char     *mediator_window_get_state (MediatorWindow *self,
                                           const char     *id);
/* The words request @id's row shows (station, category, where the
 * resident was), as a person reads them, or NULL. */
const char     *mediator_window_get_text (MediatorWindow *self,
                                          const char     *id);
/* What the row buttons do. */
void            mediator_window_take (MediatorWindow *self,
                                      const char     *id);
void            mediator_window_resolve (MediatorWindow *self,
                                         const char     *id);
/* The need and outcome taps on request @id's row (a MediatorHelpOutcome,
 * shown once it is taken), NULL for no such row. */
GtkWidget      *mediator_window_get_outcome (MediatorWindow *self,
                                             const char     *id);
/* "Retirer" on the line of a request whose resident left. */
void            mediator_window_dismiss (MediatorWindow *self,
                                         const char     *id);
const char     *mediator_window_get_message (MediatorWindow *self);
/* TRUE once request @id rang again for want of a taker. */
gboolean        mediator_window_is_ringing (MediatorWindow *self,
                                            const char     *id);
/* The bar saying the département's registry is away (a site joined to
 * one), and its words ("" while hidden). */
GtkWidget      *mediator_window_get_central (MediatorWindow *self);
const char     *mediator_window_get_central_text (MediatorWindow *self);
/* The MediatorDashboard of a staff member logged in, or NULL. */
GtkWidget      *mediator_window_get_dashboard (MediatorWindow *self);
/* "requests", "stations", "statistics"… */
void            mediator_window_show_view (MediatorWindow *self,
                                           const char     *name);
/* The MediatorStations view. */
GtkWidget      *mediator_window_get_stations (MediatorWindow *self);
/* The MediatorMail view ("Courrier"). */
GtkWidget      *mediator_window_get_mail (MediatorWindow *self);

G_END_DECLS

/* mediator-mail.h: the console's "Courrier" view: registering the
 * morning's mail from the keyboard, handing it over, returns and the
 * messages that could not be sent. */
#pragma once

#include <gtk/gtk.h>
#include "relais-link.h"

G_BEGIN_DECLS

#define MEDIATOR_TYPE_MAIL (mediator_mail_get_type ())
G_DECLARE_FINAL_TYPE (MediatorMail, mediator_mail, MEDIATOR, MAIL, GtkBox)

GtkWidget  *mediator_mail_new (RelaisLink *link);
/* Shows a tab: "register", "hand-over", "people", "returns", "failed",
 * "messages". */
void        mediator_mail_show (MediatorMail *self,
                                const char   *tab);
/* What the keyboard does, callable by tests. Typing a name asks the hub
 * for candidates; choosing one moves to the count. */
void        mediator_mail_type_name (MediatorMail *self,
                                     const char   *text);
guint       mediator_mail_get_n_candidates (MediatorMail *self);
/* The candidate's line as shown, NULL past the end. */
const char *mediator_mail_get_candidate (MediatorMail *self,
                                         guint         index);
void        mediator_mail_choose (MediatorMail *self,
                                  guint         index);
/* Adds the chosen person's letters to the batch. */
void        mediator_mail_add (MediatorMail *self,
                               int           count,
                               const char   *kind,
                               const char   *tracking);
/* "Lettres" and "Sorte" as the agent sets them, and Enter on them: adds
 * the chosen person's letters as shown. */
void        mediator_mail_set_count_kind (MediatorMail *self,
                                          int           count,
                                          const char   *kind);
int         mediator_mail_get_count (MediatorMail *self);
const char *mediator_mail_get_kind (MediatorMail *self);
void        mediator_mail_add_as_typed (MediatorMail *self);
/* The typed name goes to the "not domiciled here" list. */
void        mediator_mail_add_unknown (MediatorMail *self,
                                       int           count);
guint       mediator_mail_get_batch_size (MediatorMail *self);
/* Sends the batch; the letters' numbers are shown on success. */
void        mediator_mail_submit (MediatorMail *self);
/* The day's letters by user number, on A4, for filing: written as PDF at
 * @path (NULL: a save dialog), or printed (@export_path NULL: the print
 * dialog; else written there as the printer would get it). */
void        mediator_mail_save_day_list (MediatorMail *self,
                                         const char   *path);
void        mediator_mail_print_day_list (MediatorMail *self,
                                          const char   *export_path);
/* How many lines the "batch" or "done" list shows at once (tests). */
guint       mediator_mail_get_visible_rows (MediatorMail *self,
                                            const char   *list);
/* Hand-over: the card reader (or the agent) typed @card. */
void        mediator_mail_lookup (MediatorMail *self,
                                  const char   *card);
guint       mediator_mail_get_n_waiting (MediatorMail *self);
/* Hand-over by name, for a person without their card: candidates, then
 * the one chosen is looked up as a card would be. */
void        mediator_mail_hand_over_search (MediatorMail *self,
                                            const char   *text);
guint       mediator_mail_get_n_hand_candidates (MediatorMail *self);
/* The candidate's line as shown, NULL past the end. */
const char *mediator_mail_get_hand_candidate (MediatorMail *self,
                                              guint         index);
void        mediator_mail_hand_over_choose (MediatorMail *self,
                                            guint         index);
/* The "Textes des messages" tab (a MediatorMailTemplates). */
GtkWidget  *mediator_mail_get_templates (MediatorMail *self);
/* The "Personnes" tab (a MediatorMailPeople). */
GtkWidget  *mediator_mail_get_people (MediatorMail *self);
/* Hands the ticked letters to the recipient chosen. */
void        mediator_mail_hand_over (MediatorMail *self);
/* Forgets every tab's contents (logout): names typed, the batch, the
 * numbers, the person handed mail, the form; calls under way dropped. */
void        mediator_mail_reset (MediatorMail *self);
/* The last message shown to the agent ("" for none). */
const char *mediator_mail_get_message (MediatorMail *self);
/* TRUE while a call to the hub is under way. */
gboolean    mediator_mail_is_busy (MediatorMail *self);

G_END_DECLS

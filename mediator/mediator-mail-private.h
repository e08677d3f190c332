/* mediator-mail-private.h: what the files of the "Courrier" view share:
 * the instance, the small helpers and the calls to the hub. The core
 * (mediator-mail.c) joins the parts (register, hand-over, returns) through
 * their _mediator_mail_<part>_*() functions; the parts use the core, never
 * one another. */
#pragma once

#include <string.h>
#include <glib/gi18n.h>

#include "mediator-dates.h"
#include "mediator-mail.h"
#include "relais-mail-records.h"

G_BEGIN_DECLS

/* One line of the batch not yet sent: letters for a person, or for a
 * name nobody here has (@number NULL, @name set). */
typedef struct {
  char *number;
  char *kind;
  char *tracking;    /* registered mail only */
  char *parcel_note; /* a parcel's size and shelf, or NULL */
  char *name;
  int   count;
} MailBatchItem;

static inline void
mail_batch_item_free (MailBatchItem *item)
{
  g_free (item->number);
  g_free (item->kind);
  g_free (item->tracking);
  g_free (item->parcel_note);
  g_free (item->name);
  g_free (item);
}

struct _MediatorMail {
  GtkBox            parent_instance;

  /* Template widgets */
  GtkWidget        *tabs;
  GtkWidget        *message;
  /* register */
  GtkWidget        *name_label;
  GtkWidget        *name_entry;
  GtkWidget        *candidates;
  GtkWidget        *chosen_label;
  GtkWidget        *count_spin;
  GtkWidget        *kind_combo;
  GtkWidget        *tracking_entry;
  GtkWidget        *parcel_note_label;
  GtkWidget        *parcel_note_entry;
  GtkWidget        *batch_list;
  GtkWidget        *submit_button;
  GtkWidget        *done_list;
  GtkWidget        *batch_scroller;
  GtkWidget        *done_scroller;
  /* hand-over */
  GtkWidget        *card_entry;
  GtkWidget        *person_label;
  GtkWidget        *recipient_combo;
  GtkWidget        *letters_box;
  GtkWidget        *hand_button;
  /* returns and failures */
  GtkWidget        *returns_list;
  GtkWidget        *failed_list;
  GtkWidget        *hand_search_label;
  GtkWidget        *hand_search; /* hand-over by name */
  GtkWidget        *hand_candidates;

  /* Tabs added once the link is known (borrowed: the stack owns them) */
  GtkWidget        *people_page;    /* MediatorMailPeople */
  GtkWidget        *templates_page; /* MediatorMailTemplates */

  /* Owned */
  RelaisLink       *link;
  GCancellable     *cancellable;
  GPtrArray        *people;       /* RelaisMailPerson*: the candidates shown */
  GPtrArray        *hand_people;  /* RelaisMailPerson*: hand-over's candidates by name */
  RelaisMailPerson *chosen;       /* the person being registered */
  GPtrArray        *batch;        /* MailBatchItem*: items and unknown names */
  RelaisMailRecord *record;       /* hand-over: the person's record */
  char             *after_lookup; /* the message to show once the record is back */
  char             *hand_query;   /* the name last looked for on the hand-over tab */
  guint             search_seq;   /* replies to older searches are dropped */
  guint             busy;
};

static inline void
set_message (MediatorMail *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
}

static inline void
clear_container (GtkWidget *container)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (container));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

static inline char *
person_name (const RelaisMailPerson *p)
{
  g_autofree char *surname = g_utf8_strup (p->surname != NULL ? p->surname : "", -1);
  return g_strdup_printf ("%s %s", surname, p->first_names != NULL ? p->first_names : "");
}

/* mediator-mail.c: the core. */
typedef void (*Done) (MediatorMail *self, JsonObject *reply, GError *error);

/* Asks the hub for @path (a POST when @body is given, which is taken);
 * @done gets the reply unless cancelled (reset, dispose) or, with @seq
 * not 0, unless a newer search started meanwhile. */
void        _mediator_mail_call (MediatorMail *self,
                                 const char   *path,
                                 JsonNode     *body,
                                 Done          done,
                                 guint         seq);
/* Type-ahead search by name, shared by the register and hand-over tabs:
 * asks the hub for at most @limit people named like @text (trimmed;
 * nothing is asked for an empty name: @list and @people are emptied);
 * @done gets the reply unless a newer search started meanwhile. */
void        _mediator_mail_search (MediatorMail *self,
                                   const char   *text,
                                   guint         limit,
                                   GtkWidget    *list,
                                   GPtrArray    *people,
                                   Done          done);
/* Shows the people of a search @reply in @list (a GtkListBox), one line
 * each, and keeps them in @people (RelaisMailPerson*), in the same
 * order; @none when nobody has that name. FALSE (with the message
 * shown) when the search failed. */
gboolean    _mediator_mail_show_candidates (MediatorMail *self,
                                            GtkWidget    *list,
                                            GPtrArray    *people,
                                            int           margin,
                                            const char   *none,
                                            JsonObject   *reply,
                                            GError       *error);
/* A letter's kind ("registered"…) as the agents say it. */
const char *_mediator_mail_kind_label (const char *kind);
/* Every kind in @combo, by id, "ordinary" chosen. */
void        _mediator_mail_kinds_fill (GtkComboBoxText *combo);

/* mediator-mail-register.c: the morning's registering and the day's list. */
/* Binds the tab's template callbacks (from class_init); sets up what
 * the template cannot say (from init, after the template). */
void        _mediator_mail_register_class_init (GtkWidgetClass *widget_class);
void        _mediator_mail_register_init (MediatorMail *self);
void        _mediator_mail_register_reset (MediatorMail *self);
gboolean    _mediator_mail_register_key_cb (GtkWidget    *widget,
                                            GdkEventKey  *event,
                                            MediatorMail *self);

/* mediator-mail-hand-over.c: handing letters over, by card or by name. */
void        _mediator_mail_hand_over_class_init (GtkWidgetClass *widget_class);
void        _mediator_mail_hand_over_init (MediatorMail *self);
void        _mediator_mail_hand_over_reset (MediatorMail *self);

/* mediator-mail-returns.c: returns to the sender and failed messages. */
void        _mediator_mail_returns_refresh (MediatorMail *self);
void        _mediator_mail_returns_reset (MediatorMail *self);

G_END_DECLS

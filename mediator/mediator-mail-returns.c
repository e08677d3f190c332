/* mediator-mail-returns.c: the "Retours à l'expéditeur" and "Messages non
 * partis" tabs of the "Courrier" view. */

#include "mediator-mail-private.h"
#include "mediator-mail-people.h"

/* ---- returns and failed messages ---- */

static void
confirmed_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  set_message (self, reply != NULL ? _ ("Renvoi à l'expéditeur enregistré.") : error->message);
  _mediator_mail_returns_refresh (self);
}

static void
confirm_clicked_cb (GtkButton *button, MediatorMail *self)
{
  g_autofree char *path = g_strdup_printf ("/mail/returns/%d/confirm",
                                           GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "letter-id")));

  _mediator_mail_call (self, path, json_from_string ("{}", NULL), confirmed_done, 0);
}

static void
unknown_confirm_clicked_cb (GtkButton *button, MediatorMail *self)
{
  g_autofree char *path = g_strdup_printf ("/mail/unknown/%" G_GINT64_FORMAT "/confirm",
                                           *(gint64 *) g_object_get_data (G_OBJECT (button), "unknown-id"));

  _mediator_mail_call (self, path, json_from_string ("{}", NULL), confirmed_done, 0);
}

static void
returns_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  g_autoptr(RelaisMailReturns) returns = NULL;
  g_autoptr(GError) local_error = NULL;

  clear_container (self->returns_list);
  if (reply == NULL)
    return;
  returns = relais_mail_returns_from_reply (reply, &local_error);
  if (returns == NULL)
    {
      set_message (self, local_error->message);
      return;
    }
  for (guint i = 0; i < returns->letters->len; i++)
    {
      const RelaisMailLetter *l = g_ptr_array_index (returns->letters, i);
      GtkWidget              *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      /* The id as a string: a G_GINT64_FORMAT inside _ () is a msgid
       * xgettext cannot read as a format, so no translator would see it. */
      g_autofree char        *id = g_strdup_printf ("%" G_GINT64_FORMAT, l->id);
      g_autofree char        *text = g_strdup_printf (_ ("n° %s — %s (n° %s) — %s%s%s — %s"),
                                                      id, l->person, l->number,
                                                      _mediator_mail_kind_label (l->kind), l->sender != NULL ? " — " : "",
                                               l->sender != NULL ? l->sender : "",
                                               l->return_reason != NULL ? l->return_reason : "");
      GtkWidget              *label = gtk_label_new (text);
      GtkWidget              *button = gtk_button_new_with_label (_ ("Renvoyé à l'expéditeur"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set_data (G_OBJECT (button), "letter-id", GINT_TO_POINTER ((int) l->id));
      g_signal_connect (button, "clicked", G_CALLBACK (confirm_clicked_cb), self);
      gtk_box_pack_start (GTK_BOX (box), label, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
      g_object_set (box, "margin", 4, NULL);
      gtk_container_add (GTK_CONTAINER (self->returns_list), box);
    }
  for (guint i = 0; i < returns->unknown->len; i++)
    {
      const RelaisMailUnknownLine *u = g_ptr_array_index (returns->unknown, i);
      g_autofree char             *text = g_strdup_printf (ngettext ("« %s » — non domicilié ici — %d lettre à renvoyer",
                                                                     "« %s » — non domicilié ici — %d lettres à renvoyer", u->count),
                                                           u->name, u->count);
      GtkWidget                   *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget                   *label = gtk_label_new (text);
      /* The list only grew: once sent back, a line goes. */
      GtkWidget                   *button = gtk_button_new_with_label (_ ("Renvoyées à l'expéditeur"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set_data_full (G_OBJECT (button), "unknown-id", g_memdup2 (&u->id, sizeof u->id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (unknown_confirm_clicked_cb), self);
      gtk_box_pack_start (GTK_BOX (box), label, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
      g_object_set (box, "margin", 4, NULL);
      gtk_container_add (GTK_CONTAINER (self->returns_list), box);
    }
  if (returns->letters->len + returns->unknown->len == 0)
    gtk_container_add (GTK_CONTAINER (self->returns_list), gtk_label_new (_ ("Rien à renvoyer.")));
  gtk_widget_show_all (self->returns_list);
}

static void
failed_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GError) local_error = NULL;

  clear_container (self->failed_list);
  if (reply == NULL)
    return;
  notices = relais_mail_notices_from_reply (reply, "notices", &local_error);
  if (notices == NULL)
    {
      set_message (self, local_error->message);
      return;
    }
  for (guint i = 0; i < notices->len; i++)
    {
      const RelaisMailNotice *n = g_ptr_array_index (notices, i);
      gboolean                failed = g_strcmp0 (n->status, "failed") == 0;
      int                     attempts = n->attempts;
      g_autofree char        *text = g_markup_printf_escaped (ngettext ("n° %s — %s %s — %s après %d essai — <i>%s</i>",
                                                                        "n° %s — %s %s — %s après %d essais — <i>%s</i>", attempts),
                                                              n->number, g_strcmp0 (n->channel, "sms") == 0 ? "SMS" : "e-mail",
                                                              n->recipient, failed ? _ ("<b>ÉCHEC</b>") : _ ("nouvel essai prévu"),
                                                              attempts,
                                                       n->last_error != NULL ? n->last_error : "");
      GtkWidget              *label = gtk_label_new (NULL);

      /* The escaped text carries our own <b>: put it back. */
      {
        g_autoptr(GString) fixed = g_string_new (text);
        g_string_replace (fixed, "&lt;b&gt;", "<b>", 0);
        g_string_replace (fixed, "&lt;/b&gt;", "</b>", 0);
        gtk_label_set_markup (GTK_LABEL (label), fixed->str);
      }
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      g_object_set (label, "margin", 4, NULL);
      gtk_container_add (GTK_CONTAINER (self->failed_list), label);
    }
  if (notices->len == 0)
    gtk_container_add (GTK_CONTAINER (self->failed_list), gtk_label_new (_ ("Tous les messages sont partis.")));
  gtk_widget_show_all (self->failed_list);
}

void
_mediator_mail_returns_refresh (MediatorMail *self)
{
  if (!relais_link_has_session (self->link))
    return;
  _mediator_mail_call (self, "/mail/returns", NULL, returns_done, 0);
  _mediator_mail_call (self, "/mail/notices/failed", NULL, failed_done, 0);
  mediator_mail_people_refresh (MEDIATOR_MAIL_PEOPLE (self->people_page));
}
void
_mediator_mail_returns_reset (MediatorMail *self)
{
  clear_container (self->returns_list);
  clear_container (self->failed_list);
}

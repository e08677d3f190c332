/* mediator-mail-hand-over.c: the "Remettre" tab of the "Courrier" view: the
 * person found by card or by name, their letters ticked and handed to
 * them or to a proxy. */

#include "mediator-mail-private.h"

/* ---- hand-over ---- */

static void
show_record (MediatorMail *self)
{
  JsonObject *p = json_object_get_object_member (self->record, "person");
  JsonArray *letters = json_object_get_array_member (self->record, "letters");
  JsonArray *proxies = json_object_get_array_member (self->record, "proxies");
  g_autofree char *name = person_name (p);
  g_autofree char *born = date_fr (member (p, "birth_date"));
  guint n_letters = json_array_get_length (letters);
  g_autofree char *header = g_markup_printf_escaped (ngettext ("<span size='large'><b>%s</b></span>   n° <b>%s</b>   né(e) le %s   — %u courrier en attente",
                                                               "<span size='large'><b>%s</b></span>   n° <b>%s</b>   né(e) le %s   — %u courriers en attente",
                                                               n_letters),
                                                     name, member (p, "number"), born, n_letters);

  gtk_label_set_markup (GTK_LABEL (self->person_label), header);
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->recipient_combo));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->recipient_combo), "0", _("La personne elle-même"));
  for (guint i = 0; i < json_array_get_length (proxies); i++)
    {
      JsonObject *x = json_array_get_object_element (proxies, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (x, "id"));
      g_autofree char *ends = date_fr (member (x, "ends_on"));
      g_autofree char *text = json_object_get_boolean_member (x, "valid")
        ? g_strdup_printf (_("Mandataire : %s — procuration valable (jusqu'au %s)"), member (x, "name"),
                           member (x, "ends_on") != NULL ? ends : _("sans fin"))
        : g_strdup_printf (_("Mandataire : %s — PROCURATION PLUS VALABLE (fin le %s)"), member (x, "name"), ends);

      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->recipient_combo), id, text);
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->recipient_combo), "0");
  clear_container (self->letters_box);
  for (guint i = 0; i < json_array_get_length (letters); i++)
    {
      JsonObject *l = json_array_get_object_element (letters, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (json_object_get_int_member (l, "registered_at") / 1000);
      g_autofree char *day = g_date_time_format (at, "%d/%m/%Y");
      g_autofree char *text = g_strdup_printf (_("n° %" G_GINT64_FORMAT " — %s%s%s%s%s — arrivé le %s%s"),
                                               json_object_get_int_member (l, "id"), _mediator_mail_kind_label (member (l, "kind")),
                                               member (l, "tracking") != NULL ? " " : "", member (l, "tracking") != NULL ? member (l, "tracking") : "",
                                               member (l, "sender") != NULL ? " — " : "", member (l, "sender") != NULL ? member (l, "sender") : "",
                                               day, json_object_get_boolean_member (l, "urgent") ? _(" — URGENT") : "");
      GtkWidget *check = gtk_check_button_new_with_label (text);

      gtk_label_set_line_wrap (GTK_LABEL (gtk_bin_get_child (GTK_BIN (check))), TRUE);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), TRUE);
      g_object_set_data (G_OBJECT (check), "letter-id", GINT_TO_POINTER ((int) json_object_get_int_member (l, "id")));
      gtk_container_add (GTK_CONTAINER (self->letters_box), check);
    }
  gtk_widget_show_all (self->letters_box);
  gtk_widget_set_sensitive (self->hand_button, json_array_get_length (letters) > 0);
  if (json_array_get_length (letters) > 0)
    gtk_widget_grab_focus (self->hand_button);
}

/* No person on the hand-over tab. */
static void
forget_record (MediatorMail *self)
{
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->after_lookup, g_free);
  clear_container (self->letters_box);
  gtk_label_set_text (GTK_LABEL (self->person_label), "");
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->recipient_combo));
  gtk_widget_set_sensitive (self->hand_button, FALSE);
}

static void
lookup_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  g_clear_pointer (&self->record, json_object_unref);
  clear_container (self->letters_box);
  gtk_label_set_text (GTK_LABEL (self->person_label), "");
  gtk_widget_set_sensitive (self->hand_button, FALSE);
  if (reply == NULL)
    {
      set_message (self, error->message);
      return;
    }
  set_message (self, self->after_lookup);
  g_clear_pointer (&self->after_lookup, g_free);
  self->record = json_object_ref (reply);
  show_record (self);
}

void
mediator_mail_lookup (MediatorMail *self, const char *card)
{
  g_autofree char *key = g_strstrip (g_strdup (card));
  g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/mail/card/%s", escaped);

  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  if (*key == '\0')
    return;
  _mediator_mail_call (self, path, NULL, lookup_done, 0);
}

/* Hand-over by name, for a person who forgot their card. */
static void
hand_search_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  JsonArray *people;

  clear_container (self->hand_candidates);
  g_ptr_array_set_size (self->hand_people, 0);
  if (reply == NULL)
    {
      set_message (self, error->message);
      return;
    }
  people = json_object_get_array_member (reply, "people");
  for (guint i = 0; people != NULL && i < json_array_get_length (people); i++)
    {
      JsonObject *p = json_array_get_object_element (people, i);
      GtkWidget *label = gtk_label_new (NULL);
      g_autofree char *markup = _mediator_mail_candidate_markup (p);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      g_object_set (label, "margin", 4, NULL);
      gtk_container_add (GTK_CONTAINER (self->hand_candidates), label);
      g_ptr_array_add (self->hand_people, json_object_ref (p));
    }
  if (self->hand_people->len == 0)
    gtk_container_add (GTK_CONTAINER (self->hand_candidates), gtk_label_new (_("Personne de ce nom.")));
  gtk_widget_show_all (self->hand_candidates);
}

static void
hand_search (MediatorMail *self, const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  self->search_seq++;
  if (*trimmed == '\0')
    {
      clear_container (self->hand_candidates);
      g_ptr_array_set_size (self->hand_people, 0);
      return;
    }
  escaped = g_uri_escape_string (trimmed, NULL, FALSE);
  path = g_strdup_printf ("/mail/search?q=%s&limit=8", escaped);
  _mediator_mail_call (self, path, NULL, hand_search_done, self->search_seq);
}

void
mediator_mail_hand_over_search (MediatorMail *self, const char *text)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  /* Another name is being looked for: the last person's letters, all
   * ticked, must not stay under the button for the next one. */
  forget_record (self);
  clear_container (self->hand_candidates);
  g_ptr_array_set_size (self->hand_people, 0);
  g_free (self->hand_query);
  self->hand_query = g_strdup (text);
  hand_search (self, text);
}

const char *
mediator_mail_get_hand_candidate (MediatorMail *self, guint index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), NULL);
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->hand_candidates), index);
  if (row == NULL || index >= self->hand_people->len)
    return NULL;
  return gtk_label_get_text (GTK_LABEL (gtk_bin_get_child (GTK_BIN (row))));
}

guint
mediator_mail_get_n_hand_candidates (MediatorMail *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), 0);
  return self->hand_people->len;
}

void
mediator_mail_hand_over_choose (MediatorMail *self, guint index)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  if (index >= self->hand_people->len)
    return;
  mediator_mail_lookup (self, member (g_ptr_array_index (self->hand_people, index), "number"));
}

static void
hand_search_changed_cb (MediatorMail *self)
{
  mediator_mail_hand_over_search (self, gtk_entry_get_text (GTK_ENTRY (self->hand_search)));
}

static void
hand_candidate_activated_cb (GtkListBox *box, GtkListBoxRow *row, MediatorMail *self)
{
  mediator_mail_hand_over_choose (self, gtk_list_box_row_get_index (row));
}

static void
hand_search_activate_cb (MediatorMail *self)
{
  mediator_mail_hand_over_choose (self, 0);
}

static void
card_activate_cb (MediatorMail *self)
{
  mediator_mail_lookup (self, gtk_entry_get_text (GTK_ENTRY (self->card_entry)));
}

guint
mediator_mail_get_n_waiting (MediatorMail *self)
{
  return self->record != NULL ? json_array_get_length (json_object_get_array_member (self->record, "letters")) : 0;
}

static void
handed_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  g_autofree char *text = NULL;

  if (reply == NULL)
    {
      set_message (self, error->message);
      return;
    }
  {
    guint n = json_array_get_length (json_object_get_array_member (reply, "letters"));

    text = g_strdup_printf (ngettext ("%u courrier remis et enregistré.", "%u courriers remis et enregistrés.", n), n);
  }
  set_message (self, text);
  g_free (self->after_lookup);
  self->after_lookup = g_steal_pointer (&text);
  mediator_mail_lookup (self, member (json_object_get_object_member (self->record, "person"), "number"));
  /* The names found still said « (1 en attente) »: ask again. */
  hand_search (self, self->hand_query);
  gtk_entry_set_text (GTK_ENTRY (self->card_entry), "");
  gtk_widget_grab_focus (self->card_entry);
}

void
mediator_mail_hand_over (MediatorMail *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GList) checks = gtk_container_get_children (GTK_CONTAINER (self->letters_box));
  const char *recipient = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->recipient_combo));
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  guint ticked = 0;

  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  if (self->record == NULL)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "letters");
  json_builder_begin_array (b);
  for (GList *l = checks; l != NULL; l = l->next)
    if (gtk_toggle_button_get_active (l->data))
      {
        json_builder_add_int_value (b, GPOINTER_TO_INT (g_object_get_data (l->data, "letter-id")));
        ticked++;
      }
  json_builder_end_array (b);
  if (recipient != NULL && !g_str_equal (recipient, "0"))
    {
      json_builder_set_member_name (b, "proxy");
      json_builder_add_int_value (b, g_ascii_strtoll (recipient, NULL, 10));
    }
  json_builder_end_object (b);
  if (ticked == 0)
    {
      set_message (self, _("Cochez au moins un courrier à remettre."));
      return;
    }
  escaped = g_uri_escape_string (member (json_object_get_object_member (self->record, "person"), "number"), NULL, FALSE);
  path = g_strdup_printf ("/mail/people/%s/hand-over", escaped);
  _mediator_mail_call (self, path, json_builder_get_root (b), handed_done, 0);
}

void
_mediator_mail_hand_over_reset (MediatorMail *self)
{
  /* Handing over: the card, the search, the person and their letters. */
  gtk_entry_set_text (GTK_ENTRY (self->card_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->hand_search), "");
  clear_container (self->hand_candidates);
  g_ptr_array_set_size (self->hand_people, 0);
  g_clear_pointer (&self->hand_query, g_free);
  forget_record (self);
}

void
_mediator_mail_hand_over_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, card_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, hand_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, hand_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, hand_candidate_activated_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "hand_over_clicked_cb", G_CALLBACK (mediator_mail_hand_over));
}

void
_mediator_mail_hand_over_init (MediatorMail *self)
{
  /* A search entry calls itself "Search" to screen readers: its label's words instead. */
  atk_object_set_name (gtk_widget_get_accessible (self->hand_search), gtk_label_get_text (GTK_LABEL (self->hand_search_label)));
  /* A proxy's long name is cut in the closed choice, not the window
   * widened for it. */
  {
    g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (self->recipient_combo));

    for (GList *l = cells; l != NULL; l = l->next)
      g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 40, NULL);
  }
}

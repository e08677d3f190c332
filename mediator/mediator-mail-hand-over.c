/* mediator-mail-hand-over.c: the "Remettre" tab of the "Courrier" view: the
 * person found by card or by name, their letters ticked and handed to
 * them or to a proxy. */

#include "mediator-mail-private.h"
#include "relais-db-mail-kinds.h"

/* ---- hand-over ---- */

static void lookup_again (MediatorMail *self, char *message);

/* Letter @id of the person shown goes back to its sender: NPAI. */
static void
npai_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  if (reply == NULL)
    {
      set_message (self, error->message);
      return;
    }
  lookup_again (self, g_strdup (_ ("Courrier mis au retour : n’habite pas à l’adresse indiquée (NPAI).")));
}

static void
npai_clicked_cb (GtkButton *button, MediatorMail *self)
{
  gint64           id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "letter-id"));
  g_autofree char *path = g_strdup_printf ("/mail/letters/%" G_GINT64_FORMAT "/npai", id);

  _mediator_mail_call (self, path, json_from_string ("{}", NULL), npai_done, 0);
}

/* Where a parcel is stored, written or changed at the desk. */
static void
parcel_note_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  if (reply == NULL)
    {
      set_message (self, error->message);
      return;
    }
  lookup_again (self, g_strdup (_ ("Rangement du colis noté.")));
}

static void
parcel_note_save_cb (GtkWidget *widget, MediatorMail *self)
{
  GtkWidget       *entry = g_object_get_data (G_OBJECT (widget), "note-entry");
  gint64           id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "letter-id"));
  g_autofree char *note = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));
  g_autofree char *path = g_strdup_printf ("/mail/letters/%" G_GINT64_FORMAT "/parcel-note", id);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (*note == '\0')
    {
      set_message (self, _ ("Colis : notez sa taille et où il est rangé, puis « Noter »."));
      gtk_widget_grab_focus (entry);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, note);
  json_builder_end_object (b);
  _mediator_mail_call (self, path, json_builder_get_root (b), parcel_note_done, 0);
}

/* One waiting letter: its tick (with a notice's deadline at La Poste or
 * a parcel's shelf), a notice's ID check, a parcel's note to write, and
 * « NPAI » to send it back. Each control says which letter it is for. */
static void
add_letter_row (MediatorMail *self, const RelaisMailLetter *l)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (l->registered_at / 1000);
  g_autofree char *day = g_date_time_format (at, "%d/%m/%Y");
  /* The letter's number as text: a translator's string cannot hold
   * G_GINT64_FORMAT (xgettext stops at the macro). */
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, l->id);
  g_autofree char *text = g_strdup_printf (_ ("n° %s — %s%s%s%s%s — arrivé le %s%s"),
                                           id, _mediator_mail_kind_label (l->kind),
                                           l->tracking != NULL ? " " : "", l->tracking != NULL ? l->tracking : "",
                                           l->sender != NULL ? " — " : "", l->sender != NULL ? l->sender : "",
                                           day, l->urgent ? _ (" — URGENT") : "");
  g_autofree char *deadline = mediator_date_fr (l->notice_deadline, "?");
  g_autofree char *npai_name = g_strdup_printf (_ ("Courrier n° %s : n’habite pas à l’adresse indiquée, au retour"), id);
  GtkWidget       *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget       *check;
  GtkWidget       *npai;

  /* The deadline is La Poste's last day: after it the letter goes back. */
  if (g_strcmp0 (l->kind, "notice") == 0 && l->notice_deadline != NULL)
    {
      g_autofree char *with = g_strdup_printf (_ ("%s — à retirer à La Poste au plus tard le %s"), text, deadline);

      g_free (text);
      text = g_steal_pointer (&with);
    }
  if (g_strcmp0 (l->kind, "parcel") == 0 && l->parcel_note != NULL)
    {
      g_autofree char *with = g_strdup_printf (_ ("%s — rangé : %s"), text, l->parcel_note);

      g_free (text);
      text = g_steal_pointer (&with);
    }
  check = gtk_check_button_new_with_label (text);
  gtk_label_set_line_wrap (GTK_LABEL (gtk_bin_get_child (GTK_BIN (check))), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), TRUE);
  g_object_set_data (G_OBJECT (check), "letter-id", GINT_TO_POINTER ((int) l->id));
  gtk_box_pack_start (GTK_BOX (row), check, TRUE, TRUE, 0);
  npai = gtk_button_new_with_label (_ ("NPAI"));
  gtk_widget_set_tooltip_text (npai, _ ("N’habite pas à l’adresse indiquée : ce courrier part au retour"));
  atk_object_set_name (gtk_widget_get_accessible (npai), npai_name);
  gtk_widget_set_valign (npai, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (npai), "letter-id", GINT_TO_POINTER ((int) l->id));
  g_signal_connect (npai, "clicked", G_CALLBACK (npai_clicked_cb), self);
  gtk_box_pack_end (GTK_BOX (row), npai, FALSE, FALSE, 0);
  g_object_set_data (G_OBJECT (row), "check", check);
  gtk_container_add (GTK_CONTAINER (self->letters_box), row);
  /* A notice (avis de passage) is handed against an ID seen and the
   * register signed: the hub refuses it without this tick. */
  if (g_strcmp0 (l->kind, "notice") == 0)
    {
      GtkWidget *id_check = gtk_check_button_new_with_label (
          _ ("Avis de passage : pièce d’identité vérifiée et registre signé"));

      atk_object_set_name (gtk_widget_get_accessible (id_check), _ ("Pièce d’identité vérifiée pour l’avis de passage"));
      g_object_set (id_check, "margin-start", 24, NULL);
      g_object_set_data (G_OBJECT (id_check), "id-check", GINT_TO_POINTER (1));
      gtk_container_add (GTK_CONTAINER (self->letters_box), id_check);
    }
  /* A parcel's size and shelf, to find it when the person comes. */
  if (g_strcmp0 (l->kind, "parcel") == 0)
    {
      GtkWidget       *note_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget       *entry = gtk_entry_new ();
      GtkWidget       *save = gtk_button_new_with_label (_ ("Noter"));
      g_autofree char *entry_name = g_strdup_printf (_ ("Rangement du colis n° %s"), id);
      g_autofree char *save_name = g_strdup_printf (_ ("Noter le rangement du colis n° %s"), id);

      g_object_set (note_row, "margin-start", 24, NULL);
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("Taille et rangement : « grand carton, réserve 2 »"));
      gtk_entry_set_max_length (GTK_ENTRY (entry), RELAIS_MAIL_PARCEL_NOTE_MAX);
      gtk_entry_set_width_chars (GTK_ENTRY (entry), 40);
      if (l->parcel_note != NULL)
        gtk_entry_set_text (GTK_ENTRY (entry), l->parcel_note);
      atk_object_set_name (gtk_widget_get_accessible (entry), entry_name);
      atk_object_set_name (gtk_widget_get_accessible (save), save_name);
      g_object_set_data (G_OBJECT (entry), "note-entry", entry);
      g_object_set_data (G_OBJECT (entry), "letter-id", GINT_TO_POINTER ((int) l->id));
      g_object_set_data (G_OBJECT (save), "note-entry", entry);
      g_object_set_data (G_OBJECT (save), "letter-id", GINT_TO_POINTER ((int) l->id));
      g_signal_connect (entry, "activate", G_CALLBACK (parcel_note_save_cb), self);
      g_signal_connect (save, "clicked", G_CALLBACK (parcel_note_save_cb), self);
      gtk_box_pack_start (GTK_BOX (note_row), entry, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (note_row), save, FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (self->letters_box), note_row);
    }
}

static void
show_record (MediatorMail *self)
{
  const RelaisMailPerson *p = self->record->person;
  GPtrArray              *letters = self->record->letters;
  GPtrArray              *proxies = self->record->proxies;
  g_autofree char        *name = person_name (p);
  g_autofree char        *born = mediator_date_fr (p->birth_date, "?");
  guint                   n_letters = letters->len;
  g_autofree char        *header = g_markup_printf_escaped (ngettext ("<span size='large'><b>%s</b></span>   n° <b>%s</b>   né(e) le %s   — %u courrier en attente",
                                                                      "<span size='large'><b>%s</b></span>   n° <b>%s</b>   né(e) le %s   — %u courriers en attente",
                                                                      n_letters),
                                                            name, p->number, born, n_letters);

  gtk_label_set_markup (GTK_LABEL (self->person_label), header);
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->recipient_combo));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->recipient_combo), "0", _ ("La personne elle-même"));
  for (guint i = 0; i < proxies->len; i++)
    {
      const RelaisMailProxy *x = g_ptr_array_index (proxies, i);
      g_autofree char       *id = g_strdup_printf ("%" G_GINT64_FORMAT, x->id);
      g_autofree char       *ends = mediator_date_fr (x->ends_on, "?");
      g_autofree char       *text = x->valid
                                        ? g_strdup_printf (_ ("Mandataire : %s — procuration valable (jusqu'au %s)"), x->name,
                                                     x->ends_on != NULL ? ends : _ ("sans fin"))
                                        : g_strdup_printf (_ ("Mandataire : %s — PROCURATION PLUS VALABLE (fin le %s)"), x->name, ends);

      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->recipient_combo), id, text);
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->recipient_combo), "0");
  clear_container (self->letters_box);
  for (guint i = 0; i < letters->len; i++)
    add_letter_row (self, g_ptr_array_index (letters, i));
  gtk_widget_show_all (self->letters_box);
  gtk_widget_set_sensitive (self->hand_button, letters->len > 0);
  if (letters->len > 0)
    gtk_widget_grab_focus (self->hand_button);
}

/* No person on the hand-over tab. */
static void
forget_record (MediatorMail *self)
{
  g_clear_pointer (&self->record, relais_mail_record_free);
  g_clear_pointer (&self->after_lookup, g_free);
  clear_container (self->letters_box);
  gtk_label_set_text (GTK_LABEL (self->person_label), "");
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->recipient_combo));
  gtk_widget_set_sensitive (self->hand_button, FALSE);
}

static void
lookup_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  g_autoptr(GError) local_error = NULL;

  g_clear_pointer (&self->record, relais_mail_record_free);
  clear_container (self->letters_box);
  gtk_label_set_text (GTK_LABEL (self->person_label), "");
  gtk_widget_set_sensitive (self->hand_button, FALSE);
  if (reply != NULL)
    self->record = relais_mail_record_from_reply (reply, &local_error);
  if (self->record == NULL)
    {
      set_message (self, error != NULL ? error->message : local_error->message);
      return;
    }
  set_message (self, self->after_lookup);
  g_clear_pointer (&self->after_lookup, g_free);
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
  _mediator_mail_show_candidates (self, self->hand_candidates, self->hand_people, 4, _ ("Personne de ce nom."),
                                  reply, error);
}

static void
hand_search (MediatorMail *self, const char *text)
{
  _mediator_mail_search (self, text, 8, self->hand_candidates, self->hand_people, hand_search_done);
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
  mediator_mail_lookup (self, ((RelaisMailPerson *) g_ptr_array_index (self->hand_people, index))->number);
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
  return self->record != NULL ? self->record->letters->len : 0;
}

/* Shows @message (taken) now and once the person's letters, asked
 * again, are back. */
static void
lookup_again (MediatorMail *self, char *message)
{
  set_message (self, message);
  g_free (self->after_lookup);
  self->after_lookup = message;
  if (self->record != NULL)
    mediator_mail_lookup (self, self->record->person->number);
}

static void
handed_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) handed = NULL;
  g_autoptr(GError) local_error = NULL;

  if (reply != NULL)
    handed = relais_mail_letters_from_reply (reply, "letters", &local_error);
  if (handed == NULL)
    {
      set_message (self, error != NULL ? error->message : local_error->message);
      return;
    }
  text = g_strdup_printf (ngettext ("%u courrier remis et enregistré.", "%u courriers remis et enregistrés.", handed->len),
                          handed->len);
  lookup_again (self, g_steal_pointer (&text));
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
  const char      *recipient = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->recipient_combo));
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  guint            ticked = 0;
  gboolean         id_checked = FALSE;

  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  if (self->record == NULL)
    return;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "letters");
  json_builder_begin_array (b);
  for (GList *l = checks; l != NULL; l = l->next)
    {
      GtkWidget *check = g_object_get_data (l->data, "check");

      if (g_object_get_data (l->data, "id-check") != NULL)
        id_checked |= gtk_toggle_button_get_active (l->data);
      else if (check != NULL && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (check)))
        {
          json_builder_add_int_value (b, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "letter-id")));
          ticked++;
        }
    }
  json_builder_end_array (b);
  if (id_checked)
    {
      json_builder_set_member_name (b, "id_checked");
      json_builder_add_boolean_value (b, TRUE);
    }
  if (recipient != NULL && !g_str_equal (recipient, "0"))
    {
      json_builder_set_member_name (b, "proxy");
      json_builder_add_int_value (b, g_ascii_strtoll (recipient, NULL, 10));
    }
  json_builder_end_object (b);
  if (ticked == 0)
    {
      set_message (self, _ ("Cochez au moins un courrier à remettre."));
      return;
    }
  escaped = g_uri_escape_string (self->record->person->number, NULL, FALSE);
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

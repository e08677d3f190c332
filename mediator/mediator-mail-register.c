/* mediator-mail-register.c: the "Enregistrer" tab of the "Courrier" view:
 * the morning's letters registered from the keyboard (name, Enter, count,
 * Enter, next name; Ctrl+Enter sends the batch), homonyms flagged, and the
 * day's list for filing. */

#include "mediator-mail-private.h"
#include "mediator-files.h"
#include "mediator-mail-numbers.h"
#include "relais-db-mail-kinds.h"

static void count_activate_cb (MediatorMail *self);

/* ---- registering ---- */

static void
search_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  if (!_mediator_mail_show_candidates (self, self->candidates, self->people, 6,
                                       _ ("Aucune personne domiciliée ici ne porte ce nom. Vérifiez l'orthographe ; "
                                          "si le nom est bien celui de l'enveloppe, Ctrl+I met ce courrier de côté, "
                                          "à renvoyer (« non domicilié ici »)."),
                                       reply, error))
    return;
  set_message (self, NULL);
  if (self->people->len > 0)
    gtk_list_box_select_row (GTK_LIST_BOX (self->candidates),
                             gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->candidates), 0));
}

static void
name_changed_cb (MediatorMail *self)
{
  _mediator_mail_search (self, gtk_entry_get_text (GTK_ENTRY (self->name_entry)), 12, self->candidates,
                         self->people, search_done);
}

void
mediator_mail_type_name (MediatorMail *self, const char *text)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  gtk_entry_set_text (GTK_ENTRY (self->name_entry), text);
}

guint
mediator_mail_get_n_candidates (MediatorMail *self)
{
  return self->people->len;
}

const char *
mediator_mail_get_candidate (MediatorMail *self, guint index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->candidates), index);

  if (row == NULL || index >= self->people->len)
    return NULL;
  return gtk_label_get_text (GTK_LABEL (gtk_bin_get_child (GTK_BIN (row))));
}

void
mediator_mail_choose (MediatorMail *self, guint index)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  if (index >= self->people->len)
    return;
  g_clear_pointer (&self->chosen, relais_mail_person_free);
  self->chosen = relais_mail_person_copy (g_ptr_array_index (self->people, index));
  name = person_name (self->chosen);
  text = g_strdup_printf (_ ("%s — n° %s : combien de lettres ?"), name, self->chosen->number);
  gtk_label_set_text (GTK_LABEL (self->chosen_label), text);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), 1);
  gtk_widget_grab_focus (self->count_spin);
}

static void
update_batch (MediatorMail *self)
{
  g_autofree char *label = g_strdup_printf (_ ("_Enregistrer le lot (%u) — Ctrl+Entrée"), self->batch->len);

  gtk_button_set_label (GTK_BUTTON (self->submit_button), label);
  gtk_widget_set_sensitive (self->submit_button, self->batch->len > 0);
}

static void
batch_add_row (MediatorMail *self, const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set (label, "margin", 4, NULL);
  gtk_container_add (GTK_CONTAINER (self->batch_list), label);
  gtk_widget_show_all (self->batch_list);
}

static void
next_name (MediatorMail *self)
{
  g_clear_pointer (&self->chosen, relais_mail_person_free);
  gtk_label_set_text (GTK_LABEL (self->chosen_label), _ ("Tapez le début du nom, puis Entrée."));
  gtk_entry_set_text (GTK_ENTRY (self->name_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->tracking_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->parcel_note_entry), "");
  /* Each name starts afresh: one ordinary letter, the common case; the
   * last person's count or kind must not go to the next. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), 1);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo), "ordinary");
  gtk_widget_grab_focus (self->name_entry);
  update_batch (self);
}

/* A parcel's shelf, when one was typed, said after its line. */
static char *
batch_row_text (const RelaisMailPerson *p,
                const MailBatchItem    *item)
{
  g_autofree char *name = person_name (p);
  g_autofree char *text = g_strdup_printf (_ ("%s (n° %s) — %d × %s%s%s"), name, p->number,
                                           item->count, _mediator_mail_kind_label (item->kind),
                                           item->tracking != NULL ? " " : "", item->tracking != NULL ? item->tracking : "");

  if (item->parcel_note == NULL)
    return g_steal_pointer (&text);
  return g_strdup_printf (_ ("%s — rangé : %s"), text, item->parcel_note);
}

static void
add_item (MediatorMail *self, int count, const char *kind, const char *tracking, const char *parcel_note)
{
  MailBatchItem   *item;
  g_autofree char *text = NULL;
  /* A registered letter, a notice and a parcel come one at a time (each
   * its tracking number, deadline or shelf). */
  int              n = g_strcmp0 (kind, "registered") == 0 || g_strcmp0 (kind, "notice") == 0 || g_strcmp0 (kind, "parcel") == 0
                           ? 1
                           : count;

  if (self->chosen == NULL)
    {
      set_message (self, _ ("Choisissez d'abord une personne dans la liste."));
      return;
    }
  if (g_strcmp0 (kind, "registered") == 0 && (tracking == NULL || *tracking == '\0'))
    {
      set_message (self, _ ("Recommandé : tapez son numéro de suivi, puis Entrée."));
      gtk_widget_grab_focus (self->tracking_entry);
      return;
    }
  item = g_new0 (MailBatchItem, 1);
  item->number = g_strdup (self->chosen->number);
  item->kind = g_strdup (kind);
  item->count = n;
  if (tracking != NULL && *tracking != '\0')
    item->tracking = g_strdup (tracking);
  if (g_strcmp0 (kind, "parcel") == 0 && parcel_note != NULL)
    {
      item->parcel_note = g_strstrip (g_strdup (parcel_note));
      if (*item->parcel_note == '\0')
        g_clear_pointer (&item->parcel_note, g_free);
    }
  g_ptr_array_add (self->batch, item);
  text = batch_row_text (self->chosen, item);
  batch_add_row (self, text);
  set_message (self, NULL);
  next_name (self);
}

void
mediator_mail_add (MediatorMail *self, int count, const char *kind, const char *tracking)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  add_item (self, count, kind, tracking, NULL);
}

void
mediator_mail_add_unknown (MediatorMail *self, int count)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry))));
  g_autofree char *text = NULL;
  MailBatchItem   *item;

  if (*name == '\0')
    {
      set_message (self, _ ("Tapez le nom écrit sur l'enveloppe, puis Ctrl+I."));
      return;
    }
  item = g_new0 (MailBatchItem, 1);
  item->name = g_strdup (name);
  item->count = MAX (1, count);
  g_ptr_array_add (self->batch, item);
  text = g_strdup_printf (ngettext ("« %s » — non domicilié ici, %d lettre à renvoyer",
                                    "« %s » — non domicilié ici, %d lettres à renvoyer", MAX (1, count)),
                          name, MAX (1, count));
  batch_add_row (self, text);
  next_name (self);
}

void
mediator_mail_set_count_kind (MediatorMail *self,
                              int           count,
                              const char   *kind)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), count);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo), kind);
}

int
mediator_mail_get_count (MediatorMail *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), 0);
  return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->count_spin));
}

const char *
mediator_mail_get_kind (MediatorMail *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), NULL);
  return gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo));
}

void
mediator_mail_add_as_typed (MediatorMail *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  count_activate_cb (self);
}

guint
mediator_mail_get_batch_size (MediatorMail *self)
{
  return self->batch->len;
}

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static void
submit_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GHashTable) per_person = NULL;
  guint n_back = 0;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GError) local_error = NULL;

  gtk_widget_set_sensitive (self->submit_button, TRUE);
  if (reply != NULL)
    letters = relais_mail_letters_from_reply (reply, "letters", &local_error);
  if (letters == NULL)
    {
      /* Nothing is lost: the batch stays on screen to send again (its
       * key makes a second sending register it once). */
      g_autofree char *text = g_strdup_printf (_ ("Lot non enregistré : %s"),
                                               error != NULL ? error->message : local_error->message);
      set_message (self, text);
      return;
    }
  per_person = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  order = g_ptr_array_new ();
  clear_container (self->done_list);
  for (guint i = 0; i < letters->len; i++)
    {
      RelaisMailLetter *l = g_ptr_array_index (letters, i);
      const char       *number = l->number;
      GString          *line = g_hash_table_lookup (per_person, number);

      if (line == NULL)
        {
          g_autofree char *head = NULL;

          /* The label is markup: a name like "O'Brien <Jo>" must stay text. */
          line = g_string_new (NULL);
          head = g_markup_printf_escaped (_ ("n° %s  %s : courriers n° "), number, l->person);
          g_string_append (line, head);
          g_hash_table_insert (per_person, g_strdup (number), line);
          g_ptr_array_add (order, line);
        }
      else
        g_string_append (line, ", ");
      g_string_append_printf (line, "<b>%" G_GINT64_FORMAT "</b>", l->id);
      /* A notice says its last day at La Poste, a parcel its shelf: what
       * to write on them before filing. */
      if (g_strcmp0 (l->kind, "notice") == 0 && l->notice_deadline != NULL)
        {
          g_autofree char *deadline = mediator_date_fr (l->notice_deadline, "?");
          g_autofree char *says = g_markup_printf_escaped (_ (" (avis de passage — à retirer à La Poste au plus tard le %s)"),
                                                           deadline);

          g_string_append (line, says);
        }
      else if (g_strcmp0 (l->kind, "parcel") == 0 && l->parcel_note != NULL)
        {
          g_autofree char *says = g_markup_printf_escaped (_ (" (colis — rangé : %s)"), l->parcel_note);

          g_string_append (line, says);
        }
      /* Not domiciled here any more: straight to the return list. */
      if (l->return_due_at != 0)
        {
          g_autofree char *back = g_markup_printf_escaped (_ (" — à renvoyer à l'expéditeur (%s)"),
                                                           l->return_reason != NULL ? l->return_reason : "");

          g_string_append (line, back);
          n_back++;
        }
    }
  for (guint i = 0; i < order->len; i++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (label), ((GString *) g_ptr_array_index (order, i))->str);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_container_add (GTK_CONTAINER (self->done_list), label);
    }
  gtk_widget_show_all (self->done_list);
  {
    guint            n = letters->len;
    g_autofree char *text = g_strdup_printf (ngettext ("Lot enregistré : %u courrier. Écrivez son numéro dessus ; la personne est prévenue.",
                                                       "Lot enregistré : %u courriers. Écrivez leur numéro sur chacun ; les personnes sont prévenues.",
                                                       n),
                                             n);
    if (n_back > 0)
      {
        g_autofree char *back = g_strdup_printf (ngettext (" Dont %u pour une personne plus domiciliée ici : il va au retour à l'expéditeur, sans message.",
                                                           " Dont %u pour des personnes plus domiciliées ici : ils vont au retour à l'expéditeur, sans message.",
                                                           n_back),
                                                 n_back);
        g_autofree char *both = g_strconcat (text, back, NULL);

        set_message (self, both);
      }
    else
      set_message (self, text);
  }
  g_ptr_array_set_size (self->batch, 0);
  clear_container (self->batch_list);
  g_object_set_data (G_OBJECT (self), "batch-key", NULL);
  update_batch (self);
}

void
mediator_mail_submit (MediatorMail *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *key;

  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  if (self->batch->len == 0)
    return;
  /* The same key until the hub answers: sending twice registers once. */
  key = g_object_get_data (G_OBJECT (self), "batch-key");
  if (key == NULL)
    {
      g_object_set_data_full (G_OBJECT (self), "batch-key", g_uuid_string_random (), g_free);
      key = g_object_get_data (G_OBJECT (self), "batch-key");
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->batch->len; i++)
    {
      const MailBatchItem *item = g_ptr_array_index (self->batch, i);

      if (item->number == NULL)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, item->number);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, item->kind);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, item->count);
      if (item->tracking != NULL)
        {
          json_builder_set_member_name (b, "tracking");
          json_builder_add_string_value (b, item->tracking);
        }
      if (item->parcel_note != NULL)
        {
          json_builder_set_member_name (b, "parcel_note");
          json_builder_add_string_value (b, item->parcel_note);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unknown");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->batch->len; i++)
    {
      const MailBatchItem *item = g_ptr_array_index (self->batch, i);

      if (item->number != NULL)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, item->name);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, item->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  gtk_widget_set_sensitive (self->submit_button, FALSE);
  _mediator_mail_call (self, "/mail/batch", json_builder_get_root (b), submit_done, 0);
}

static gboolean
name_key_cb (GtkWidget *entry, GdkEventKey *event, MediatorMail *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->candidates));
  int            index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (event->keyval == GDK_KEY_Down || event->keyval == GDK_KEY_Up)
    {
      index += event->keyval == GDK_KEY_Down ? 1 : -1;
      row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->candidates), MAX (0, index));
      if (row != NULL)
        gtk_list_box_select_row (GTK_LIST_BOX (self->candidates), row);
      return TRUE;
    }
  return FALSE;
}

static void
name_activate_cb (MediatorMail *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->candidates));

  if (row != NULL)
    mediator_mail_choose (self, gtk_list_box_row_get_index (row));
}

static void
candidate_activated_cb (GtkListBox *box, GtkListBoxRow *row, MediatorMail *self)
{
  mediator_mail_choose (self, gtk_list_box_row_get_index (row));
}

static void
count_activate_cb (MediatorMail *self)
{
  const char *kind = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo));

  gtk_spin_button_update (GTK_SPIN_BUTTON (self->count_spin));
  if (g_strcmp0 (kind, "registered") == 0)
    {
      gtk_widget_grab_focus (self->tracking_entry);
      return;
    }
  /* A parcel: where it is put, then Enter (nothing typed: noted later at
   * the hand-over). */
  if (g_strcmp0 (kind, "parcel") == 0 && self->chosen != NULL)
    {
      gtk_widget_grab_focus (self->parcel_note_entry);
      return;
    }
  mediator_mail_add (self, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->count_spin)), kind, NULL);
}

static void
parcel_note_activate_cb (MediatorMail *self)
{
  add_item (self, 1, "parcel", NULL, gtk_entry_get_text (GTK_ENTRY (self->parcel_note_entry)));
}

/* The shelf is asked for a parcel only. */
static void
kind_changed_cb (MediatorMail *self)
{
  gboolean parcel = g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo)), "parcel") == 0;

  gtk_widget_set_visible (self->parcel_note_label, parcel);
  gtk_widget_set_visible (self->parcel_note_entry, parcel);
}

static void
tracking_activate_cb (MediatorMail *self)
{
  mediator_mail_add (self, 1, "registered", gtk_entry_get_text (GTK_ENTRY (self->tracking_entry)));
}

/* Ctrl+Enter sends the batch, Ctrl+I puts the typed name aside, from
 * anywhere in the view. */
gboolean
_mediator_mail_register_key_cb (GtkWidget *widget, GdkEventKey *event, MediatorMail *self)
{
  if ((event->state & GDK_CONTROL_MASK) && (event->keyval == GDK_KEY_Return || event->keyval == GDK_KEY_KP_Enter))
    {
      mediator_mail_submit (self);
      return TRUE;
    }
  if ((event->state & GDK_CONTROL_MASK) && (event->keyval == GDK_KEY_i || event->keyval == GDK_KEY_I))
    {
      mediator_mail_add_unknown (self, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->count_spin)));
      return TRUE;
    }
  return FALSE;
}

/* ---- the day's list, for filing ---- */

typedef struct {
  MediatorMail *self; /* owned ref */
  char         *path; /* NULL: ask */
  gboolean      print;
} DayList;

static void
day_list_free (DayList *list)
{
  g_object_unref (list->self);
  g_free (list->path);
  g_free (list);
}

static void
day_list_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DayList      *list = user_data;
  MediatorMail *self = list->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autofree char *path = g_steal_pointer (&list->path);
  g_autoptr(RelaisMailDay) registered = NULL;
  const char *day;
  GPtrArray  *letters;

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      day_list_free (list);
      return;
    }
  if (reply == NULL)
    {
      set_message (self, error->message);
      day_list_free (list);
      return;
    }
  registered = relais_mail_day_from_reply (reply, &error);
  if (registered == NULL)
    {
      set_message (self, error->message);
      day_list_free (list);
      return;
    }
  day = registered->day;
  letters = registered->letters;
  if (list->print)
    {
      GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

      if (!mediator_mail_numbers_print (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, letters, day,
                                        path, &error))
        set_message (self, error->message);
      else
        set_message (self, _ ("Liste du jour envoyée à l'imprimante."));
    }
  else
    {
      if (path == NULL)
        {
          g_autofree char *name = g_strdup_printf ("courrier-%s.pdf", day);

          path = mediator_files_choose_save (GTK_WIDGET (self), _ ("Enregistrer la liste du jour"), name);
        }
      if (path != NULL && !mediator_mail_numbers_pdf (letters, day, path, &error))
        set_message (self, error->message);
      else if (path != NULL)
        {
          g_autofree char *text = g_strdup_printf (_ ("Liste du jour enregistrée : %s"), path);

          set_message (self, text);
        }
    }
  day_list_free (list);
}

static void
day_list (MediatorMail *self,
          const char   *path,
          gboolean      print)
{
  DayList *list = g_new0 (DayList, 1);

  list->self = g_object_ref (self);
  list->path = g_strdup (path);
  list->print = print;
  self->busy++;
  relais_link_request_async (self->link, "/mail/registered", NULL, self->cancellable, day_list_cb, list);
}

void
mediator_mail_save_day_list (MediatorMail *self,
                             const char   *path)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  day_list (self, path, FALSE);
}

void
mediator_mail_print_day_list (MediatorMail *self,
                              const char   *export_path)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  day_list (self, export_path, TRUE);
}

static void
save_day_list_cb (MediatorMail *self)
{
  mediator_mail_save_day_list (self, NULL);
}

static void
print_day_list_cb (MediatorMail *self)
{
  mediator_mail_print_day_list (self, NULL);
}

guint
mediator_mail_get_visible_rows (MediatorMail *self,
                                const char   *list)
{
  GtkWidget *scroller = g_str_equal (list, "batch") ? self->batch_scroller : self->done_scroller;
  GtkWidget *box = g_str_equal (list, "batch") ? self->batch_list : self->done_list;
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (box));
  int row = 0;

  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), 0);
  for (GList *l = children; l != NULL; l = l->next)
    row = MAX (row, gtk_widget_get_allocated_height (l->data));
  return row > 0 ? (guint) (gtk_widget_get_allocated_height (scroller) / row) : 0;
}

void
_mediator_mail_register_reset (MediatorMail *self)
{
  /* Registering: the name, the person chosen, a batch not sent, the
   * numbers to write. */
  gtk_entry_set_text (GTK_ENTRY (self->name_entry), "");
  clear_container (self->candidates);
  g_ptr_array_set_size (self->people, 0);
  g_ptr_array_set_size (self->batch, 0);
  clear_container (self->batch_list);
  g_object_set_data (G_OBJECT (self), "batch-key", NULL);
  clear_container (self->done_list);
  next_name (self);
}

void
_mediator_mail_register_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_key_cb);
  gtk_widget_class_bind_template_callback (widget_class, candidate_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, count_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, tracking_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, parcel_note_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "submit_clicked_cb", G_CALLBACK (mediator_mail_submit));
  gtk_widget_class_bind_template_callback (widget_class, print_day_list_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_day_list_cb);
}

void
_mediator_mail_register_init (MediatorMail *self)
{
  _mediator_mail_kinds_fill (GTK_COMBO_BOX_TEXT (self->kind_combo));
  /* A search entry calls itself "Search" to screen readers: its label's words instead. */
  atk_object_set_name (gtk_widget_get_accessible (self->name_entry), gtk_label_get_text (GTK_LABEL (self->name_label)));
  atk_object_set_name (gtk_widget_get_accessible (self->parcel_note_entry),
                       gtk_label_get_text (GTK_LABEL (self->parcel_note_label)));
  gtk_entry_set_max_length (GTK_ENTRY (self->parcel_note_entry), RELAIS_MAIL_PARCEL_NOTE_MAX);
  update_batch (self);
}

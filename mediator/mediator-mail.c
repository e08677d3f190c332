/* mediator-mail.c: the console's "Courrier" view. Registering is built
 * for the keyboard: name, Enter, count, Enter, next name; Ctrl+Enter
 * sends the batch. Homonyms are flagged in a colour nobody can miss. */

#include "mediator-mail.h"
#include "mediator-files.h"
#include "mediator-mail-numbers.h"
#include "mediator-mail-people.h"
#include "mediator-mail-templates.h"

#include <glib/gi18n.h>

struct _MediatorMail
{
  GtkBox        parent_instance;

  /* Widgets */
  GtkWidget    *tabs;
  GtkWidget    *message;
  /* register */
  GtkWidget    *name_entry;
  GtkWidget    *candidates;
  GtkWidget    *chosen_label;
  GtkWidget    *count_spin;
  GtkWidget    *kind_combo;
  GtkWidget    *tracking_entry;
  GtkWidget    *batch_list;
  GtkWidget    *submit_button;
  GtkWidget    *done_list;
  GtkWidget    *batch_scroller;
  GtkWidget    *done_scroller;
  /* hand-over */
  GtkWidget    *card_entry;
  GtkWidget    *person_label;
  GtkWidget    *recipient_combo;
  GtkWidget    *letters_box;
  GtkWidget    *hand_button;
  /* returns and failures */
  GtkWidget    *returns_list;
  GtkWidget    *failed_list;
  GtkWidget    *people_page;   /* MediatorMailPeople */
  GtkWidget    *templates_page; /* MediatorMailTemplates */
  GtkWidget    *hand_search;   /* hand-over by name */
  GtkWidget    *hand_candidates;

  /* Owned */
  RelaisLink   *link;
  GCancellable *cancellable;
  GPtrArray    *people;        /* JsonObject*: the candidates shown */
  GPtrArray    *hand_people;   /* JsonObject*: hand-over's candidates by name */
  JsonObject   *chosen;        /* the person being registered */
  GPtrArray    *batch;         /* JsonObject*: items and unknown names */
  JsonObject   *record;        /* hand-over: the person's record */
  char         *after_lookup;  /* the message to show once the record is back */
  char         *hand_query;    /* the name last looked for on the hand-over tab */
  guint         search_seq;    /* replies to older searches are dropped */
  guint         busy;
};

G_DEFINE_FINAL_TYPE (MediatorMail, mediator_mail, GTK_TYPE_BOX)

static void count_activate_cb (MediatorMail *self);

static const struct { const char *id; const char *label; } kinds[] = {
  { "ordinary", N_("ordinaire") },
  { "registered", N_("recommandé") },
  { "court", N_("tribunal") },
  { "social", N_("CAF, CPAM, France Travail") },
  { "tax", N_("impôts") },
  { "other", N_("autre") },
};

static const char *
kind_label (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i].id) == 0)
      return _(kinds[i].label);
  return kind;
}

static void
set_message (MediatorMail *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
}

static void
clear_container (GtkWidget *container)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (container));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

static const char *
member (JsonObject *o, const char *name)
{
  JsonNode *node = o != NULL ? json_object_get_member (o, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
person_name (JsonObject *p)
{
  g_autofree char *surname = g_utf8_strup (member (p, "surname") != NULL ? member (p, "surname") : "", -1);
  return g_strdup_printf ("%s %s", surname, member (p, "first_names") != NULL ? member (p, "first_names") : "");
}

/* French date from YYYY-MM-DD. */
static char *
date_fr (const char *iso)
{
  if (iso == NULL || strlen (iso) != 10)
    return g_strdup (iso != NULL ? iso : "?");
  return g_strdup_printf ("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* ---- calls ---- */

typedef void (*Done) (MediatorMail *self, JsonObject *reply, GError *error);

typedef struct {
  MediatorMail *self;   /* owned ref */
  Done          done;
  guint         seq;
} CallData;

static void
call_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CallData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  MediatorMail *self = data->self;

  self->busy--;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && (data->seq == 0 || data->seq == self->search_seq))
    data->done (self, reply, error);
  g_object_unref (self);
  g_free (data);
}

static void
call (MediatorMail *self, const char *path, JsonNode *body, Done done, guint seq)
{
  CallData *data = g_new0 (CallData, 1);

  data->self = g_object_ref (self);
  data->done = done;
  data->seq = seq;
  self->busy++;
  relais_link_request_async (self->link, path, body, self->cancellable, call_cb, data);
}

/* ---- registering ---- */

/* The warning is our own markup; the rest is escaped. */
static char *
candidate_markup (JsonObject *p)
{
  g_autofree char *name = person_name (p);
  g_autofree char *born = date_fr (member (p, "birth_date"));
  g_autofree char *base = g_markup_printf_escaped ("<b>%s</b>   n° <b>%s</b>   né(e) le %s", name,
                                                   member (p, "number"), born);
  gint64 homonyms = json_object_get_int_member_with_default (p, "homonyms", 0);
  gint64 near = json_object_get_int_member_with_default (p, "near_homonyms", 0);
  gint64 waiting = json_object_get_int_member_with_default (p, "waiting", 0);
  g_autofree char *waiting_text = waiting > 0 ? g_strdup_printf (_("   (%d en attente)"), (int) waiting) : g_strdup ("");
  g_autofree char *warning = NULL;

  if (homonyms > 0)
    warning = g_strdup_printf (_("   <span background='#b00020' foreground='#ffffff' weight='bold'> ⚠ HOMONYME (%d) : vérifiez la date de naissance </span>"),
                               (int) homonyms);
  else if (near > 0)
    warning = g_strdup_printf (_("   <span background='#f0a000' foreground='#000000' weight='bold'> ⚠ nom proche (%d) : vérifiez </span>"),
                               (int) near);
  return g_strconcat (base, waiting_text,
                      json_object_get_boolean_member_with_default (p, "approximate", FALSE) ? _("   <i>orthographe proche</i>") : "",
                      warning != NULL ? warning : "", NULL);
}

static void
search_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  JsonArray *people;

  clear_container (self->candidates);
  g_ptr_array_set_size (self->people, 0);
  if (reply == NULL)
    {
      set_message (self, error->message);
      return;
    }
  set_message (self, NULL);
  people = json_object_get_array_member (reply, "people");
  for (guint i = 0; people != NULL && i < json_array_get_length (people); i++)
    {
      JsonObject *p = json_array_get_object_element (people, i);
      GtkWidget *label = gtk_label_new (NULL);
      g_autofree char *markup = candidate_markup (p);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      /* Wrapped, not cut: the homonym warning ends the line. */
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      g_object_set (label, "margin", 6, NULL);
      gtk_container_add (GTK_CONTAINER (self->candidates), label);
      g_ptr_array_add (self->people, json_object_ref (p));
    }
  if (self->people->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("Aucune personne domiciliée ici ne porte ce nom. Vérifiez l'orthographe ; "
                                          "si le nom est bien celui de l'enveloppe, Ctrl+I met ce courrier de côté, "
                                          "à renvoyer (« non domicilié ici »)."));

      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set (label, "margin", 6, NULL);
      gtk_container_add (GTK_CONTAINER (self->candidates), label);
    }
  gtk_widget_show_all (self->candidates);
  if (self->people->len > 0)
    gtk_list_box_select_row (GTK_LIST_BOX (self->candidates),
                             gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->candidates), 0));
}

static void
name_changed_cb (MediatorMail *self)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->name_entry));
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  self->search_seq++;
  if (*trimmed == '\0')
    {
      clear_container (self->candidates);
      g_ptr_array_set_size (self->people, 0);
      return;
    }
  escaped = g_uri_escape_string (text, NULL, FALSE);
  path = g_strdup_printf ("/mail/search?q=%s&limit=12", escaped);
  call (self, path, NULL, search_done, self->search_seq);
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
  g_clear_pointer (&self->chosen, json_object_unref);
  self->chosen = json_object_ref (g_ptr_array_index (self->people, index));
  name = person_name (self->chosen);
  text = g_strdup_printf (_("%s — n° %s : combien de lettres ?"), name, member (self->chosen, "number"));
  gtk_label_set_text (GTK_LABEL (self->chosen_label), text);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), 1);
  gtk_widget_grab_focus (self->count_spin);
}

static void
update_batch (MediatorMail *self)
{
  g_autofree char *label = g_strdup_printf (_("_Enregistrer le lot (%u) — Ctrl+Entrée"), self->batch->len);

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
  g_clear_pointer (&self->chosen, json_object_unref);
  gtk_label_set_text (GTK_LABEL (self->chosen_label), _("Tapez le début du nom, puis Entrée."));
  gtk_entry_set_text (GTK_ENTRY (self->name_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->tracking_entry), "");
  /* Each name starts afresh: one ordinary letter, the common case; the
   * last person's count or kind must not go to the next. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->count_spin), 1);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo), "ordinary");
  gtk_widget_grab_focus (self->name_entry);
  update_batch (self);
}

void
mediator_mail_add (MediatorMail *self, int count, const char *kind, const char *tracking)
{
  JsonObject *item;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  if (self->chosen == NULL)
    {
      set_message (self, _("Choisissez d'abord une personne dans la liste."));
      return;
    }
  if (g_strcmp0 (kind, "registered") == 0 && (tracking == NULL || *tracking == '\0'))
    {
      set_message (self, _("Recommandé : tapez son numéro de suivi, puis Entrée."));
      gtk_widget_grab_focus (self->tracking_entry);
      return;
    }
  item = json_object_new ();
  json_object_set_string_member (item, "number", member (self->chosen, "number"));
  json_object_set_string_member (item, "kind", kind);
  json_object_set_int_member (item, "count", g_strcmp0 (kind, "registered") == 0 ? 1 : count);
  if (tracking != NULL && *tracking != '\0')
    json_object_set_string_member (item, "tracking", tracking);
  g_ptr_array_add (self->batch, item);
  name = person_name (self->chosen);
  text = g_strdup_printf (_("%s (n° %s) — %d × %s%s%s"), name, member (self->chosen, "number"),
                          (int) json_object_get_int_member (item, "count"), kind_label (kind),
                          tracking != NULL && *tracking != '\0' ? " " : "", tracking != NULL ? tracking : "");
  batch_add_row (self, text);
  set_message (self, NULL);
  next_name (self);
}

void
mediator_mail_add_unknown (MediatorMail *self, int count)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry))));
  g_autofree char *text = NULL;
  JsonObject *item;

  if (*name == '\0')
    {
      set_message (self, _("Tapez le nom écrit sur l'enveloppe, puis Ctrl+I."));
      return;
    }
  item = json_object_new ();
  json_object_set_string_member (item, "name", name);
  json_object_set_int_member (item, "count", MAX (1, count));
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
  JsonArray *letters;
  g_autoptr(GHashTable) per_person = NULL;
  g_autoptr(GPtrArray) order = NULL;

  gtk_widget_set_sensitive (self->submit_button, TRUE);
  if (reply == NULL)
    {
      /* Nothing is lost: the batch stays on screen to send again. */
      g_autofree char *text = g_strdup_printf (_("Lot non enregistré : %s"), error->message);
      set_message (self, text);
      return;
    }
  letters = json_object_get_array_member (reply, "letters");
  per_person = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  order = g_ptr_array_new ();
  clear_container (self->done_list);
  for (guint i = 0; letters != NULL && i < json_array_get_length (letters); i++)
    {
      JsonObject *l = json_array_get_object_element (letters, i);
      const char *number = member (l, "number");
      GString *line = g_hash_table_lookup (per_person, number);

      if (line == NULL)
        {
          g_autofree char *head = NULL;

          /* The label is markup: a name like "O'Brien <Jo>" must stay text. */
          line = g_string_new (NULL);
          head = g_markup_printf_escaped (_("n° %s  %s : courriers n° "), number, member (l, "person"));
          g_string_append (line, head);
          g_hash_table_insert (per_person, g_strdup (number), line);
          g_ptr_array_add (order, line);
        }
      else
        g_string_append (line, ", ");
      g_string_append_printf (line, "<b>%" G_GINT64_FORMAT "</b>", json_object_get_int_member (l, "id"));
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
    guint n = letters != NULL ? json_array_get_length (letters) : 0;
    g_autofree char *text = g_strdup_printf (ngettext ("Lot enregistré : %u courrier. Écrivez son numéro dessus ; la personne est prévenue.",
                                                       "Lot enregistré : %u courriers. Écrivez leur numéro sur chacun ; les personnes sont prévenues.",
                                                       n),
                                             n);
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
    if (json_object_has_member (g_ptr_array_index (self->batch, i), "number"))
      json_builder_add_value (b, json_node_init_object (json_node_alloc (), g_ptr_array_index (self->batch, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unknown");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->batch->len; i++)
    if (json_object_has_member (g_ptr_array_index (self->batch, i), "name"))
      json_builder_add_value (b, json_node_init_object (json_node_alloc (), g_ptr_array_index (self->batch, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  gtk_widget_set_sensitive (self->submit_button, FALSE);
  call (self, "/mail/batch", json_builder_get_root (b), submit_done, 0);
}

static gboolean
name_key_cb (GtkWidget *entry, GdkEventKey *event, MediatorMail *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->candidates));
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

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
  mediator_mail_add (self, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->count_spin)), kind, NULL);
}

static void
tracking_activate_cb (MediatorMail *self)
{
  mediator_mail_add (self, 1, "registered", gtk_entry_get_text (GTK_ENTRY (self->tracking_entry)));
}

static gboolean
view_key_cb (GtkWidget *widget, GdkEventKey *event, MediatorMail *self)
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
  MediatorMail *self;          /* owned ref */
  char         *path;          /* NULL: ask */
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
  DayList *list = user_data;
  MediatorMail *self = list->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autofree char *path = g_steal_pointer (&list->path);
  const char *day;
  JsonArray *letters;

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
  day = json_object_get_string_member_with_default (reply, "day", "");
  letters = json_object_get_array_member (reply, "letters");
  if (list->print)
    {
      GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

      if (!mediator_mail_numbers_print (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, letters, day,
                                        path, &error))
        set_message (self, error->message);
      else
        set_message (self, _("Liste du jour envoyée à l'imprimante."));
    }
  else
    {
      if (path == NULL)
        {
          g_autofree char *name = g_strdup_printf ("courrier-%s.pdf", day);

          path = mediator_files_choose_save (GTK_WIDGET (self), _("Enregistrer la liste du jour"), name);
        }
      if (path != NULL && !mediator_mail_numbers_pdf (letters, day, path, &error))
        set_message (self, error->message);
      else if (path != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Liste du jour enregistrée : %s"), path);

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
                                               json_object_get_int_member (l, "id"), kind_label (member (l, "kind")),
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
  call (self, path, NULL, lookup_done, 0);
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
      g_autofree char *markup = candidate_markup (p);

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
  call (self, path, NULL, hand_search_done, self->search_seq);
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
  call (self, path, json_builder_get_root (b), handed_done, 0);
}

/* ---- returns and failed messages ---- */

static void refresh_lists (MediatorMail *self);

static void
confirmed_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  set_message (self, reply != NULL ? _("Renvoi à l'expéditeur enregistré.") : error->message);
  refresh_lists (self);
}

static void
confirm_clicked_cb (GtkButton *button, MediatorMail *self)
{
  g_autofree char *path = g_strdup_printf ("/mail/returns/%d/confirm",
                                           GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "letter-id")));

  call (self, path, json_from_string ("{}", NULL), confirmed_done, 0);
}

static void
returns_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  JsonArray *letters, *unknown;

  clear_container (self->returns_list);
  if (reply == NULL)
    return;
  letters = json_object_get_array_member (reply, "letters");
  unknown = json_object_get_array_member (reply, "unknown");
  for (guint i = 0; i < json_array_get_length (letters); i++)
    {
      JsonObject *l = json_array_get_object_element (letters, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      g_autofree char *text = g_strdup_printf (_("n° %" G_GINT64_FORMAT " — %s (n° %s) — %s%s%s — %s"),
                                               json_object_get_int_member (l, "id"), member (l, "person"), member (l, "number"),
                                               kind_label (member (l, "kind")), member (l, "sender") != NULL ? " — " : "",
                                               member (l, "sender") != NULL ? member (l, "sender") : "",
                                               member (l, "return_reason") != NULL ? member (l, "return_reason") : "");
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *button = gtk_button_new_with_label (_("Renvoyé à l'expéditeur"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set_data (G_OBJECT (button), "letter-id", GINT_TO_POINTER ((int) json_object_get_int_member (l, "id")));
      g_signal_connect (button, "clicked", G_CALLBACK (confirm_clicked_cb), self);
      gtk_box_pack_start (GTK_BOX (box), label, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
      g_object_set (box, "margin", 4, NULL);
      gtk_container_add (GTK_CONTAINER (self->returns_list), box);
    }
  for (guint i = 0; i < json_array_get_length (unknown); i++)
    {
      JsonObject *u = json_array_get_object_element (unknown, i);
      int count = (int) json_object_get_int_member (u, "count");
      g_autofree char *text = g_strdup_printf (ngettext ("« %s » — non domicilié ici — %d lettre à renvoyer",
                                                         "« %s » — non domicilié ici — %d lettres à renvoyer", count),
                                               member (u, "name"), count);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      g_object_set (label, "margin", 4, NULL);
      gtk_container_add (GTK_CONTAINER (self->returns_list), label);
    }
  if (json_array_get_length (letters) + json_array_get_length (unknown) == 0)
    gtk_container_add (GTK_CONTAINER (self->returns_list), gtk_label_new (_("Rien à renvoyer.")));
  gtk_widget_show_all (self->returns_list);
}

static void
failed_done (MediatorMail *self, JsonObject *reply, GError *error)
{
  JsonArray *notices;

  clear_container (self->failed_list);
  if (reply == NULL)
    return;
  notices = json_object_get_array_member (reply, "notices");
  for (guint i = 0; i < json_array_get_length (notices); i++)
    {
      JsonObject *n = json_array_get_object_element (notices, i);
      gboolean failed = g_strcmp0 (member (n, "status"), "failed") == 0;
      int attempts = (int) json_object_get_int_member (n, "attempts");
      g_autofree char *text = g_markup_printf_escaped (ngettext ("n° %s — %s %s — %s après %d essai — <i>%s</i>",
                                                                 "n° %s — %s %s — %s après %d essais — <i>%s</i>", attempts),
                                                       member (n, "number"), g_strcmp0 (member (n, "channel"), "sms") == 0 ? "SMS" : "e-mail",
                                                       member (n, "recipient"), failed ? _("<b>ÉCHEC</b>") : _("nouvel essai prévu"),
                                                       attempts,
                                                       member (n, "last_error") != NULL ? member (n, "last_error") : "");
      GtkWidget *label = gtk_label_new (NULL);

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
  if (json_array_get_length (notices) == 0)
    gtk_container_add (GTK_CONTAINER (self->failed_list), gtk_label_new (_("Tous les messages sont partis.")));
  gtk_widget_show_all (self->failed_list);
}

static void
refresh_lists (MediatorMail *self)
{
  if (!relais_link_has_session (self->link))
    return;
  call (self, "/mail/returns", NULL, returns_done, 0);
  call (self, "/mail/notices/failed", NULL, failed_done, 0);
  mediator_mail_people_refresh (MEDIATOR_MAIL_PEOPLE (self->people_page));
}

static void
stream_cb (RelaisLink *link, const char *name, JsonObject *data, MediatorMail *self)
{
  refresh_lists (self);
}

static void
tab_changed_cb (MediatorMail *self)
{
  refresh_lists (self);
  /* Only when shown: a refresh puts the hub's text back in the editor. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->tabs)), "messages") == 0)
    mediator_mail_templates_refresh (MEDIATOR_MAIL_TEMPLATES (self->templates_page));
}

void
mediator_mail_show (MediatorMail *self, const char *tab)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->tabs), tab);
  if (g_str_equal (tab, "register"))
    gtk_widget_grab_focus (self->name_entry);
  else if (g_str_equal (tab, "hand-over"))
    gtk_widget_grab_focus (self->card_entry);
}

void
mediator_mail_reset (MediatorMail *self)
{
  g_return_if_fail (MEDIATOR_IS_MAIL (self));

  /* The last mediator's calls answer into nothing. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->search_seq++;

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

  /* Handing over: the card, the search, the person and their letters. */
  gtk_entry_set_text (GTK_ENTRY (self->card_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->hand_search), "");
  clear_container (self->hand_candidates);
  g_ptr_array_set_size (self->hand_people, 0);
  g_clear_pointer (&self->hand_query, g_free);
  forget_record (self);

  clear_container (self->returns_list);
  clear_container (self->failed_list);
  mediator_mail_people_reset (MEDIATOR_MAIL_PEOPLE (self->people_page));
  mediator_mail_templates_reset (MEDIATOR_MAIL_TEMPLATES (self->templates_page));
  set_message (self, NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->tabs), "register");
}

const char *
mediator_mail_get_message (MediatorMail *self)
{
  return gtk_label_get_text (GTK_LABEL (self->message));
}

gboolean
mediator_mail_is_busy (MediatorMail *self)
{
  return self->busy > 0;
}

/* ---- construction ---- */

static GtkWidget *
scrolled (GtkWidget *child, int min_height)
{
  GtkWidget *scroller = gtk_scrolled_window_new (NULL, NULL);

  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), min_height);
  gtk_container_add (GTK_CONTAINER (scroller), child);
  return scroller;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (NULL);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", text);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

static GtkWidget *
build_register (MediatorMail *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *count_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name_label = gtk_label_new_with_mnemonic (_("_Nom :"));
  GtkWidget *kind_label_w = gtk_label_new_with_mnemonic (_("_Sorte :"));
  GtkWidget *tracking_label = gtk_label_new_with_mnemonic (_("N° de s_uivi :"));
  GtkWidget *count_label = gtk_label_new_with_mnemonic (_("_Lettres :"));

  self->name_entry = gtk_search_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->name_entry), _("début du nom ou du prénom, sans accents si vous voulez"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (name_label), self->name_entry);
  /* A search entry calls itself "Search" to screen readers: its label's words instead. */
  atk_object_set_name (gtk_widget_get_accessible (self->name_entry), gtk_label_get_text (GTK_LABEL (name_label)));
  g_signal_connect_swapped (self->name_entry, "search-changed", G_CALLBACK (name_changed_cb), self);
  g_signal_connect_swapped (self->name_entry, "activate", G_CALLBACK (name_activate_cb), self);
  g_signal_connect (self->name_entry, "key-press-event", G_CALLBACK (name_key_cb), self);
  gtk_box_pack_start (GTK_BOX (line), name_label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (line), self->name_entry, TRUE, TRUE, 0);

  self->candidates = gtk_list_box_new ();
  g_signal_connect (self->candidates, "row-activated", G_CALLBACK (candidate_activated_cb), self);

  self->chosen_label = gtk_label_new (_("Tapez le début du nom, puis Entrée."));
  gtk_label_set_xalign (GTK_LABEL (self->chosen_label), 0);
  self->count_spin = gtk_spin_button_new_with_range (1, 50, 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (count_label), self->count_spin);
  g_signal_connect_swapped (self->count_spin, "activate", G_CALLBACK (count_activate_cb), self);
  self->kind_combo = gtk_combo_box_text_new ();
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->kind_combo), kinds[i].id, _(kinds[i].label));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->kind_combo), "ordinary");
  gtk_label_set_mnemonic_widget (GTK_LABEL (kind_label_w), self->kind_combo);
  self->tracking_entry = gtk_entry_new ();
  gtk_entry_set_width_chars (GTK_ENTRY (self->tracking_entry), 16);
  gtk_label_set_mnemonic_widget (GTK_LABEL (tracking_label), self->tracking_entry);
  g_signal_connect_swapped (self->tracking_entry, "activate", G_CALLBACK (tracking_activate_cb), self);
  gtk_box_pack_start (GTK_BOX (count_line), count_label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (count_line), self->count_spin, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (count_line), kind_label_w, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (count_line), self->kind_combo, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (count_line), tracking_label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (count_line), self->tracking_entry, FALSE, FALSE, 0);

  self->batch_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->batch_list), GTK_SELECTION_NONE);
  self->submit_button = gtk_button_new_with_mnemonic ("");
  gtk_style_context_add_class (gtk_widget_get_style_context (self->submit_button), "suggested-action");
  gtk_widget_set_halign (self->submit_button, GTK_ALIGN_END);
  g_signal_connect_swapped (self->submit_button, "clicked", G_CALLBACK (mediator_mail_submit), self);
  self->done_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  /* The batch and the numbers side by side, each as tall as the window
   * allows and scrolling beyond: a morning's batch has dozens of lines. */
  {
    GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
    GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
    GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
    GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
    GtkWidget *print = gtk_button_new_with_mnemonic (_("_Imprimer la liste du jour…"));
    GtkWidget *save = gtk_button_new_with_mnemonic (_("Liste du jour en _PDF…"));

    gtk_widget_set_tooltip_text (print, _("Tous les courriers du jour, par numéro d'usager, pour les ranger dans l'armoire"));
    g_signal_connect_swapped (print, "clicked", G_CALLBACK (print_day_list_cb), self);
    g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_day_list_cb), self);
    self->batch_scroller = scrolled (self->batch_list, 160);
    self->done_scroller = scrolled (self->done_list, 160);
    gtk_box_pack_start (GTK_BOX (left), heading (_("Lot en cours (Ctrl+I : nom inconnu ici)")), FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (left), self->batch_scroller, TRUE, TRUE, 0);
    gtk_box_pack_start (GTK_BOX (left), self->submit_button, FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (right), heading (_("Numéros à écrire sur les courriers")), FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (right), self->done_scroller, TRUE, TRUE, 0);
    gtk_box_pack_end (GTK_BOX (buttons), print, FALSE, FALSE, 0);
    gtk_box_pack_end (GTK_BOX (buttons), save, FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (right), buttons, FALSE, FALSE, 0);
    gtk_box_set_homogeneous (GTK_BOX (columns), TRUE);
    gtk_box_pack_start (GTK_BOX (columns), left, TRUE, TRUE, 0);
    gtk_box_pack_start (GTK_BOX (columns), right, TRUE, TRUE, 0);

    gtk_box_pack_start (GTK_BOX (box), line, FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (box), scrolled (self->candidates, 110), TRUE, TRUE, 0);
    gtk_box_pack_start (GTK_BOX (box), self->chosen_label, FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (box), count_line, FALSE, FALSE, 0);
    gtk_box_pack_start (GTK_BOX (box), columns, TRUE, TRUE, 0);
  }
  update_batch (self);
  return box;
}

static GtkWidget *
build_hand_over (MediatorMail *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Carte ou n° d'usager :"));

  self->card_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->card_entry), _("passez la carte ou tapez le numéro, puis Entrée"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->card_entry);
  g_signal_connect_swapped (self->card_entry, "activate", G_CALLBACK (card_activate_cb), self);
  gtk_box_pack_start (GTK_BOX (line), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (line), self->card_entry, TRUE, TRUE, 0);
  label = gtk_label_new_with_mnemonic (_("ou son _nom :"));
  self->hand_search = gtk_search_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->hand_search), _("sans carte : début du nom, puis Entrée"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->hand_search);
  atk_object_set_name (gtk_widget_get_accessible (self->hand_search), gtk_label_get_text (GTK_LABEL (label)));
  g_signal_connect_swapped (self->hand_search, "search-changed", G_CALLBACK (hand_search_changed_cb), self);
  g_signal_connect_swapped (self->hand_search, "activate", G_CALLBACK (hand_search_activate_cb), self);
  gtk_box_pack_start (GTK_BOX (line), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (line), self->hand_search, TRUE, TRUE, 0);
  self->hand_candidates = gtk_list_box_new ();
  g_signal_connect (self->hand_candidates, "row-activated", G_CALLBACK (hand_candidate_activated_cb), self);
  self->person_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->person_label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->person_label), TRUE);
  self->recipient_combo = gtk_combo_box_text_new ();
  /* Empty until a person is chosen: its own name for screen readers. */
  atk_object_set_name (gtk_widget_get_accessible (self->recipient_combo), _("Remis à"));
  /* A proxy's long name is cut in the closed choice, not the window
   * widened for it. */
  {
    g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (self->recipient_combo));

    for (GList *l = cells; l != NULL; l = l->next)
      g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", 40, NULL);
  }
  self->letters_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  self->hand_button = gtk_button_new_with_mnemonic (_("_Remettre les courriers cochés"));
  gtk_style_context_add_class (gtk_widget_get_style_context (self->hand_button), "suggested-action");
  gtk_widget_set_halign (self->hand_button, GTK_ALIGN_END);
  gtk_widget_set_sensitive (self->hand_button, FALSE);
  g_signal_connect_swapped (self->hand_button, "clicked", G_CALLBACK (mediator_mail_hand_over), self);
  gtk_box_pack_start (GTK_BOX (box), line, FALSE, FALSE, 0);
  {
    GtkWidget *scroller = scrolled (self->hand_candidates, 90);

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
    gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 200);
    gtk_box_pack_start (GTK_BOX (box), scroller, FALSE, FALSE, 0);
  }
  gtk_box_pack_start (GTK_BOX (box), self->person_label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->recipient_combo, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), scrolled (self->letters_box, 200), TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), self->hand_button, FALSE, FALSE, 0);
  return box;
}

static void
mediator_mail_dispose (GObject *object)
{
  MediatorMail *self = MEDIATOR_MAIL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->link != NULL)
    g_signal_handlers_disconnect_by_data (self->link, self);
  g_clear_object (&self->link);
  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->hand_people, g_ptr_array_unref);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, json_object_unref);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->after_lookup, g_free);
  g_clear_pointer (&self->hand_query, g_free);
  G_OBJECT_CLASS (mediator_mail_parent_class)->dispose (object);
}

static void
mediator_mail_finalize (GObject *object)
{
  g_clear_object (&MEDIATOR_MAIL (object)->cancellable);
  G_OBJECT_CLASS (mediator_mail_parent_class)->finalize (object);
}

static void
mediator_mail_class_init (MediatorMailClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mediator_mail_dispose;
  G_OBJECT_CLASS (klass)->finalize = mediator_mail_finalize;
}

static void
mediator_mail_init (MediatorMail *self)
{
  self->cancellable = g_cancellable_new ();
  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->hand_people = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

GtkWidget *
mediator_mail_new (RelaisLink *link)
{
  MediatorMail *self = g_object_new (MEDIATOR_TYPE_MAIL,
                                     "orientation", GTK_ORIENTATION_VERTICAL,
                                     "spacing", 8,
                                     "margin", 18,
                                     NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *switcher = gtk_stack_switcher_new ();

  self->link = g_object_ref (link);
  gtk_label_set_markup (GTK_LABEL (title), _("<span size='x-large' weight='bold'>Courrier des personnes domiciliées</span>"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_line_wrap (GTK_LABEL (self->message), TRUE);
  self->tabs = gtk_stack_new ();
  self->returns_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  self->failed_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_stack_add_titled (GTK_STACK (self->tabs), build_register (self), "register", _("Enregistrer"));
  gtk_stack_add_titled (GTK_STACK (self->tabs), build_hand_over (self), "hand-over", _("Remettre"));
  self->people_page = mediator_mail_people_new (link);
  gtk_stack_add_titled (GTK_STACK (self->tabs), self->people_page, "people", _("Personnes"));
  gtk_stack_add_titled (GTK_STACK (self->tabs), scrolled (self->returns_list, 200), "returns", _("Retours à l'expéditeur"));
  gtk_stack_add_titled (GTK_STACK (self->tabs), scrolled (self->failed_list, 200), "failed", _("Messages non partis"));
  self->templates_page = mediator_mail_templates_new (link);
  gtk_stack_add_titled (GTK_STACK (self->tabs), self->templates_page, "messages", _("Textes des messages"));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (self->tabs));
  gtk_widget_set_halign (switcher, GTK_ALIGN_START);
  g_signal_connect_swapped (self->tabs, "notify::visible-child", G_CALLBACK (tab_changed_cb), self);
  g_signal_connect (self, "key-press-event", G_CALLBACK (view_key_cb), self);

  gtk_box_pack_start (GTK_BOX (self), title, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), switcher, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), self->message, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), self->tabs, TRUE, TRUE, 0);
  g_signal_connect (link, "stream-event::mail-changed", G_CALLBACK (stream_cb), self);
  g_signal_connect (link, "stream-event::mail-notices", G_CALLBACK (stream_cb), self);
  gtk_widget_show_all (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

GtkWidget *
mediator_mail_get_templates (MediatorMail *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), NULL);
  return self->templates_page;
}

GtkWidget *
mediator_mail_get_people (MediatorMail *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL (self), NULL);
  return self->people_page;
}

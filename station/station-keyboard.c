/* station-keyboard.c: an on-screen keyboard in the session's language and
 * script, for the few fields that take words (assets/ui/station-keyboard.ui:
 * the last row; the letters' rows are made here from the layouts). */

#include "station-keyboard.h"

#include <glib/gi18n.h>
#include <string.h>

/* Keys separated by spaces, row by row. Each language's keyboard is the
 * one its speakers know (AZERTY for French, Q for Turkish, the PC Arabic
 * layout), plus a row of the letters with accents it needs. */
typedef struct {
  const char *language;
  const char *rows[5];
  gboolean    cased; /* has capital letters (Arabic has none) */
  gboolean    latin; /* written in Latin letters */
} Layout;

#define DIGITS "1 2 3 4 5 6 7 8 9 0"

static const Layout layouts[] = {
  { "fr", { DIGITS, "a z e r t y u i o p", "q s d f g h j k l m", "w x c v b n ' -", "é è ê à ç ù â î ô û ë ï" }, TRUE, TRUE },
  { "en", { DIGITS, "q w e r t y u i o p", "a s d f g h j k l", "z x c v b n m ' -", NULL }, TRUE, TRUE },
  { "es", { DIGITS, "q w e r t y u i o p", "a s d f g h j k l ñ", "z x c v b n m ' -", "á é í ó ú ü" }, TRUE, TRUE },
  { "pt", { DIGITS, "q w e r t y u i o p", "a s d f g h j k l ç", "z x c v b n m ' -", "á à â ã é ê í ó ô õ ú" }, TRUE, TRUE },
  { "ro", { DIGITS, "q w e r t y u i o p", "a s d f g h j k l", "z x c v b n m ' -", "ă â î ș ț" }, TRUE, TRUE },
  { "tr", { DIGITS, "q w e r t y u ı o p ğ ü", "a s d f g h j k l ş i", "z x c v b n m ö ç ' -", NULL }, TRUE, TRUE },
  { "ar", { DIGITS, "ض ص ث ق ف غ ع ه خ ح ج د", "ش س ي ب ل ا ت ن م ك ط", "ئ ء ؤ ر لا ى ة و ز ظ ذ", "أ إ آ" }, FALSE, FALSE },
};

struct _StationKeyboard {
  GtkBox        parent_instance;

  /* Template widgets */
  GtkWidget    *rows; /* the letters, rebuilt on shift and script */
  GtkWidget    *bottom;
  GtkWidget    *shift_key;
  GtkWidget    *script_key; /* NULL for a language written in Latin letters */

  char         *language;

  /* Borrowed */
  const Layout *layout; /* the language's */
  const Layout *shown;  /* the language's, or the Latin one */
  const Layout *built;  /* the one whose keys are in rows */
  GtkEntry     *entry;  /* weak */

  gboolean      shift;      /* the next letter is a capital */
  gboolean      capitalize; /* a capital to begin with, as on a phone */
};

enum {
  SIGNAL_DONE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_LANGUAGE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (StationKeyboard, station_keyboard, GTK_TYPE_BOX)

static const Layout *
layout_for (const char *language)
{
  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    if (g_strcmp0 (layouts[i].language, language) == 0)
      return &layouts[i];
  return &layouts[1];
}

/* A capital, Turkish dotted and dotless i included. */
static char *
capital (const Layout *layout,
         const char   *key)
{
  if (g_str_equal (layout->language, "tr") && g_str_equal (key, "i"))
    return g_strdup ("İ");
  if (g_str_equal (layout->language, "tr") && g_str_equal (key, "ı"))
    return g_strdup ("I");
  return g_utf8_strup (key, -1);
}

static char *
key_text (StationKeyboard *self,
          const char      *key)
{
  return self->shift && self->shown->cased ? capital (self->shown, key) : g_strdup (key);
}

static void
type_text (StationKeyboard *self,
           const char      *text)
{
  const char      *current;
  int              max;
  g_autofree char *longer = NULL;

  if (self->entry == NULL)
    return;
  current = gtk_entry_get_text (self->entry);
  max = gtk_entry_get_max_length (self->entry);
  if (max > 0 && g_utf8_strlen (current, -1) + g_utf8_strlen (text, -1) > max)
    return;
  longer = g_strconcat (current, text, NULL);
  gtk_entry_set_text (self->entry, longer);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

static void rebuild (StationKeyboard *self);

/* An empty field begins with a capital, when the keyboard is for names. */
static void
capital_first (StationKeyboard *self)
{
  gboolean empty = self->entry != NULL && *gtk_entry_get_text (self->entry) == '\0';

  if (self->capitalize && self->shown->cased && empty && !self->shift)
    {
      self->shift = TRUE;
      rebuild (self);
    }
}

void
station_keyboard_set_capitalize (StationKeyboard *self,
                                 gboolean         capitalize)
{
  g_return_if_fail (STATION_IS_KEYBOARD (self));

  self->capitalize = capitalize;
  capital_first (self);
}

void
station_keyboard_press (StationKeyboard *self,
                        const char      *key)
{
  g_return_if_fail (STATION_IS_KEYBOARD (self));
  g_return_if_fail (key != NULL);

  if (g_str_equal (key, "done"))
    g_signal_emit (self, signals[SIGNAL_DONE], 0);
  else if (g_str_equal (key, "shift"))
    {
      self->shift = !self->shift;
      rebuild (self);
    }
  else if (g_str_equal (key, "script"))
    station_keyboard_show_latin (self, self->shown == self->layout);
  else if (g_str_equal (key, "space"))
    type_text (self, " ");
  else if (g_str_equal (key, "back"))
    {
      const char *current;
      const char *last;

      if (self->entry == NULL)
        return;
      current = gtk_entry_get_text (self->entry);
      last = g_utf8_find_prev_char (current, current + strlen (current));
      if (last != NULL)
        {
          g_autofree char *shorter = g_strndup (current, last - current);

          gtk_entry_set_text (self->entry, shorter);
          gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
        }
      capital_first (self);
    }
  else
    {
      g_autofree char *text = key_text (self, key);

      type_text (self, text);
      /* A capital for one letter, as on a phone. */
      if (self->shift)
        {
          self->shift = FALSE;
          rebuild (self);
        }
    }
}

/* "keyboard.press": a key touched, its key as the target. */
static void
press_activate_cb (GSimpleAction *action,
                   GVariant      *target,
                   gpointer       self)
{
  /* Pressing may build the keys again (Latin ↔ Arabic), this one too. */
  g_autofree char *key = g_variant_dup_string (target, NULL);

  station_keyboard_press (self, key);
}

/* A letter's key (typing @key), as the template's keys are made. */
static GtkWidget *
key_new (const char *key)
{
  GtkWidget *button = gtk_button_new_with_label (key);

  /* The focus stays in the field the keys type into. */
  gtk_widget_set_can_focus (button, FALSE);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-key");
  atk_object_set_name (gtk_widget_get_accessible (button), key);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keyboard.press");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (key));
  return button;
}

/* What a letter's key types, small. */
static const char *
key_of (GtkWidget *button)
{
  return g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL);
}

/* The letters' keys for the layout shown; built again only when the
 * layout changes, so that a key a screen reader found stays the same
 * widget when shift changes what it types. */
static void
build_rows (StationKeyboard *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->rows));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint r = 0; r < G_N_ELEMENTS (self->shown->rows) && self->shown->rows[r] != NULL; r++)
    {
      g_auto(GStrv) keys = g_strsplit (self->shown->rows[r], " ", -1);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      /* As on a real keyboard whatever the reading direction: ض on the
       * left of an Arabic one. A box takes the default direction (right
       * to left on an Arabic screen), not its parent's. */
      gtk_widget_set_direction (row, GTK_TEXT_DIR_LTR);
      gtk_widget_set_halign (row, GTK_ALIGN_CENTER);
      for (guint k = 0; keys[k] != NULL; k++)
        gtk_box_pack_start (GTK_BOX (row), key_new (keys[k]), FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (self->rows), row, FALSE, FALSE, 0);
    }
  gtk_widget_show_all (self->rows);
  self->built = self->shown;
}

static void
rebuild (StationKeyboard *self)
{
  g_autoptr(GList) rows = NULL;

  if (self->built != self->shown)
    build_rows (self);
  /* Small or capital letters on the same keys. */
  rows = gtk_container_get_children (GTK_CONTAINER (self->rows));
  for (GList *r = rows; r != NULL; r = r->next)
    {
      g_autoptr(GList) keys = gtk_container_get_children (GTK_CONTAINER (r->data));

      for (GList *k = keys; k != NULL; k = k->next)
        {
          g_autofree char *text = key_text (self, key_of (k->data));

          gtk_button_set_label (GTK_BUTTON (k->data), text);
          atk_object_set_name (gtk_widget_get_accessible (k->data), text);
        }
    }
  gtk_widget_set_visible (self->shift_key, self->shown->cased);
  if (self->shift)
    gtk_style_context_add_class (gtk_widget_get_style_context (self->shift_key), "relais-key-on");
  else
    gtk_style_context_remove_class (gtk_widget_get_style_context (self->shift_key), "relais-key-on");
  if (self->script_key != NULL)
    {
      /* The key names the letters it brings, in their own script. */
      const char *label = self->shown == self->layout ? "ABC" : "أبج";

      gtk_button_set_label (GTK_BUTTON (self->script_key), label);
      atk_object_set_name (gtk_widget_get_accessible (self->script_key),
                           self->shown == self->layout ? _ ("Lettres latines") : _ ("Lettres arabes"));
    }
}

void
station_keyboard_show_latin (StationKeyboard *self,
                             gboolean         latin)
{
  g_return_if_fail (STATION_IS_KEYBOARD (self));

  /* Latin letters, on a French station: the French keyboard. */
  self->shown = latin && !self->layout->latin ? layout_for ("fr") : self->layout;
  self->shift = FALSE;
  rebuild (self);
}

char *
station_keyboard_dup_keys (StationKeyboard *self)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GList) rows = NULL;

  g_return_val_if_fail (STATION_IS_KEYBOARD (self), NULL);

  rows = gtk_container_get_children (GTK_CONTAINER (self->rows));
  for (GList *r = rows; r != NULL; r = r->next)
    {
      g_autoptr(GList) keys = gtk_container_get_children (GTK_CONTAINER (r->data));

      for (GList *k = keys; k != NULL; k = k->next)
        g_string_append (out, gtk_button_get_label (GTK_BUTTON (k->data)));
    }
  return g_string_free (out, FALSE);
}

static void
entry_gone_cb (gpointer data,
               GObject *entry)
{
  STATION_KEYBOARD (data)->entry = NULL;
}

void
station_keyboard_attach (StationKeyboard *self,
                         GtkEntry        *entry)
{
  g_return_if_fail (STATION_IS_KEYBOARD (self));
  g_return_if_fail (GTK_IS_ENTRY (entry));
  g_return_if_fail (self->entry == NULL);

  self->entry = entry;
  g_object_weak_ref (G_OBJECT (entry), entry_gone_cb, self);
  g_object_set_data (G_OBJECT (entry), "station-touch-input", self);
  /* Emptied by the page (a new document): a capital again. */
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (capital_first), self);
  capital_first (self);
}

static void
station_keyboard_dispose (GObject *object)
{
  StationKeyboard *self = STATION_KEYBOARD (object);

  if (self->entry != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->entry, self);
      g_object_weak_unref (G_OBJECT (self->entry), entry_gone_cb, self);
      if (g_object_get_data (G_OBJECT (self->entry), "station-touch-input") == self)
        g_object_set_data (G_OBJECT (self->entry), "station-touch-input", NULL);
      self->entry = NULL;
    }
  G_OBJECT_CLASS (station_keyboard_parent_class)->dispose (object);
}

static void
station_keyboard_finalize (GObject *object)
{
  StationKeyboard *self = STATION_KEYBOARD (object);

  g_free (self->language);
  G_OBJECT_CLASS (station_keyboard_parent_class)->finalize (object);
}

static void
station_keyboard_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StationKeyboard *self = STATION_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_keyboard_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  StationKeyboard *self = STATION_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      self->language = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The keys depend on the language: known once "language" is set. */
static void
station_keyboard_constructed (GObject *object)
{
  StationKeyboard *self = STATION_KEYBOARD (object);

  G_OBJECT_CLASS (station_keyboard_parent_class)->constructed (object);

  self->layout = self->shown = layout_for (self->language);
  /* Latin letters already: no key to switch to them. */
  if (self->layout->latin)
    g_clear_pointer (&self->script_key, gtk_widget_destroy);
  rebuild (self);
}

static void
station_keyboard_class_init (StationKeyboardClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = station_keyboard_get_property;
  object_class->set_property = station_keyboard_set_property;
  object_class->constructed = station_keyboard_constructed;
  object_class->dispose = station_keyboard_dispose;
  object_class->finalize = station_keyboard_finalize;
  /* "done": the resident touched "Fini". */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* "fr", "en", "ar", "es", "pt", "ro" or "tr" (others: "en"). */
  properties[PROP_LANGUAGE] =
      g_param_spec_string ("language", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/station/ui/station-keyboard.ui");
  gtk_widget_class_bind_template_child (widget_class, StationKeyboard, rows);
  gtk_widget_class_bind_template_child (widget_class, StationKeyboard, bottom);
  gtk_widget_class_bind_template_child (widget_class, StationKeyboard, shift_key);
  gtk_widget_class_bind_template_child (widget_class, StationKeyboard, script_key);
}

static void
station_keyboard_init (StationKeyboard *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) press = g_simple_action_new ("press", G_VARIANT_TYPE_STRING);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Rows as on a real keyboard, whatever the reading direction (GTK 3 has
   * no property for it). */
  gtk_widget_set_direction (GTK_WIDGET (self), GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (self->rows, GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (self->bottom, GTK_TEXT_DIR_LTR);

  /* The keyboard owns the group, the group owns the action: the keyboard
   * is not referenced back. */
  g_signal_connect (press, "activate", G_CALLBACK (press_activate_cb), self);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (press));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "keyboard", G_ACTION_GROUP (group));
}

GtkWidget *
station_keyboard_new (const char *language)
{
  return g_object_new (STATION_TYPE_KEYBOARD, "language", language, NULL);
}

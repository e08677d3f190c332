/* station-choice.c: StationChoice and StationCheck, the kiosk's big
 * choices with a pictogram (station-choice.h). */

#include "station-choice.h"
#include "station-widgets.h"

/* What both classes are given: the pictogram and the words. */
typedef struct
{
  char *icon_name;
  char *text;
} Look;

struct _StationChoice {
  GtkRadioButton parent_instance;

  Look           look;
};

struct _StationCheck {
  GtkCheckButton parent_instance;

  Look           look;
};

G_DEFINE_FINAL_TYPE (StationChoice, station_choice, GTK_TYPE_RADIO_BUTTON)
G_DEFINE_FINAL_TYPE (StationCheck, station_check, GTK_TYPE_CHECK_BUTTON)

enum {
  PROP_0,
  PROP_ICON_NAME,
  PROP_TEXT,
  N_PROPS
};

/* A pictogram and its words, side by side, inside @button; the words
 * wrap at @max_chars. */
static void
fill (GtkWidget  *button,
      const char *icon,
      const char *label,
      int         max_chars)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_label_new_with_mnemonic (label != NULL ? label : "");

  if (icon != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon, GTK_ICON_SIZE_DND);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 40);
      gtk_box_pack_start (GTK_BOX (box), image, FALSE, FALSE, 0);
    }
  station_label_wrap (text, max_chars);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_box_pack_start (GTK_BOX (box), text, TRUE, TRUE, 0);
  gtk_widget_show_all (box);
  gtk_container_add (GTK_CONTAINER (button), box);
  gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (button), FALSE);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-choice");
  /* The words inside a box are not the button's label for ATK. */
  gtk_label_set_mnemonic_widget (GTK_LABEL (text), button);
  atk_object_set_name (gtk_widget_get_accessible (button), gtk_label_get_text (GTK_LABEL (text)));
}

static void
look_get_property (Look       *look,
                   GObject    *object,
                   guint       prop_id,
                   GValue     *value,
                   GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ICON_NAME:
      g_value_set_string (value, look->icon_name);
      break;
    case PROP_TEXT:
      g_value_set_string (value, look->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
look_set_property (Look         *look,
                   GObject      *object,
                   guint         prop_id,
                   const GValue *value,
                   GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_ICON_NAME:
      look->icon_name = g_value_dup_string (value);
      break;
    case PROP_TEXT:
      look->text = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
look_clear (Look *look)
{
  g_clear_pointer (&look->icon_name, g_free);
  g_clear_pointer (&look->text, g_free);
}

static void
look_install_properties (GObjectClass *object_class)
{
  g_object_class_install_property (object_class, PROP_ICON_NAME,
                                   g_param_spec_string ("icon-name", NULL, NULL, NULL,
                                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                            | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, PROP_TEXT,
                                   g_param_spec_string ("text", NULL, NULL, NULL,
                                                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                            | G_PARAM_STATIC_STRINGS));
}

/* ---- StationChoice ---- */

static void
station_choice_constructed (GObject *object)
{
  StationChoice *self = STATION_CHOICE (object);

  G_OBJECT_CLASS (station_choice_parent_class)->constructed (object);
  /* Three choices side by side fit beside the scan's preview, in large
   * text too. */
  fill (GTK_WIDGET (self), self->look.icon_name, self->look.text, 10);
}

static void
station_choice_finalize (GObject *object)
{
  StationChoice *self = STATION_CHOICE (object);

  look_clear (&self->look);
  G_OBJECT_CLASS (station_choice_parent_class)->finalize (object);
}

static void
station_choice_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  look_get_property (&STATION_CHOICE (object)->look, object, prop_id, value, pspec);
}

static void
station_choice_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  look_set_property (&STATION_CHOICE (object)->look, object, prop_id, value, pspec);
}

static void
station_choice_class_init (StationChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = station_choice_constructed;
  object_class->finalize = station_choice_finalize;
  object_class->get_property = station_choice_get_property;
  object_class->set_property = station_choice_set_property;
  look_install_properties (object_class);
}

static void
station_choice_init (StationChoice *self)
{
}

GtkWidget *
station_choice_new (GtkWidget  *group,
                    const char *icon,
                    const char *label)
{
  GtkWidget *button;

  g_return_val_if_fail (group == NULL || GTK_IS_RADIO_BUTTON (group), NULL);

  button = g_object_new (STATION_TYPE_CHOICE, "icon-name", icon, "text", label, NULL);
  if (group != NULL)
    gtk_radio_button_join_group (GTK_RADIO_BUTTON (button), GTK_RADIO_BUTTON (group));
  return button;
}

/* ---- StationCheck ---- */

static void
station_check_constructed (GObject *object)
{
  StationCheck *self = STATION_CHECK (object);

  G_OBJECT_CLASS (station_check_parent_class)->constructed (object);
  /* Alone on its line. */
  fill (GTK_WIDGET (self), self->look.icon_name, self->look.text, 32);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self)), "relais-check");
}

static void
station_check_finalize (GObject *object)
{
  StationCheck *self = STATION_CHECK (object);

  look_clear (&self->look);
  G_OBJECT_CLASS (station_check_parent_class)->finalize (object);
}

static void
station_check_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  look_get_property (&STATION_CHECK (object)->look, object, prop_id, value, pspec);
}

static void
station_check_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  look_set_property (&STATION_CHECK (object)->look, object, prop_id, value, pspec);
}

static void
station_check_class_init (StationCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = station_check_constructed;
  object_class->finalize = station_check_finalize;
  object_class->get_property = station_check_get_property;
  object_class->set_property = station_check_set_property;
  look_install_properties (object_class);
}

static void
station_check_init (StationCheck *self)
{
}

GtkWidget *
station_check_new (const char *icon,
                   const char *label)
{
  return g_object_new (STATION_TYPE_CHECK, "icon-name", icon, "text", label, NULL);
}

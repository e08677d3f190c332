/* station-safe-page.c: "Mon coffre-fort", the resident's digital safe
 * (assets/ui/station-safe-page.ui): its state, the list, the buttons. */

#include "station-safe-page.h"
#include "station-widgets.h"
#include "relais-document.h"
#include "relais-safe-client.h"
#include "relais-usb.h"
#include "station-safe-page-private.h"

#include <glib/gi18n.h>

void
_station_safe_page_doc_free (Doc *doc)
{
  relais_safe_item_free (doc->item);
  g_clear_pointer (&doc->plain, g_bytes_unref);
  g_clear_pointer (&doc->thumb, cairo_surface_destroy);
  g_free (doc->error);
  g_free (doc);
}

G_DEFINE_FINAL_TYPE (StationSafePage, station_safe_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SERVICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- small helpers ---- */

void
_station_safe_page_set_status (StationSafePage *self,
                               const char      *text)
{
  g_free (self->status_text);
  self->status_text = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (GTK_LABEL (self->status), self->status_text);
}

/* The screen's first empty field gets the focus ring, and with it the
 * keypad's digits (station-keypad.c types where the focus is). */
static void
focus_first_empty (GtkWidget *widget,
                   gpointer   data)
{
  GtkWidget **found = data;

  if (*found != NULL || !gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_ENTRY (widget) && gtk_widget_get_can_focus (widget)
      && *gtk_entry_get_text (GTK_ENTRY (widget)) == '\0'
      && g_object_get_data (G_OBJECT (widget), "station-touch-popover") == NULL)
    *found = widget;
  else if (GTK_IS_GRID (widget))
    {
      /* A grid lists its children last attached first: read it by rows. */
      for (int row = 0; row < 8 && *found == NULL; row++)
        for (int column = 0; column < 4 && *found == NULL; column++)
          {
            GtkWidget *child = gtk_grid_get_child_at (GTK_GRID (widget), column, row);

            if (child != NULL)
              focus_first_empty (child, data);
          }
    }
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), focus_first_empty, data);
}

void
_station_safe_page_show_screen (StationSafePage *self,
                                const char      *name)
{
  GtkWidget *screen = gtk_stack_get_child_by_name (GTK_STACK (self->stack), name);
  GtkWidget *empty = NULL;

  gtk_stack_set_visible_child (GTK_STACK (self->stack), screen);
  focus_first_empty (screen, &empty);
  if (empty != NULL)
    gtk_widget_grab_focus (empty);
}

/* The resident must fill @entry now: the focus ring shows where. */
static void
ask_for (StationSafePage *self,
         GtkWidget       *entry,
         const char      *text)
{
  _station_safe_page_set_status (self, text);
  gtk_widget_grab_focus (entry);
}

/* ---- the list ---- */

void
_station_safe_page_tile_toggled_cb (GtkFlowBox      *flow,
                                    StationSafePage *self)
{
  g_autoptr(GList) selected = gtk_flow_box_get_selected_children (flow);

  self->selected = selected != NULL ? gtk_flow_box_child_get_index (selected->data) : -1;
  self->delete_armed = FALSE;
  gtk_button_set_label (GTK_BUTTON (self->delete_button), _ ("_Supprimer"));
}

static GtkWidget *
tile_for (Doc *doc)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *image;
  GtkWidget *caption = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (*doc->item->name != '\0' ? doc->item->name : _station_safe_page_category_label (doc->item->category));

  if (doc->thumb != NULL)
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_get_from_surface (doc->thumb, 0, 0,
                                                                  cairo_image_surface_get_width (doc->thumb),
                                                                  cairo_image_surface_get_height (doc->thumb));
      image = gtk_image_new_from_pixbuf (pixbuf);
    }
  else
    {
      image = gtk_image_new_from_icon_name ("dialog-warning-symbolic", GTK_ICON_SIZE_DIALOG);
      gtk_widget_set_size_request (image, THUMB_WIDTH, THUMB_HEIGHT);
      gtk_widget_set_tooltip_text (image, doc->error);
    }
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 16);
  gtk_box_pack_start (GTK_BOX (caption), gtk_image_new_from_icon_name (_station_safe_page_category_icon (doc->item->category), GTK_ICON_SIZE_LARGE_TOOLBAR), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (caption), name, FALSE, FALSE, 0);
  gtk_widget_set_halign (caption, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (box), image, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), caption, FALSE, FALSE, 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (box), "relais-safe-tile");
  atk_object_set_name (gtk_widget_get_accessible (box), doc->item->name);
  gtk_widget_show_all (box);
  return box;
}

void
_station_safe_page_fill_list (StationSafePage *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->flow));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; i < self->docs->len; i++)
    gtk_flow_box_insert (GTK_FLOW_BOX (self->flow), tile_for (g_ptr_array_index (self->docs, i)), -1);
  self->selected = -1;
}

static Doc *
selected_doc (StationSafePage *self)
{
  if (self->selected < 0 || (guint) self->selected >= self->docs->len)
    {
      _station_safe_page_set_status (self, _ ("Touchez d'abord un document."));
      return NULL;
    }
  return g_ptr_array_index (self->docs, self->selected);
}

/* ---- buttons ---- */

void
station_safe_page_open (StationSafePage *self,
                        const char      *number,
                        const char      *pin)
{
  Job *job;

  g_return_if_fail (STATION_IS_SAFE_PAGE (self));
  if (self->busy)
    return;
  job = _station_safe_page_job_new (JOB_OPEN);
  job->number = g_strdup (number);
  /* Without a PIN, only what the hub says of the safe. */
  job->secret = pin != NULL && *pin != '\0' ? g_strdup (pin) : NULL;
  _station_safe_page_set_status (self, job->secret != NULL ? _ ("J'ouvre votre coffre…") : _ ("Un instant…"));
  _station_safe_page_run_job (self, job);
}

void
_station_safe_page_open_clicked_cb (StationSafePage *self)
{
  const char *number = gtk_entry_get_text (GTK_ENTRY (self->number_entry));

  if (*number == '\0')
    {
      ask_for (self, self->number_entry, _ ("Tapez le numéro de votre carte."));
      return;
    }
  /* The hub says what comes next: the secret code, or for a new safe the
   * code written on the card. A scan waiting with the hub down is sealed
   * for this number right away. */
  station_safe_page_open (self, number, NULL);
}

void
_station_safe_page_secret_clicked_cb (StationSafePage *self)
{
  const char *pin = gtk_entry_get_text (GTK_ENTRY (self->pin_entry));

  if (*pin == '\0')
    {
      ask_for (self, self->pin_entry, _ ("Tapez votre code secret."));
      return;
    }
  station_safe_page_open (self, gtk_entry_get_text (GTK_ENTRY (self->number_entry)), pin);
}

void
_station_safe_page_activate_clicked_cb (StationSafePage *self)
{
  const char *code = gtk_entry_get_text (GTK_ENTRY (self->code_entry));
  const char *pin = gtk_entry_get_text (GTK_ENTRY (self->new_pin_entry));
  Job        *job;

  if (self->busy)
    return;
  if (*code == '\0')
    {
      ask_for (self, self->code_entry, _ ("Tapez le code écrit sur votre carte."));
      return;
    }
  if (strlen (pin) < 4)
    {
      ask_for (self, self->new_pin_entry, _ ("Choisissez un code secret de 4 à 8 chiffres."));
      return;
    }
  if (!g_str_equal (pin, gtk_entry_get_text (GTK_ENTRY (self->new_pin2_entry))))
    {
      gtk_entry_set_text (GTK_ENTRY (self->new_pin_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->new_pin2_entry), "");
      ask_for (self, self->new_pin_entry, _ ("Les deux codes ne sont pas les mêmes. Tapez-les de nouveau."));
      return;
    }
  job = _station_safe_page_job_new (JOB_ACTIVATE);
  job->number = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->number_entry)));
  job->secret = g_strdup (pin);
  job->secret2 = g_strdup (code);
  _station_safe_page_set_status (self, _ ("J'ouvre votre coffre pour la première fois…"));
  _station_safe_page_run_job (self, job);
}

static void
view_render (StationSafePage *self)
{
  Doc *doc = selected_doc (self);
  g_autoptr(RelaisDocument) pdf = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  int              n;

  if (doc == NULL || doc->plain == NULL)
    {
      if (doc != NULL)
        _station_safe_page_set_status (self, doc->error);
      return;
    }
  pdf = relais_document_new_from_bytes (doc->plain, &error);
  if (pdf == NULL)
    {
      _station_safe_page_set_status (self, error->message);
      return;
    }
  n = relais_document_get_n_pages (pdf);
  self->view_page = CLAMP (self->view_page, 0, n - 1);
  surface = relais_document_render_page (pdf, self->view_page, 760, 560, &error);
  if (surface == NULL)
    {
      _station_safe_page_set_status (self, error->message);
      return;
    }
  gtk_image_set_from_surface (GTK_IMAGE (self->view_image), surface);
  cairo_surface_destroy (surface);
  {
    g_autofree char *text = g_strdup_printf (_ ("Page %d sur %d"), self->view_page + 1, n);
    gtk_label_set_text (GTK_LABEL (self->view_label), text);
  }
  _station_safe_page_show_screen (self, "view");
  _station_safe_page_set_status (self, "");
}

void
_station_safe_page_view_clicked_cb (StationSafePage *self)
{
  self->view_page = 0;
  view_render (self);
}

void
_station_safe_page_previous_page_cb (StationSafePage *self)
{
  self->view_page--;
  view_render (self);
}

void
_station_safe_page_next_page_cb (StationSafePage *self)
{
  self->view_page++;
  view_render (self);
}

static void
print_status_cb (StationPrintJob *job,
                 const char      *css_class,
                 const char      *text,
                 StationSafePage *self)
{
  _station_safe_page_set_status (self, text);
}

static void
print_finished_cb (StationPrintJob *job,
                   StationSafePage *self)
{
  g_clear_object (&self->print);
}

/* Printed as every page prints: within the session's page cap, followed
 * to the tray, counted once printed, a mediator called when the printer
 * needs one. */
static void
print_doc (StationSafePage *self,
           Doc             *doc)
{
  /* A job still followed is not sent again. */
  if (self->print != NULL)
    return;
  self->print = station_print_job_new (self->services, STATION_COUNT_PAGES_PRINTED, (guint) MAX (1, doc->n_pages));
  g_signal_connect_object (self->print, "status", G_CALLBACK (print_status_cb), self, 0);
  g_signal_connect_object (self->print, "finished", G_CALLBACK (print_finished_cb), self, 0);
  station_print_job_start (self->print, doc->plain, "application/pdf", _ ("Document du coffre"), NULL);
}

static void
usb_job (StationSafePage *self)
{
  Doc *doc = selected_doc (self);
  g_autoptr(GVolumeMonitor) monitor = NULL;
  GList *keys;
  Job   *job;

  if (doc == NULL || self->busy)
    return;
  if (doc->plain == NULL)
    {
      _station_safe_page_set_status (self, doc->error);
      return;
    }
  /* GIO's volume monitor is for the main thread only: the key is found
   * here, the copy made in the worker. */
  monitor = g_volume_monitor_get ();
  keys = relais_usb_list_keys (monitor);
  if (keys == NULL)
    {
      _station_safe_page_set_status (self, _ ("Branchez une clé USB, puis touchez de nouveau le bouton."));
      return;
    }
  job = _station_safe_page_job_new (JOB_USB);
  job->root = g_mount_get_root (g_list_last (keys)->data);
  g_list_free_full (keys, g_object_unref);
  job->bytes = g_bytes_ref (doc->plain);
  job->name = g_strdup_printf ("%s.pdf", *doc->item->name != '\0' ? doc->item->name
                                                                  : _station_safe_page_category_label (doc->item->category));
  _station_safe_page_set_status (self, _ ("Je copie sur la clé…"));
  _station_safe_page_run_job (self, job);
}

void
_station_safe_page_print_clicked_cb (StationSafePage *self)
{
  Doc *doc = selected_doc (self);

  if (doc == NULL || self->busy)
    return;
  if (doc->plain == NULL)
    {
      _station_safe_page_set_status (self, doc->error);
      return;
    }
  print_doc (self, doc);
}

void
_station_safe_page_usb_clicked_cb (StationSafePage *self)
{
  usb_job (self);
}

void
_station_safe_page_delete_clicked_cb (StationSafePage *self)
{
  Doc *doc = selected_doc (self);
  Job *job;

  if (doc == NULL || self->busy)
    return;
  /* Deleting is for good: a second touch confirms it. */
  if (!self->delete_armed)
    {
      self->delete_armed = TRUE;
      gtk_button_set_label (GTK_BUTTON (self->delete_button), _ ("Touchez encore pour _supprimer"));
      _station_safe_page_set_status (self, _ ("Supprimer ce document pour toujours ? Touchez encore « Supprimer » pour confirmer."));
      return;
    }
  self->delete_armed = FALSE;
  gtk_button_set_label (GTK_BUTTON (self->delete_button), _ ("_Supprimer"));
  job = _station_safe_page_job_new (JOB_DELETE);
  job->name = g_strdup (doc->item->id);
  _station_safe_page_run_job (self, job);
}

void
_station_safe_page_change_pin_clicked_cb (StationSafePage *self)
{
  _station_safe_page_set_status (self, _ ("Tapez deux fois votre nouveau code secret (4 à 8 chiffres)."));
  _station_safe_page_show_screen (self, "pin");
}

void
_station_safe_page_pin_ok_clicked_cb (StationSafePage *self)
{
  const char *pin = gtk_entry_get_text (GTK_ENTRY (self->change_pin_entry));
  Job        *job;

  if (strlen (pin) < 4)
    {
      ask_for (self, self->change_pin_entry, _ ("Choisissez un code secret de 4 à 8 chiffres."));
      return;
    }
  if (!g_str_equal (pin, gtk_entry_get_text (GTK_ENTRY (self->change_pin2_entry))))
    {
      gtk_entry_set_text (GTK_ENTRY (self->change_pin_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->change_pin2_entry), "");
      ask_for (self, self->change_pin_entry, _ ("Les deux codes ne sont pas les mêmes. Tapez-les de nouveau."));
      return;
    }
  if (self->busy)
    return;
  job = _station_safe_page_job_new (JOB_PIN);
  job->secret = g_strdup (pin);
  _station_safe_page_run_job (self, job);
}

void
_station_safe_page_journal_clicked_cb (StationSafePage *self)
{
  if (!self->busy)
    _station_safe_page_run_job (self, _station_safe_page_job_new (JOB_JOURNAL));
}

void
_station_safe_page_back_to_list_cb (StationSafePage *self)
{
  _station_safe_page_set_status (self, "");
  _station_safe_page_show_screen (self, relais_safe_client_is_open (self->client) ? "list" : "login");
}

static void
forget_documents (StationSafePage *self)
{
  g_ptr_array_set_size (self->docs, 0);
  if (self->flow != NULL)
    _station_safe_page_fill_list (self);
  gtk_image_clear (GTK_IMAGE (self->view_image));
}

void
_station_safe_page_close_clicked_cb (StationSafePage *self)
{
  if (self->busy)
    return;
  forget_documents (self);
  /* Closing wipes the keys and tells the hub, off the main loop. */
  _station_safe_page_run_job (self, _station_safe_page_job_new (JOB_CLOSE));
  gtk_entry_set_text (GTK_ENTRY (self->number_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->pin_entry), "");
  _station_safe_page_set_status (self, _ ("Votre coffre est fermé."));
  _station_safe_page_show_screen (self, "login");
}

void
station_safe_page_choose_category (StationSafePage *self,
                                   const char      *category)
{
  g_return_if_fail (STATION_IS_SAFE_PAGE (self));

  g_free (self->pending_category);
  self->pending_category = g_strdup (category);
  if (self->pending == NULL || self->busy)
    return;
  if (relais_safe_client_is_open (self->client))
    _station_safe_page_add_pending (self);
  else
    {
      _station_safe_page_set_status (self, _ ("Pour ranger le document, tapez le numéro de votre carte."));
      _station_safe_page_show_screen (self, "login");
    }
}

void
station_safe_page_add_document (StationSafePage *self,
                                GBytes          *pdf)
{
  g_return_if_fail (STATION_IS_SAFE_PAGE (self));
  g_return_if_fail (pdf != NULL);

  g_clear_pointer (&self->pending, g_bytes_unref);
  self->pending = g_bytes_ref (pdf);
  gtk_entry_set_text (GTK_ENTRY (self->name_entry), "");
  _station_safe_page_set_status (self, _ ("Quel genre de papier est-ce ? Touchez une image."));
  _station_safe_page_show_screen (self, "category");
}

void
station_safe_page_deliver (GtkWidget *from_page,
                           GBytes    *pdf)
{
  GtkWidget *stack = gtk_widget_get_parent (from_page);
  GtkWidget *safe;

  g_return_if_fail (GTK_IS_STACK (stack));
  safe = gtk_stack_get_child_by_name (GTK_STACK (stack), "safe");
  g_return_if_fail (STATION_IS_SAFE_PAGE (safe));
  station_safe_page_add_document (STATION_SAFE_PAGE (safe), pdf);
  station_page_navigate (from_page, "safe");
}

/* ---- consent to a mediator ---- */

void
station_safe_page_consent (StationSafePage *self,
                           const char      *login,
                           int              minutes)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (login != NULL ? login : ""));
  Job             *job;

  g_return_if_fail (STATION_IS_SAFE_PAGE (self));

  if (self->busy || !relais_safe_client_is_open (self->client))
    return;
  if (*trimmed == '\0')
    {
      _station_safe_page_set_status (self, _ ("Écrivez l'identifiant du médiateur. Il peut vous le dire."));
      return;
    }
  job = _station_safe_page_job_new (JOB_CONSENT);
  job->name = g_steal_pointer (&trimmed);
  job->remaining = minutes;
  _station_safe_page_set_status (self, _ ("Un instant…"));
  _station_safe_page_run_job (self, job);
}

void
_station_safe_page_consent_ok_clicked_cb (StationSafePage *self)
{
  station_safe_page_consent (self, gtk_entry_get_text (GTK_ENTRY (self->consent_entry)),
                             gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->consent_15)) ? 15 : 30);
}

void
_station_safe_page_consent_clicked_cb (StationSafePage *self)
{
  _station_safe_page_set_status (self, _ ("Le médiateur pourra voir les documents qui sont dans votre coffre maintenant, "
                                          "sans les changer, pendant le temps choisi. "
                                          "Pas ceux que vous ajouterez après."));
  _station_safe_page_show_screen (self, "consent");
  /* The keys open when the field is touched: opened now, they would be
   * placed before the screen is laid out, over the field itself. */
  gtk_widget_grab_focus (self->consent_entry);
}

static gboolean
flush_cb (gpointer user_data)
{
  StationSafePage *self = user_data;

  if (!self->busy && relais_safe_client_get_pending (self->client) > 0)
    _station_safe_page_run_job (self, _station_safe_page_job_new (JOB_FLUSH));
  return G_SOURCE_CONTINUE;
}

static void
station_safe_page_dispose (GObject *object)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->print != NULL)
    station_print_job_cancel (self->print);
  g_clear_object (&self->print);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  station_scan_progress_stop (&self->progress_tick);
  G_OBJECT_CLASS (station_safe_page_parent_class)->dispose (object);
}

static void
station_safe_page_finalize (GObject *object)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);

  /* Only the keys matter here: the hub closes the session after 10 min
   * idle, and a thread may still be using the client (it holds a ref on
   * the page through its GTask, so finalize comes after it). */
  g_clear_pointer (&self->client, relais_safe_client_free);
  g_clear_pointer (&self->docs, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_bytes_unref);
  g_free (self->pending_category);
  g_free (self->status_text);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (station_safe_page_parent_class)->finalize (object);
}

static void
station_safe_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICES:
      g_value_set_object (value, self->services);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
station_safe_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICES:
      self->services = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The safe's client, the keyboards' language: known once "services" is
 * set. */
static void
station_safe_page_constructed (GObject *object)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (station_safe_page_parent_class)->constructed (object);
  g_return_if_fail (self->services != NULL);

  self->client = relais_safe_client_new (self->services->link,
                                         relais_config_get (self->services->config, "station", "database"), &error);
  if (self->client == NULL)
    {
      /* The station's database is unusable: the safe still opens online. */
      g_message ("coffre : %s", error->message);
      self->client = relais_safe_client_new (self->services->link, NULL, NULL);
    }

  _station_safe_page_screens_init (self);
  gtk_widget_show_all (GTK_WIDGET (self));
  _station_safe_page_show_screen (self, "login");
  {
    g_autofree char *button = station_label_plain (_ ("_Continuer"));
    g_autofree char *text = g_strdup_printf (_ ("Tapez le numéro de votre carte, puis touchez « %s »."), button);

    _station_safe_page_set_status (self, text);
  }

  /* Scans sealed while the hub was away leave as soon as it answers. */
  self->flush_id = g_timeout_add_seconds (FLUSH_SECONDS, flush_cb, self);
  flush_cb (self);
}

static void
station_safe_page_class_init (StationSafePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = station_safe_page_get_property;
  object_class->set_property = station_safe_page_set_property;
  object_class->constructed = station_safe_page_constructed;
  object_class->dispose = station_safe_page_dispose;
  object_class->finalize = station_safe_page_finalize;
  station_page_class_add_navigate (object_class);

  properties[PROP_SERVICES] =
      g_param_spec_object ("services", NULL, NULL, STATION_TYPE_SERVICES,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _station_safe_page_screens_class_init (GTK_WIDGET_CLASS (klass));
}

static void
station_safe_page_init (StationSafePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  station_page_add_actions (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) _station_safe_page_doc_free);
  self->selected = -1;
  self->status_text = g_strdup ("");
}

GtkWidget *
station_safe_page_new (StationServices *services)
{
  return g_object_new (STATION_TYPE_SAFE_PAGE, "services", services, NULL);
}

const char *
station_safe_page_get_status (StationSafePage *self)
{
  return self->status_text;
}

const char *
station_safe_page_get_screen (StationSafePage *self)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

gboolean
station_safe_page_is_busy (StationSafePage *self)
{
  return self->busy;
}

guint
station_safe_page_get_n_documents (StationSafePage *self)
{
  return self->docs->len;
}

GBytes *
station_safe_page_get_document (StationSafePage *self,
                                guint            index,
                                const char     **name)
{
  Doc *doc;

  g_return_val_if_fail (STATION_IS_SAFE_PAGE (self), NULL);
  g_return_val_if_fail (index < self->docs->len, NULL);

  doc = g_ptr_array_index (self->docs, index);
  if (name != NULL)
    *name = doc->item->name != NULL ? doc->item->name : "";
  return doc->plain;
}

gboolean
station_safe_page_has_unsaved_work (StationSafePage *self)
{
  g_return_val_if_fail (STATION_IS_SAFE_PAGE (self), FALSE);

  return self->pending != NULL;
}

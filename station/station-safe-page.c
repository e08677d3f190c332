/* station-safe-page.c: "Mon coffre-fort", the resident's digital safe. */
#define G_LOG_DOMAIN "relais-station"

#include "station-safe-page.h"
#include "station-pages.h"
#include "relais-document.h"
#include "relais-safe-client.h"
#include "relais-usb.h"

#include <glib/gi18n.h>

#define THUMB_WIDTH 180
#define THUMB_HEIGHT 240
#define FLUSH_SECONDS 60

static const struct {
  const char *id;
  const char *icon;
  const char *label;
} categories[] = {
  { "identite", "avatar-default-symbolic", N_("Identité") },
  { "ressources", "accessories-calculator-symbolic", N_("Ressources") },
  { "logement", "go-home-symbolic", N_("Logement") },
  { "sante", "emblem-favorite-symbolic", N_("Santé") },
  { "impots", "x-office-document-symbolic", N_("Impôts") },
  { "famille", "system-users-symbolic", N_("Famille") },
  { "emploi", "emblem-system-symbolic", N_("Emploi") },
  { "autre", "folder-symbolic", N_("Autre") },
};

/* A document of the open safe. Invariant: plain is the decrypted PDF, in
 * memory only, or NULL when it could not be opened (error says why). */
typedef struct {
  RelaisSafeItem  *item;
  GBytes          *plain;
  cairo_surface_t *thumb;
  char            *error;
} Doc;

static void
doc_free (Doc *doc)
{
  relais_safe_item_free (doc->item);
  g_clear_pointer (&doc->plain, g_bytes_unref);
  g_clear_pointer (&doc->thumb, cairo_surface_destroy);
  g_free (doc->error);
  g_free (doc);
}

struct _StationSafePage
{
  GtkBox            parent_instance;

  /* Borrowed */
  StationServices  *services;
  GtkWidget        *stack;
  GtkWidget        *status;
  GtkWidget        *number_entry;
  GtkWidget        *pin_entry;
  GtkWidget        *code_entry;
  GtkWidget        *new_pin_entry;
  GtkWidget        *new_pin2_entry;
  GtkWidget        *change_pin_entry;
  GtkWidget        *change_pin2_entry;
  GtkWidget        *target_entry;    /* where the keypad types */
  GtkWidget        *name_entry;
  GtkWidget        *flow;
  GtkWidget        *view_image;
  GtkWidget        *view_label;
  GtkWidget        *journal_box;
  GtkWidget        *delete_button;
  GtkWidget        *consent_entry;   /* the mediator's login */
  GtkWidget        *consent_15;

  /* Owned */
  RelaisSafeClient *client;
  GCancellable     *cancellable;
  GPtrArray        *docs;            /* Doc* */
  GBytes           *pending;         /* a scan waiting for its category or the PIN */
  char             *pending_category;
  char             *status_text;
  int               selected;        /* index in docs, -1 for none */
  int               view_page;
  gboolean          busy;
  gboolean          delete_armed;
  guint             flush_id;
};

G_DEFINE_FINAL_TYPE (StationSafePage, station_safe_page, GTK_TYPE_BOX)

static void load_documents (StationSafePage *self);

/* ---- small helpers ---- */

static void
set_status (StationSafePage *self,
            const char      *text)
{
  g_free (self->status_text);
  self->status_text = g_strdup (text != NULL ? text : "");
  gtk_label_set_text (GTK_LABEL (self->status), self->status_text);
}

static void
show_screen (StationSafePage *self,
             const char      *name)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
  if (g_str_equal (name, "login"))
    self->target_entry = self->number_entry;
  else if (g_str_equal (name, "code"))
    self->target_entry = self->code_entry;
  else if (g_str_equal (name, "pin"))
    self->target_entry = self->change_pin_entry;
}

static GtkWidget *
big_button (const char *label,
            const char *icon,
            gboolean    primary)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  if (icon != NULL)
    {
      gtk_button_set_image (GTK_BUTTON (button), gtk_image_new_from_icon_name (icon, GTK_ICON_SIZE_DND));
      gtk_button_set_always_show_image (GTK_BUTTON (button), TRUE);
    }
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-big-button");
  if (primary)
    gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-primary");
  return button;
}

static GtkWidget *
labelled_entry (GtkWidget  *grid,
                int         row,
                const char *label,
                gboolean    secret)
{
  GtkWidget *text = gtk_label_new (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_halign (text, GTK_ALIGN_END);
  gtk_entry_set_visibility (GTK_ENTRY (entry), !secret);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), secret ? GTK_INPUT_PURPOSE_PIN : GTK_INPUT_PURPOSE_DIGITS);
  gtk_entry_set_max_length (GTK_ENTRY (entry), secret ? 8 : 16);
  gtk_entry_set_width_chars (GTK_ENTRY (entry), 14);
  gtk_style_context_add_class (gtk_widget_get_style_context (entry), "relais-big-entry");
  gtk_grid_attach (GTK_GRID (grid), text, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), entry, 1, row, 1, 1);
  return entry;
}

/* ---- the keypad ---- */

static gboolean
entry_focus_cb (GtkWidget       *entry,
                GdkEvent        *event,
                StationSafePage *self)
{
  self->target_entry = entry;
  return FALSE;
}

static void
key_clicked_cb (GtkButton       *button,
                StationSafePage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  GtkEntry *entry = GTK_ENTRY (self->target_entry);
  g_autofree char *text = NULL;
  const char *current;

  if (entry == NULL)
    return;
  current = gtk_entry_get_text (entry);
  if (g_str_equal (key, "back"))
    text = g_strndup (current, MAX (0, (int) strlen (current) - 1));
  else if (strlen (current) < (gsize) gtk_entry_get_max_length (entry))
    text = g_strconcat (current, key, NULL);
  if (text != NULL)
    gtk_entry_set_text (entry, text);
}

static GtkWidget *
keypad_new (StationSafePage *self)
{
  static const char * const keys[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", "back" };
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_set_valign (grid, GTK_ALIGN_START);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *button;

      if (*keys[i] == '\0')
        continue;
      if (g_str_equal (keys[i], "back"))
        {
          button = gtk_button_new_from_icon_name ("edit-clear-symbolic", GTK_ICON_SIZE_DND);
          atk_object_set_name (gtk_widget_get_accessible (button), _("Effacer un chiffre"));
        }
      else
        button = gtk_button_new_with_label (keys[i]);
      gtk_widget_set_size_request (button, 88, 60);
      gtk_widget_set_can_focus (button, FALSE);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-key");
      g_object_set_data (G_OBJECT (button), "key", (gpointer) keys[i]);
      g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
      gtk_grid_attach (GTK_GRID (grid), button, i % 3, i / 3, 1, 1);
    }
  return grid;
}

/* ---- work in a thread ---- */

typedef enum {
  JOB_OPEN, JOB_ACTIVATE, JOB_LOAD, JOB_ADD, JOB_DEPOSIT, JOB_DELETE, JOB_PIN,
  JOB_JOURNAL, JOB_PRINT, JOB_USB, JOB_FLUSH, JOB_CLOSE, JOB_CONSENT,
} JobKind;

typedef struct {
  JobKind    kind;
  char      *number;
  char      *secret;      /* wiped on free */
  char      *secret2;
  char      *category;
  char      *name;
  GBytes    *bytes;
  /* results */
  char      *state;
  GPtrArray *docs;        /* Doc*, JOB_LOAD */
  JsonArray *journal;
  gboolean   queued;
  int        remaining;   /* JOB_CONSENT: the minutes asked */
  gint64     until;       /* JOB_CONSENT */
} Job;

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
job_free (Job *job)
{
  g_free (job->number);
  wipe_free (job->secret);
  wipe_free (job->secret2);
  g_free (job->category);
  g_free (job->name);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->state);
  g_clear_pointer (&job->docs, g_ptr_array_unref);
  g_clear_pointer (&job->journal, json_array_unref);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  StationSafePage *self = source_object;
  RelaisSafeClient *client = self->client;
  Job *job = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case JOB_OPEN:
      job->state = relais_safe_client_hello (client, job->number, &job->remaining, &error);
      if (job->state != NULL && g_str_equal (job->state, "new"))
        ok = TRUE;   /* the page asks for the card's code */
      else if (job->state != NULL)
        ok = relais_safe_client_open (client, job->number, job->secret, &job->remaining, &error);
      break;
    case JOB_ACTIVATE:
      ok = relais_safe_client_activate (client, job->number, job->secret2, job->secret, &error);
      break;
    case JOB_LOAD:
      {
        g_autoptr(GPtrArray) items = relais_safe_client_list (client, &error);

        if (items == NULL)
          break;
        job->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_free);
        for (guint i = 0; i < items->len; i++)
          {
            Doc *doc = g_new0 (Doc, 1);
            g_autoptr(GError) local = NULL;

            doc->item = g_steal_pointer (&items->pdata[i]);
            doc->plain = relais_safe_client_fetch (client, doc->item->id, NULL, &local);
            if (doc->plain != NULL)
              {
                g_autoptr(RelaisDocument) pdf = relais_document_new_from_bytes (doc->plain, &local);

                if (pdf != NULL)
                  doc->thumb = relais_document_render_page (pdf, 0, THUMB_WIDTH, THUMB_HEIGHT, &local);
              }
            if (local != NULL)
              doc->error = g_strdup (local->message);
            g_ptr_array_add (job->docs, doc);
          }
        ok = TRUE;
      }
      break;
    case JOB_ADD:
      {
        g_autofree char *id = relais_safe_client_add (client, job->category, job->name, job->bytes,
                                                      &job->queued, &error);
        ok = id != NULL;
      }
      break;
    case JOB_DEPOSIT:
      {
        g_autofree char *id = relais_safe_client_deposit (client, job->number, job->category, job->name,
                                                          job->bytes, &job->queued, &error);
        ok = id != NULL;
      }
      break;
    case JOB_DELETE:
      ok = relais_safe_client_delete (client, job->name, &error);
      break;
    case JOB_PIN:
      ok = relais_safe_client_change_pin (client, job->secret, &error);
      break;
    case JOB_JOURNAL:
      job->journal = relais_safe_client_journal (client, &error);
      ok = job->journal != NULL;
      break;
    case JOB_PRINT:
      ok = relais_printer_print_bytes (self->services->printer, job->bytes, "application/pdf",
                                       job->name, NULL, &error) > 0;
      break;
    case JOB_USB:
      {
        g_autoptr(GVolumeMonitor) monitor = g_volume_monitor_get ();
        GList *keys = relais_usb_list_keys (monitor);
        GMount *mount = keys != NULL ? g_list_last (keys)->data : NULL;

        if (mount == NULL)
          g_set_error_literal (&error, RELAIS_USB_ERROR, RELAIS_USB_ERROR_NO_KEY,
                               _("Branchez une clé USB, puis touchez de nouveau le bouton."));
        else
          {
            g_autoptr(GFile) root = g_mount_get_root (mount);
            g_autoptr(GFile) saved = relais_usb_save (root, job->name, job->bytes, cancellable, &error);

            ok = saved != NULL;
          }
        g_list_free_full (keys, g_object_unref);
      }
      break;
    case JOB_FLUSH:
      ok = relais_safe_client_flush (client, &error) >= 0;
      break;
    case JOB_CLOSE:
      relais_safe_client_close (client);
      ok = TRUE;
      break;
    case JOB_CONSENT:
      job->until = relais_safe_client_consent (client, job->name, job->remaining, &error);
      ok = job->until > 0;
      break;
    default:
      g_assert_not_reached ();
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void job_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
run_job (StationSafePage *self,
         Job             *job)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, job_done_cb, NULL);

  /* One job at a time: they share the client (and its session). */
  self->busy = TRUE;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static Job *
job_new (JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  return job;
}

/* ---- the list ---- */

static void
tile_toggled_cb (GtkFlowBox      *flow,
                 StationSafePage *self)
{
  g_autoptr(GList) selected = gtk_flow_box_get_selected_children (flow);

  self->selected = selected != NULL ? gtk_flow_box_child_get_index (selected->data) : -1;
  self->delete_armed = FALSE;
  gtk_button_set_label (GTK_BUTTON (self->delete_button), _("_Supprimer"));
}

static const char *
category_label (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_str_equal (categories[i].id, id))
      return _(categories[i].label);
  return _("Autre");
}

static const char *
category_icon (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_str_equal (categories[i].id, id))
      return categories[i].icon;
  return "folder-symbolic";
}

static GtkWidget *
tile_for (Doc *doc)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *image;
  GtkWidget *caption = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (*doc->item->name != '\0' ? doc->item->name : category_label (doc->item->category));

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
  gtk_box_pack_start (GTK_BOX (caption), gtk_image_new_from_icon_name (category_icon (doc->item->category),
                                                                       GTK_ICON_SIZE_LARGE_TOOLBAR), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (caption), name, FALSE, FALSE, 0);
  gtk_widget_set_halign (caption, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (box), image, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), caption, FALSE, FALSE, 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (box), "relais-safe-tile");
  atk_object_set_name (gtk_widget_get_accessible (box), doc->item->name);
  gtk_widget_show_all (box);
  return box;
}

static void
fill_list (StationSafePage *self)
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
      set_status (self, _("Touchez d'abord un document."));
      return NULL;
    }
  return g_ptr_array_index (self->docs, self->selected);
}

/* ---- job results ---- */

static void
add_pending (StationSafePage *self)
{
  Job *job = job_new (JOB_ADD);

  job->category = g_strdup (self->pending_category);
  job->name = g_strdup (self->name_entry != NULL ? gtk_entry_get_text (GTK_ENTRY (self->name_entry)) : "");
  job->bytes = g_bytes_ref (self->pending);
  set_status (self, _("Je range le document dans votre coffre…"));
  run_job (self, job);
}

static void
deposit_pending (StationSafePage *self,
                 const char      *number)
{
  Job *job = job_new (JOB_DEPOSIT);

  job->number = g_strdup (number);
  job->category = g_strdup (self->pending_category);
  job->name = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->name_entry)));
  job->bytes = g_bytes_ref (self->pending);
  run_job (self, job);
}

static const char *
journal_phrase (const char *what)
{
  static const struct { const char *what; const char *phrase; } phrases[] = {
    { "create", N_("coffre créé") }, { "activate", N_("premier code secret choisi") },
    { "open", N_("coffre ouvert") }, { "wrong-pin", N_("code secret faux") },
    { "locked", N_("coffre bloqué") }, { "unlock", N_("coffre débloqué") },
    { "add", N_("document ajouté") }, { "deposit", N_("document déposé sans code") },
    { "view", N_("document ouvert") }, { "delete", N_("document supprimé") },
    { "pin", N_("code secret changé") }, { "consent", N_("accord donné à un médiateur") },
    { "mediator-open", N_("un médiateur a regardé la liste") },
    { "mediator-view", N_("un médiateur a ouvert un document") },
    { "announce", N_("suppression annoncée (coffre inutilisé)") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (g_str_equal (phrases[i].what, what))
      return _(phrases[i].phrase);
  return what;
}

static void
fill_journal (StationSafePage *self,
              JsonArray       *journal)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->journal_box));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; i < json_array_get_length (journal) && i < 40; i++)
    {
      JsonObject *entry = json_array_get_object_element (journal, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (json_object_get_int_member (entry, "at") / 1000);
      g_autofree char *when = g_date_time_format (at, "%d/%m/%Y %H:%M");
      const char *who = json_object_get_string_member_with_default (entry, "who", "");
      g_autofree char *by = g_str_has_prefix (who, "mediator:")
                            ? g_strdup_printf (_("par %s"), who + strlen ("mediator:"))
                            : g_strdup (g_str_equal (who, "resident") ? _("par vous") : "");
      const char *what = json_object_get_string_member (entry, "what");
      const char *detail = json_object_get_string_member_with_default (entry, "detail", NULL);
      g_autofree char *phrase = g_str_equal (what, "consent") && detail != NULL
                                ? g_strdup_printf (_("accord donné à %s"), detail)
                                : g_strdup (journal_phrase (what));
      g_autofree char *text = g_strdup_printf ("%s   %s %s   %s", when, phrase, by,
                                               json_object_get_string_member_with_default (entry, "station", ""));
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_show (label);
      gtk_container_add (GTK_CONTAINER (self->journal_box), label);
    }
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;

  switch (job->kind)
    {
    case JOB_OPEN:
      gtk_entry_set_text (GTK_ENTRY (self->pin_entry), "");
      if (ok && g_str_equal (job->state, "new"))
        {
          set_status (self, _("Votre coffre est neuf. Tapez le code écrit sur votre carte, puis choisissez votre code secret."));
          show_screen (self, "code");
        }
      else if (ok)
        {
          set_status (self, _("Coffre ouvert."));
          if (self->pending != NULL)
            add_pending (self);
          else
            load_documents (self);
        }
      else if (g_error_matches (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE) && self->pending != NULL)
        {
          /* The hub is down: the scan is sealed for the safe and waits. */
          deposit_pending (self, job->number);
        }
      else if (g_error_matches (error, RELAIS_SAFE_ERROR, RELAIS_SAFE_ERROR_UNREACHABLE))
        set_status (self, _("Votre coffre-fort est injoignable pour le moment : vos documents sont à l'abri, "
                            "mais on ne peut pas les ouvrir. Réessayez plus tard ou demandez à l'accueil."));
      else
        set_status (self, error->message);
      break;
    case JOB_ACTIVATE:
      gtk_entry_set_text (GTK_ENTRY (self->code_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->new_pin_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->new_pin2_entry), "");
      if (!ok)
        {
          set_status (self, error->message);
          break;
        }
      set_status (self, _("Votre code secret est choisi. Ne le dites à personne."));
      if (self->pending != NULL)
        add_pending (self);
      else
        load_documents (self);
      break;
    case JOB_LOAD:
      if (!ok)
        {
          set_status (self, error->message);
          break;
        }
      g_ptr_array_unref (self->docs);
      self->docs = g_steal_pointer (&job->docs);
      fill_list (self);
      show_screen (self, "list");
      set_status (self, self->docs->len == 0 ? _("Votre coffre est vide. Numérisez un papier pour l'y ranger.")
                                             : _("Touchez un document, puis ce que vous voulez en faire."));
      break;
    case JOB_ADD:
    case JOB_DEPOSIT:
      if (!ok)
        {
          set_status (self, error->message);
          break;
        }
      g_clear_pointer (&self->pending, g_bytes_unref);
      if (job->queued)
        {
          set_status (self, _("Le réseau ne répond pas. Votre document est gardé chiffré sur ce poste "
                              "et ira dans votre coffre dès que le réseau reviendra."));
          show_screen (self, "login");
        }
      else if (relais_safe_client_is_open (self->client))
        {
          set_status (self, _("Le document est rangé dans votre coffre."));
          load_documents (self);
        }
      else
        {
          set_status (self, _("Le document est rangé dans votre coffre."));
          show_screen (self, "login");
        }
      break;
    case JOB_DELETE:
      set_status (self, ok ? _("Document supprimé.") : error->message);
      if (ok)
        load_documents (self);
      break;
    case JOB_PIN:
      gtk_entry_set_text (GTK_ENTRY (self->change_pin_entry), "");
      gtk_entry_set_text (GTK_ENTRY (self->change_pin2_entry), "");
      set_status (self, ok ? _("Votre nouveau code secret est enregistré.") : error->message);
      if (ok)
        show_screen (self, "list");
      break;
    case JOB_JOURNAL:
      if (!ok)
        {
          set_status (self, error->message);
          break;
        }
      fill_journal (self, job->journal);
      set_status (self, _("Qui a ouvert votre coffre, et quand."));
      show_screen (self, "journal");
      break;
    case JOB_PRINT:
      set_status (self, ok ? _("Impression lancée : prenez la feuille dans l'imprimante.") : error->message);
      break;
    case JOB_USB:
      set_status (self, ok ? _("Copié sur la clé USB.") : error->message);
      break;
    case JOB_FLUSH:
      if (!ok)
        g_debug ("safe outbox: %s", error->message);
      break;
    case JOB_CLOSE:
      break;
    case JOB_CONSENT:
      if (!ok)
        {
          set_status (self, error->message);
          break;
        }
      {
        g_autoptr(GDateTime) until = g_date_time_new_from_unix_local (job->until / 1000);
        g_autofree char *hour = g_date_time_format (until, "%H:%M");
        g_autofree char *text = g_strdup_printf (_("%s peut voir vos documents jusqu'à %s. "
                                                   "C'est noté dans « Qui a ouvert mon coffre ? »."),
                                                 job->name, hour);

        gtk_entry_set_text (GTK_ENTRY (self->consent_entry), "");
        set_status (self, text);
        show_screen (self, "list");
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
load_documents (StationSafePage *self)
{
  set_status (self, _("J'ouvre vos documents…"));
  run_job (self, job_new (JOB_LOAD));
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
  job = job_new (JOB_OPEN);
  job->number = g_strdup (number);
  job->secret = g_strdup (pin);
  set_status (self, _("J'ouvre votre coffre…"));
  run_job (self, job);
}

static void
open_clicked_cb (StationSafePage *self)
{
  const char *number = gtk_entry_get_text (GTK_ENTRY (self->number_entry));
  const char *pin = gtk_entry_get_text (GTK_ENTRY (self->pin_entry));

  /* A scan waits and the resident gives only the number: with the hub
   * down that is enough to seal it for their safe. */
  if (*number == '\0')
    {
      set_status (self, _("Tapez le numéro de votre carte."));
      self->target_entry = self->number_entry;
      return;
    }
  if (*pin == '\0' && self->pending == NULL)
    {
      set_status (self, _("Tapez maintenant votre code secret."));
      self->target_entry = self->pin_entry;
      return;
    }
  station_safe_page_open (self, number, *pin != '\0' ? pin : "0000");
}

static void
activate_clicked_cb (StationSafePage *self)
{
  const char *pin = gtk_entry_get_text (GTK_ENTRY (self->new_pin_entry));
  Job *job;

  if (!g_str_equal (pin, gtk_entry_get_text (GTK_ENTRY (self->new_pin2_entry))))
    {
      set_status (self, _("Les deux codes ne sont pas les mêmes. Tapez-les de nouveau."));
      gtk_entry_set_text (GTK_ENTRY (self->new_pin2_entry), "");
      return;
    }
  if (self->busy)
    return;
  job = job_new (JOB_ACTIVATE);
  job->number = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->number_entry)));
  job->secret = g_strdup (pin);
  job->secret2 = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->code_entry)));
  run_job (self, job);
}

static void
view_render (StationSafePage *self)
{
  Doc *doc = selected_doc (self);
  g_autoptr(RelaisDocument) pdf = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  int n;

  if (doc == NULL || doc->plain == NULL)
    {
      if (doc != NULL)
        set_status (self, doc->error);
      return;
    }
  pdf = relais_document_new_from_bytes (doc->plain, &error);
  if (pdf == NULL)
    {
      set_status (self, error->message);
      return;
    }
  n = relais_document_get_n_pages (pdf);
  self->view_page = CLAMP (self->view_page, 0, n - 1);
  surface = relais_document_render_page (pdf, self->view_page, 760, 560, &error);
  if (surface == NULL)
    {
      set_status (self, error->message);
      return;
    }
  gtk_image_set_from_surface (GTK_IMAGE (self->view_image), surface);
  cairo_surface_destroy (surface);
  {
    g_autofree char *text = g_strdup_printf (_("Page %d sur %d"), self->view_page + 1, n);
    gtk_label_set_text (GTK_LABEL (self->view_label), text);
  }
  show_screen (self, "view");
  set_status (self, "");
}

static void
view_clicked_cb (StationSafePage *self)
{
  self->view_page = 0;
  view_render (self);
}

static void
page_step_cb (GtkButton       *button,
              StationSafePage *self)
{
  self->view_page += GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step"));
  view_render (self);
}

static void
bytes_job (StationSafePage *self,
           JobKind          kind)
{
  Doc *doc = selected_doc (self);
  Job *job;

  if (doc == NULL || self->busy)
    return;
  if (doc->plain == NULL)
    {
      set_status (self, doc->error);
      return;
    }
  if (kind == JOB_PRINT && self->services->printer == NULL)
    {
      set_status (self, self->services->printer_error->message);
      return;
    }
  job = job_new (kind);
  job->bytes = g_bytes_ref (doc->plain);
  job->name = kind == JOB_USB ? g_strdup_printf ("%s.pdf", *doc->item->name != '\0' ? doc->item->name
                                                                                      : category_label (doc->item->category))
                              : g_strdup (_("Document du coffre"));
  set_status (self, kind == JOB_PRINT ? _("J'envoie le document à l'imprimante…") : _("Je copie sur la clé…"));
  run_job (self, job);
}

static void
print_clicked_cb (StationSafePage *self)
{
  bytes_job (self, JOB_PRINT);
}

static void
usb_clicked_cb (StationSafePage *self)
{
  bytes_job (self, JOB_USB);
}

static void
delete_clicked_cb (StationSafePage *self)
{
  Doc *doc = selected_doc (self);
  Job *job;

  if (doc == NULL || self->busy)
    return;
  /* Deleting is for good: a second touch confirms it. */
  if (!self->delete_armed)
    {
      self->delete_armed = TRUE;
      gtk_button_set_label (GTK_BUTTON (self->delete_button), _("Touchez encore pour _supprimer"));
      set_status (self, _("Supprimer ce document pour toujours ? Touchez encore « Supprimer » pour confirmer."));
      return;
    }
  self->delete_armed = FALSE;
  gtk_button_set_label (GTK_BUTTON (self->delete_button), _("_Supprimer"));
  job = job_new (JOB_DELETE);
  job->name = g_strdup (doc->item->id);
  run_job (self, job);
}

static void
change_pin_clicked_cb (StationSafePage *self)
{
  set_status (self, _("Tapez deux fois votre nouveau code secret (4 à 8 chiffres)."));
  show_screen (self, "pin");
}

static void
pin_ok_clicked_cb (StationSafePage *self)
{
  const char *pin = gtk_entry_get_text (GTK_ENTRY (self->change_pin_entry));
  Job *job;

  if (!g_str_equal (pin, gtk_entry_get_text (GTK_ENTRY (self->change_pin2_entry))))
    {
      set_status (self, _("Les deux codes ne sont pas les mêmes. Tapez-les de nouveau."));
      return;
    }
  if (self->busy)
    return;
  job = job_new (JOB_PIN);
  job->secret = g_strdup (pin);
  run_job (self, job);
}

static void
journal_clicked_cb (StationSafePage *self)
{
  if (!self->busy)
    run_job (self, job_new (JOB_JOURNAL));
}

static void
back_to_list_cb (StationSafePage *self)
{
  set_status (self, "");
  show_screen (self, relais_safe_client_is_open (self->client) ? "list" : "login");
}

static void
forget_documents (StationSafePage *self)
{
  g_ptr_array_set_size (self->docs, 0);
  if (self->flow != NULL)
    fill_list (self);
  gtk_image_clear (GTK_IMAGE (self->view_image));
}

static void
close_clicked_cb (StationSafePage *self)
{
  if (self->busy)
    return;
  forget_documents (self);
  /* Closing wipes the keys and tells the hub, off the main loop. */
  run_job (self, job_new (JOB_CLOSE));
  gtk_entry_set_text (GTK_ENTRY (self->number_entry), "");
  set_status (self, _("Votre coffre est fermé."));
  show_screen (self, "login");
}

static void
category_clicked_cb (GtkButton       *button,
                     StationSafePage *self)
{
  station_safe_page_choose_category (self, g_object_get_data (G_OBJECT (button), "category"));
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
    add_pending (self);
  else
    {
      set_status (self, _("Tapez le numéro de votre carte et votre code secret pour ranger le document."));
      show_screen (self, "login");
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
  set_status (self, _("Quel genre de papier est-ce ? Touchez une image."));
  show_screen (self, "category");
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

/* ---- building ---- */

static void
add_class_cb (GtkWidget *widget,
              gpointer   css_class)
{
  gtk_style_context_add_class (gtk_widget_get_style_context (widget), css_class);
}

static GtkWidget *
screen_login (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *open = big_button (_("_Ouvrir mon coffre"), "changes-allow-symbolic", TRUE);
  GtkWidget *hint = gtk_label_new (_("Le numéro est sur votre carte. Le code secret, vous seul le connaissez."));

  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  self->number_entry = labelled_entry (grid, 0, _("Numéro de la carte"), FALSE);
  self->pin_entry = labelled_entry (grid, 1, _("Code secret"), TRUE);
  gtk_label_set_line_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 30);
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (open_clicked_cb), self);
  g_signal_connect_swapped (self->pin_entry, "activate", G_CALLBACK (open_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), hint, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), open, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), keypad_new (self), FALSE, FALSE, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

static GtkWidget *
screen_code (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *ok = big_button (_("_Choisir ce code secret"), "emblem-ok-symbolic", TRUE);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  self->code_entry = labelled_entry (grid, 0, _("Code de la carte"), FALSE);
  self->new_pin_entry = labelled_entry (grid, 1, _("Nouveau code secret"), TRUE);
  self->new_pin2_entry = labelled_entry (grid, 2, _("Encore une fois"), TRUE);
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (activate_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), ok, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), keypad_new (self), FALSE, FALSE, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

static GtkWidget *
screen_pin (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *ok = big_button (_("_Enregistrer"), "emblem-ok-symbolic", TRUE);
  GtkWidget *back = big_button (_("_Retour"), "go-previous-symbolic", FALSE);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 16);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  self->change_pin_entry = labelled_entry (grid, 0, _("Nouveau code secret"), TRUE);
  self->change_pin2_entry = labelled_entry (grid, 1, _("Encore une fois"), TRUE);
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (pin_ok_clicked_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (left), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), ok, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (left), back, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), left, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), keypad_new (self), FALSE, FALSE, 0);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

static GtkWidget *
screen_category (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *name_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *image = gtk_image_new_from_icon_name (categories[i].icon, GTK_ICON_SIZE_DIALOG);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 64);
      gtk_box_pack_start (GTK_BOX (inner), image, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (inner), gtk_label_new (_(categories[i].label)), FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (button), inner);
      gtk_style_context_add_class (gtk_widget_get_style_context (button), "relais-tile");
      g_object_set_data (G_OBJECT (button), "category", (gpointer) categories[i].id);
      g_signal_connect (button, "clicked", G_CALLBACK (category_clicked_cb), self);
      atk_object_set_name (gtk_widget_get_accessible (button), _(categories[i].label));
      gtk_grid_attach (GTK_GRID (grid), button, i % 4, i / 4, 1, 1);
    }
  self->name_entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (self->name_entry), 60);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->name_entry), _("Un nom, si vous voulez (facultatif)"));
  gtk_box_pack_start (GTK_BOX (name_box), gtk_label_new (_("Nom :")), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (name_box), self->name_entry, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), grid, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), name_box, FALSE, FALSE, 0);
  return box;
}

static void consent_clicked_cb (StationSafePage *self);

static GtkWidget *
screen_list (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *more = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *button;

  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_SINGLE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 5);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), TRUE);
  g_signal_connect (self->flow, "selected-children-changed", G_CALLBACK (tile_toggled_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_container_add (GTK_CONTAINER (scrolled), self->flow);

  button = big_button (_("_Voir"), "zoom-in-symbolic", TRUE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (view_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), button, TRUE, TRUE, 0);
  button = big_button (_("_Imprimer"), "printer-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (print_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), button, TRUE, TRUE, 0);
  button = big_button (_("Copier sur _clé USB"), "media-removable-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (usb_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), button, TRUE, TRUE, 0);
  self->delete_button = big_button (_("_Supprimer"), "user-trash-symbolic", FALSE);
  g_signal_connect_swapped (self->delete_button, "clicked", G_CALLBACK (delete_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (actions), self->delete_button, TRUE, TRUE, 0);

  button = big_button (_("Changer mon code _secret"), "dialog-password-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (change_pin_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (more), button, FALSE, FALSE, 0);
  button = big_button (_("Qui a ouvert mon _coffre ?"), "document-open-recent-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (journal_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (more), button, FALSE, FALSE, 0);
  button = big_button (_("Autoriser un _médiateur"), "contact-new-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (consent_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (more), button, FALSE, FALSE, 0);
  button = big_button (_("_Fermer mon coffre"), "changes-prevent-symbolic", FALSE);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (close_clicked_cb), self);
  gtk_box_pack_end (GTK_BOX (more), button, FALSE, FALSE, 0);

  /* Secondary actions in smaller type, so that the screen fits 1280 px. */
  gtk_container_foreach (GTK_CONTAINER (more), add_class_cb, (gpointer) "relais-secondary");
  gtk_box_pack_start (GTK_BOX (box), scrolled, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), actions, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), more, FALSE, FALSE, 0);
  return box;
}

/* ---- consent to a mediator ---- */

void
station_safe_page_consent (StationSafePage *self,
                           const char      *login,
                           int              minutes)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (login != NULL ? login : ""));
  Job *job;

  g_return_if_fail (STATION_IS_SAFE_PAGE (self));

  if (self->busy || !relais_safe_client_is_open (self->client))
    return;
  if (*trimmed == '\0')
    {
      set_status (self, _("Écrivez l'identifiant du médiateur. Il peut vous le dire."));
      return;
    }
  job = job_new (JOB_CONSENT);
  job->name = g_steal_pointer (&trimmed);
  job->remaining = minutes;
  set_status (self, _("Un instant…"));
  run_job (self, job);
}

static void
consent_ok_clicked_cb (StationSafePage *self)
{
  station_safe_page_consent (self, gtk_entry_get_text (GTK_ENTRY (self->consent_entry)),
                             gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->consent_15)) ? 15 : 30);
}

static void
consent_clicked_cb (StationSafePage *self)
{
  set_status (self, _("Le médiateur pourra voir vos documents, sans les changer, pendant le temps choisi."));
  show_screen (self, "consent");
  gtk_widget_grab_focus (self->consent_entry);
}

static GtkWidget *
screen_consent (StationSafePage *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label = gtk_label_new (_("Identifiant du médiateur"));
  GtkWidget *minutes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *thirty;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *ok = big_button (_("_Autoriser"), "emblem-ok-symbolic", TRUE);
  GtkWidget *back = big_button (_("_Retour à mes documents"), "go-up-symbolic", FALSE);

  self->consent_entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (self->consent_entry), 64);
  gtk_entry_set_width_chars (GTK_ENTRY (self->consent_entry), 14);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->consent_entry), "relais-big-entry");
  self->consent_15 = gtk_radio_button_new_with_label (NULL, _("15 minutes"));
  thirty = gtk_radio_button_new_with_label_from_widget (GTK_RADIO_BUTTON (self->consent_15), _("30 minutes"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (thirty), TRUE);
  gtk_box_pack_start (GTK_BOX (minutes), self->consent_15, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (minutes), thirty, FALSE, FALSE, 0);
  g_signal_connect_swapped (self->consent_entry, "activate", G_CALLBACK (consent_ok_clicked_cb), self);
  g_signal_connect_swapped (ok, "clicked", G_CALLBACK (consent_ok_clicked_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (buttons), ok, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (buttons), back, FALSE, FALSE, 0);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (grid, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->consent_entry, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new (_("Pendant")), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), minutes, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), buttons, 0, 2, 2, 1);
  return grid;
}

static GtkWidget *
screen_view (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *previous = big_button (_("Page _précédente"), "go-previous-symbolic", FALSE);
  GtkWidget *next = big_button (_("Page _suivante"), "go-next-symbolic", FALSE);
  GtkWidget *back = big_button (_("_Retour à mes documents"), "go-up-symbolic", TRUE);

  self->view_image = gtk_image_new ();
  self->view_label = gtk_label_new ("");
  g_object_set_data (G_OBJECT (previous), "step", GINT_TO_POINTER (-1));
  g_object_set_data (G_OBJECT (next), "step", GINT_TO_POINTER (1));
  g_signal_connect (previous, "clicked", G_CALLBACK (page_step_cb), self);
  g_signal_connect (next, "clicked", G_CALLBACK (page_step_cb), self);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (bar), previous, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (bar), self->view_label, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (bar), next, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (bar), back, FALSE, FALSE, 0);
  gtk_container_foreach (GTK_CONTAINER (bar), add_class_cb, (gpointer) "relais-secondary");
  gtk_box_pack_start (GTK_BOX (box), self->view_image, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), bar, FALSE, FALSE, 0);
  return box;
}

static GtkWidget *
screen_journal (StationSafePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *back = big_button (_("_Retour à mes documents"), "go-up-symbolic", TRUE);

  self->journal_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_add (GTK_CONTAINER (scrolled), self->journal_box);
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (back_to_list_cb), self);
  gtk_box_pack_start (GTK_BOX (box), scrolled, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), back, FALSE, FALSE, 0);
  return box;
}

static void
home_clicked_cb (StationSafePage *self)
{
  station_page_navigate (GTK_WIDGET (self), "home");
}

static gboolean
flush_cb (gpointer user_data)
{
  StationSafePage *self = user_data;

  if (!self->busy && relais_safe_client_get_pending (self->client) > 0)
    run_job (self, job_new (JOB_FLUSH));
  return G_SOURCE_CONTINUE;
}

static void
station_safe_page_dispose (GObject *object)
{
  StationSafePage *self = STATION_SAFE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->flush_id, g_source_remove);
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
station_safe_page_class_init (StationSafePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = station_safe_page_dispose;
  object_class->finalize = station_safe_page_finalize;
  station_page_class_add_navigate (object_class);
}

static void
station_safe_page_init (StationSafePage *self)
{
  self->cancellable = g_cancellable_new ();
  self->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_free);
  self->selected = -1;
  self->status_text = g_strdup ("");
}

GtkWidget *
station_safe_page_new (StationServices *services)
{
  StationSafePage *self = g_object_new (STATION_TYPE_SAFE_PAGE,
                                        "orientation", GTK_ORIENTATION_VERTICAL,
                                        "spacing", 16,
                                        "margin", 32,
                                        NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *title = gtk_label_new (_("Mon coffre-fort"));
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *lock = gtk_image_new_from_icon_name ("channel-secure-symbolic", GTK_ICON_SIZE_DIALOG);
  GtkWidget *home = big_button (_("_Accueil"), "go-home-symbolic", FALSE);
  GtkWidget *entries[7];

  self->services = services;
  self->client = relais_safe_client_new (services->link,
                                         relais_config_get (services->config, "station", "database"), &error);
  if (self->client == NULL)
    {
      /* The station's database is unusable: the safe still opens online. */
      g_message ("coffre : %s", error->message);
      self->client = relais_safe_client_new (services->link, NULL, NULL);
    }

  gtk_style_context_add_class (gtk_widget_get_style_context (title), "relais-title");
  g_signal_connect_swapped (home, "clicked", G_CALLBACK (home_clicked_cb), self);
  gtk_box_pack_start (GTK_BOX (header), lock, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (header), title, FALSE, FALSE, 0);
  gtk_box_pack_end (GTK_BOX (header), home, FALSE, FALSE, 0);

  self->status = gtk_label_new ("");
  gtk_label_set_line_wrap (GTK_LABEL (self->status), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->status), "relais-subtitle");

  self->stack = gtk_stack_new ();
  /* Each screen its own height: the keypad's must not size the list's. */
  gtk_stack_set_vhomogeneous (GTK_STACK (self->stack), FALSE);
  gtk_stack_add_named (GTK_STACK (self->stack), screen_login (self), "login");
  gtk_stack_add_named (GTK_STACK (self->stack), screen_code (self), "code");
  gtk_stack_add_named (GTK_STACK (self->stack), screen_category (self), "category");
  gtk_stack_add_named (GTK_STACK (self->stack), screen_list (self), "list");
  gtk_stack_add_named (GTK_STACK (self->stack), screen_view (self), "view");
  gtk_stack_add_named (GTK_STACK (self->stack), screen_journal (self), "journal");
  gtk_stack_add_named (GTK_STACK (self->stack), screen_consent (self), "consent");
  gtk_stack_add_named (GTK_STACK (self->stack), screen_pin (self), "pin");

  entries[0] = self->number_entry;
  entries[1] = self->pin_entry;
  entries[2] = self->code_entry;
  entries[3] = self->new_pin_entry;
  entries[4] = self->new_pin2_entry;
  entries[5] = self->change_pin_entry;
  entries[6] = self->change_pin2_entry;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect (entries[i], "focus-in-event", G_CALLBACK (entry_focus_cb), self);

  gtk_box_pack_start (GTK_BOX (self), header, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), self->status, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (self), self->stack, TRUE, TRUE, 0);
  gtk_widget_show_all (GTK_WIDGET (self));
  show_screen (self, "login");
  set_status (self, _("Tapez le numéro de votre carte, puis votre code secret."));

  /* Scans sealed while the hub was away leave as soon as it answers. */
  self->flush_id = g_timeout_add_seconds (FLUSH_SECONDS, flush_cb, self);
  flush_cb (self);
  return GTK_WIDGET (self);
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

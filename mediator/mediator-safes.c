/* mediator-safes.c: the console's "Coffres-forts" view. Creating and
 * unlocking are plain JSON calls; looking at a resident's documents goes
 * through RelaisSafeClient, which decrypts here on the console and blocks
 * on the network, so it runs in a thread. */

#include "mediator-safes.h"
#include "mediator-files.h"
#include "mediator-viewer.h"
#include "relais-safe-client.h"
#include "relais-safe-records.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <glib/gi18n.h>

struct _MediatorSafes {
  GtkBox              parent_instance;

  /* Template widgets */
  GtkWidget          *resident_entry;
  GtkWidget          *create_button;
  GtkWidget          *created_box;
  GtkWidget          *created_label;
  GtkWidget          *unlock_entry;
  GtkWidget          *recovery_entry;
  GtkWidget          *unlock_button;
  GtkWidget          *consult_entry;
  GtkWidget          *consult_button;
  GtkWidget          *until_label;
  GtkWidget          *documents;
  GtkWidget          *message;
  GtkWidget          *create_section;
  GtkWidget          *unlock_section;
  GtkWidget          *consult_section;

  /* Owned */
  GSimpleActionGroup *actions; /* "safes": what the buttons do */
  RelaisLink         *link;
  GCancellable       *cancellable;
  char               *number; /* the last safe created here */
  char               *code;
  char               *recovery;
  gint64              until;     /* end of the consent shown, ms; 0 for none */
  char               *consulted; /* the safe whose documents are listed */
  GPtrArray          *items;     /* RelaisSafeItem*: the documents listed */
  GPtrArray          *viewers;   /* MediatorViewer* open (borrowed: GTK owns them) */
  guint               n_documents;
  guint               busy;
  guint               tick_id;
  guint               code_id; /* hides the one-time code */
  guint               code_lifetime_ms;
};

/* The one-time code stays on screen this long, time to save the card. */
#define CODE_LIFETIME_MS (2 * 60 * 1000)

G_DEFINE_FINAL_TYPE (MediatorSafes, mediator_safes, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void        close_viewers (MediatorSafes *self);

static void
set_message (MediatorSafes *self,
             const char    *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
}

/* While a call is under way, « Créer », « Débloquer » and « Voir » wait. */
static void
set_calls_enabled (MediatorSafes *self,
                   gboolean       enabled)
{
  static const char * const names[] = { "create", "unlock", "consult" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), names[i])),
                                 enabled);
}

static void
set_busy (MediatorSafes *self,
          gboolean       busy)
{
  self->busy += busy ? 1 : -1;
  set_calls_enabled (self, self->busy == 0);
}

static const char *
error_text (GError *error)
{
  return g_error_matches (error, RELAIS_LINK_ERROR, RELAIS_LINK_ERROR_UNREACHABLE)
             ? _ ("Le hub ne répond pas. Réessayez dans un instant.")
             : error->message;
}

/* The same words as the station's category icons. */
static const char *
category_label (const char *category)
{
  static const struct {
    const char *id;
    const char *label;
  } labels[] = {
    { "identite", N_ ("Identité") },
    { "ressources", N_ ("Ressources") },
    { "logement", N_ ("Logement") },
    { "sante", N_ ("Santé") },
    { "impots", N_ ("Impôts") },
    { "famille", N_ ("Famille") },
    { "emploi", N_ ("Emploi") },
    { "autre", N_ ("Autre") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (category, labels[i].id) == 0)
      return _ (labels[i].label);
  return category != NULL ? category : "";
}

/* ---- the card ---- */

static void
show_text (cairo_t    *cr,
           const char *font,
           const char *text,
           double      x,
           double      y,
           double      width)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

gboolean
mediator_safes_write_card (const char *number,
                           const char *code,
                           const char *recovery,
                           const char *path,
                           GError    **error)
{
  /* A4 in points; the card itself is credit-card sized (85.6 × 54 mm) at
   * the top, to cut out, and the instructions stay on the sheet. */
  const double     page_w = 595.28, page_h = 841.89;
  const double     mm = 72 / 25.4;
  const double     card_x = 40, card_y = 40, card_w = 85.6 * mm * 2, card_h = 54 * mm * 2;
  cairo_surface_t *surface;
  cairo_status_t   status;
  cairo_t         *cr;

  g_return_val_if_fail (number != NULL && code != NULL && path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, page_w, page_h);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _ ("Carte du coffre-fort numérique"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Relais");
  cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 1.5);
  cairo_rectangle (cr, card_x, card_y, card_w, card_h);
  cairo_stroke (cr);
  show_text (cr, "Sans Bold 16", _ ("Mon coffre-fort numérique — Relais"), card_x + 18, card_y + 16, card_w - 36);
  show_text (cr, "Sans 12", _ ("Numéro du coffre"), card_x + 18, card_y + 62, card_w - 36);
  show_text (cr, "Monospace Bold 36", number, card_x + 18, card_y + 80, card_w - 36);
  show_text (cr, "Sans 12", _ ("Code de première ouverture"), card_x + 18, card_y + 150, card_w - 36);
  show_text (cr, "Monospace Bold 24", code, card_x + 18, card_y + 168, card_w - 36);
  show_text (cr, "Sans 10", _ ("Ce code ne sert qu'une fois. Ensuite, vous choisissez votre code secret."),
             card_x + 18, card_y + 214, card_w - 36);
  show_text (cr, "Sans Italic 9", _ ("Découpez la carte en suivant le trait."),
             card_x, card_y + card_h + 6, card_w);

  show_text (cr, "Sans Bold 18", _ ("Comment ouvrir votre coffre"), 40, 380, page_w - 80);
  show_text (cr, "Sans 11",
             _ ("1. À la borne Relais, touchez « Mon coffre-fort ».\n"
                "2. Tapez le numéro du coffre.\n"
                "3. Tapez le code de première ouverture.\n"
                "4. Choisissez un code secret de 4 à 8 chiffres. Ne le dites à personne.\n\n"
                "Vos papiers sont chiffrés. Personne ne peut les lire sans votre code secret.\n"
                "Un médiateur peut les voir seulement si vous êtes d'accord, à la borne.\n\n"
                "Après 5 codes faux, le coffre se bloque. Demandez alors à un médiateur de le débloquer.\n"
                "Gardez cette carte. Si vous la perdez, un médiateur vous aide."),
             40, 414, page_w - 80);
  if (recovery != NULL && *recovery != '\0')
    {
      /* Not on the card: someone who finds the card must not find it. */
      cairo_set_dash (cr, (const double[]) { 6, 4 }, 2, 0);
      cairo_rectangle (cr, 40, 652, page_w - 80, 160);
      cairo_stroke (cr);
      show_text (cr, "Sans Bold 13", _ ("Code de secours — à garder chez vous, pas avec la carte"),
                 56, 666, page_w - 112);
      show_text (cr, "Monospace Bold 24", recovery, 56, 712, page_w - 112);
      show_text (cr, "Sans 11",
                 _ ("Si votre coffre est bloqué plusieurs fois, le médiateur vous demandera ce code "
                    "pour le débloquer. Il n'ouvre pas le coffre : seul votre code secret l'ouvre."),
                 56, 758, page_w - 112);
    }

  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("Impossible d'écrire la carte dans %s : %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static void
save_card_clicked_cb (MediatorSafes *self)
{
  g_autofree char *name = g_strdup_printf ("carte-coffre-%s.pdf", self->number);
  g_autofree char *path = mediator_files_choose_save (GTK_WIDGET (self), _ ("Enregistrer la carte"), name);

  /* The code may have gone while the dialog was open. */
  if (path != NULL && self->code != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!mediator_safes_write_card (self->number, self->code, self->recovery, path, &error))
        set_message (self, error->message);
      else
        {
          g_autofree char *text = g_strdup_printf (_ ("Carte enregistrée : %s. Imprimez-la et donnez-la à la personne."), path);

          set_message (self, text);
        }
    }
}

/* ---- the one-time code ---- */

/* The code opens the safe once: it must not wait on screen for the next
 * person at the desk, nor for the next mediator. */
static void
forget_code (MediatorSafes *self)
{
  g_clear_handle_id (&self->code_id, g_source_remove);
  if (self->code != NULL)
    memset (self->code, 0, strlen (self->code));
  g_clear_pointer (&self->code, g_free);
  if (self->recovery != NULL)
    memset (self->recovery, 0, strlen (self->recovery));
  g_clear_pointer (&self->recovery, g_free);
  g_clear_pointer (&self->number, g_free);
  gtk_label_set_text (GTK_LABEL (self->created_label), "");
  gtk_widget_hide (self->created_box);
}

static gboolean
code_expired_cb (gpointer user_data)
{
  MediatorSafes *self = user_data;

  self->code_id = 0;
  forget_code (self);
  set_message (self, _ ("Le code de première ouverture n'est plus affiché. Si la carte n'a pas été enregistrée, "
                        "créez un nouveau coffre."));
  return G_SOURCE_REMOVE;
}

void
mediator_safes_hide_code (MediatorSafes *self)
{
  g_return_if_fail (MEDIATOR_IS_SAFES (self));
  forget_code (self);
  set_message (self, NULL);
}

void
mediator_safes_set_code_lifetime (MediatorSafes *self,
                                  guint          ms)
{
  g_return_if_fail (MEDIATOR_IS_SAFES (self));
  self->code_lifetime_ms = ms;
}

/* ---- create ---- */

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MediatorSafes) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = relais_link_request_finish (RELAIS_LINK (object), result, &error);
  g_autoptr(RelaisSafeCreated) created = NULL;
  g_autofree char *markup = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (answer != NULL)
    created = relais_safe_created_from_reply (answer, &error);
  if (created == NULL)
    {
      set_message (self, error_text (error));
      return;
    }
  forget_code (self);
  /* The codes move here, never copied: forget_code wipes them. */
  self->number = g_steal_pointer (&created->number);
  self->code = g_steal_pointer (&created->code);
  self->recovery = g_steal_pointer (&created->recovery);
  markup = g_markup_printf_escaped (_ ("Coffre n° <span size='xx-large' weight='bold' font_family='monospace'>%s</span>\n"
                                       "Code de première ouverture : <span size='x-large' weight='bold' font_family='monospace'>%s</span>\n"
                                       "Code de secours : <span weight='bold' font_family='monospace'>%s</span>\n"
                                       "<small>Ces codes ne sont montrés qu'une fois, deux minutes : enregistrez la carte maintenant.</small>"),
                                    self->number, self->code, self->recovery);
  gtk_label_set_markup (GTK_LABEL (self->created_label), markup);
  gtk_widget_show (self->created_box);
  gtk_entry_set_text (GTK_ENTRY (self->resident_entry), "");
  set_message (self, _ ("Coffre créé."));
  self->code_id = g_timeout_add (self->code_lifetime_ms, code_expired_cb, self);
}

void
mediator_safes_create (MediatorSafes *self,
                       const char    *resident)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *trimmed = g_strstrip (g_strdup (resident != NULL ? resident : ""));

  g_return_if_fail (MEDIATOR_IS_SAFES (self));

  json_builder_begin_object (builder);
  if (*trimmed != '\0')
    {
      json_builder_set_member_name (builder, "resident");
      json_builder_add_string_value (builder, trimmed);
    }
  json_builder_end_object (builder);
  set_message (self, _ ("Création du coffre…"));
  set_busy (self, TRUE);
  relais_link_request_async (self->link, "/safes/create", json_builder_get_root (builder), self->cancellable,
                             create_done_cb, g_object_ref (self));
}

static void
create_clicked_cb (MediatorSafes *self)
{
  mediator_safes_create (self, gtk_entry_get_text (GTK_ENTRY (self->resident_entry)));
}

/* ---- unlock ---- */

static gboolean
valid_number (MediatorSafes *self,
              const char    *number)
{
  gsize length = strlen (number);

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (number[i]))
      length = 0;
  if (length < 6 || length > 16)
    {
      set_message (self, _ ("Le numéro du coffre est fait de chiffres seulement : recopiez-le depuis la carte."));
      return FALSE;
    }
  return TRUE;
}

static void
unlock_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MediatorSafes) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = relais_link_request_finish (RELAIS_LINK (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (answer == NULL)
    {
      set_message (self, error_text (error));
      return;
    }
  set_message (self, _ ("Coffre débloqué. La personne peut de nouveau taper son code secret."));
  gtk_entry_set_text (GTK_ENTRY (self->unlock_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->recovery_entry), "");
}

void
mediator_safes_unlock (MediatorSafes *self,
                       const char    *number,
                       const char    *recovery)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (number));
  g_autofree char *code = g_strstrip (g_strdup (recovery != NULL ? recovery : ""));
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  JsonObject      *body;

  g_return_if_fail (MEDIATOR_IS_SAFES (self));

  if (!valid_number (self, trimmed))
    return;
  escaped = g_uri_escape_string (trimmed, NULL, FALSE);
  path = g_strdup_printf ("/safes/%s/unlock", escaped);
  body = json_object_new ();
  if (*code != '\0')
    json_object_set_string_member (body, "recovery", code);
  set_message (self, _ ("Déblocage…"));
  set_busy (self, TRUE);
  /* A body (even an empty object) makes it a POST. */
  relais_link_request_async (self->link, path, json_node_init_object (json_node_alloc (), body),
                             self->cancellable, unlock_done_cb, g_object_ref (self));
  json_object_unref (body);
}

static void
unlock_clicked_cb (MediatorSafes *self)
{
  mediator_safes_unlock (self, gtk_entry_get_text (GTK_ENTRY (self->unlock_entry)),
                         gtk_entry_get_text (GTK_ENTRY (self->recovery_entry)));
}

/* ---- consult under consent ---- */

typedef struct {
  RelaisLink *link;
  char       *number;
  GPtrArray  *items; /* RelaisSafeItem* */
  gint64      until;
} Consult;

static void
consult_free (Consult *consult)
{
  g_clear_object (&consult->link);
  g_free (consult->number);
  g_clear_pointer (&consult->items, g_ptr_array_unref);
  g_free (consult);
}

static void
consult_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  Consult *consult = data;
  g_autoptr(RelaisSafeClient) client = NULL;
  GError *error = NULL;

  client = relais_safe_client_new (consult->link, NULL, &error);
  if (client == NULL
      || !relais_safe_client_open_consented (client, consult->number, &error)
      || (consult->items = relais_safe_client_list (client, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  consult->until = relais_safe_client_get_consent_until (client);
  /* The keys are wiped when the client goes; opening a document asks the
   * hub again, under the same consent. */
  g_task_return_boolean (task, TRUE);
}

static void
update_until (MediatorSafes *self)
{
  gint64           left = self->until - g_get_real_time () / 1000;
  g_autofree char *text = NULL;

  if (self->until == 0)
    text = g_strdup ("");
  else if (left <= 0)
    text = g_strdup (_ ("L'accord de la personne a pris fin. Elle peut en donner un nouveau à la borne."));
  else
    text = g_strdup_printf (_ ("Accord de la personne : encore %d min."), (int) ((left + 59999) / 60000));
  gtk_label_set_text (GTK_LABEL (self->until_label), text);
  if (self->until != 0 && left <= 0)
    {
      /* What the hub no longer allows is not left on screen. */
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->documents));

      for (GList *l = children; l != NULL; l = l->next)
        gtk_widget_destroy (l->data);
      self->n_documents = 0;
      g_clear_pointer (&self->items, g_ptr_array_unref);
      close_viewers (self);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  update_until (user_data);
  return G_SOURCE_CONTINUE;
}

/* What the consent no longer covers is not left open either. */
static void
close_viewers (MediatorSafes *self)
{
  while (self->viewers->len > 0)
    gtk_widget_destroy (g_ptr_array_index (self->viewers, self->viewers->len - 1));
}

static void
viewer_destroyed_cb (GtkWidget     *viewer,
                     MediatorSafes *self)
{
  g_ptr_array_remove (self->viewers, viewer);
}

typedef struct {
  RelaisLink *link;
  char       *number;
  char       *id;
  char       *name; /* decrypted with the document */
  GBytes     *plain;
} OpenDocument;

static void
open_document_free (OpenDocument *open)
{
  g_clear_object (&open->link);
  g_free (open->number);
  g_free (open->id);
  g_free (open->name);
  g_clear_pointer (&open->plain, g_bytes_unref);
  g_free (open);
}

/* The hub journals each document a mediator opens: the resident reads it
 * in « Qui a ouvert mon coffre ? ». */
static void
open_document_thread (GTask        *task,
                      gpointer      source,
                      gpointer      data,
                      GCancellable *cancellable)
{
  OpenDocument *open = data;
  g_autoptr(RelaisSafeClient) client = NULL;
  GError *error = NULL;

  client = relais_safe_client_new (open->link, NULL, &error);
  if (client == NULL
      || !relais_safe_client_open_consented (client, open->number, &error)
      || (open->plain = relais_safe_client_fetch (client, open->id, &open->name, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* The plaintext is wiped once drawn: it lives in memory only. */
static void
wipe_bytes (GBytes *bytes)
{
  gsize    size = 0;
  gpointer data = g_bytes_unref_to_data (bytes, &size);

  memset (data, 0, size);
  g_free (data);
}

static void
open_document_done_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(MediatorSafes) self = user_data;
  g_autoptr(GError) error = NULL;
  OpenDocument   *open = g_task_get_task_data (G_TASK (result));
  GtkWidget      *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  MediatorViewer *viewer;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      set_message (self, error_text (error));
      return;
    }
  set_busy (self, FALSE);
  viewer = mediator_viewer_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                open->name != NULL && *open->name != '\0' ? open->name : _ ("(sans nom)"),
                                open->plain, &error);
  wipe_bytes (g_steal_pointer (&open->plain));
  if (viewer == NULL)
    {
      set_message (self, error->message);
      return;
    }
  g_ptr_array_add (self->viewers, viewer);
  g_signal_connect (viewer, "destroy", G_CALLBACK (viewer_destroyed_cb), self);
  set_message (self, NULL);
}

void
mediator_safes_open_document (MediatorSafes *self,
                              guint          index)
{
  g_autoptr(GTask) task = NULL;
  OpenDocument *open;

  g_return_if_fail (MEDIATOR_IS_SAFES (self));
  if (self->items == NULL || index >= self->items->len || self->consulted == NULL)
    return;
  open = g_new0 (OpenDocument, 1);
  open->link = g_object_ref (self->link);
  open->number = g_strdup (self->consulted);
  open->id = g_strdup (((RelaisSafeItem *) g_ptr_array_index (self->items, index))->id);
  task = g_task_new (NULL, self->cancellable, open_document_done_cb, g_object_ref (self));
  g_task_set_task_data (task, open, (GDestroyNotify) open_document_free);
  set_message (self, _ ("Ouverture du document…"));
  set_busy (self, TRUE);
  g_task_run_in_thread (task, open_document_thread);
}

guint
mediator_safes_get_n_viewers (MediatorSafes *self)
{
  g_return_val_if_fail (MEDIATOR_IS_SAFES (self), 0);
  return self->viewers->len;
}

MediatorViewer *
mediator_safes_get_viewer (MediatorSafes *self,
                           guint          index)
{
  g_return_val_if_fail (MEDIATOR_IS_SAFES (self), NULL);
  return index < self->viewers->len ? g_ptr_array_index (self->viewers, index) : NULL;
}

static void
open_clicked_cb (GtkButton     *button,
                 MediatorSafes *self)
{
  mediator_safes_open_document (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

static void
show_documents (MediatorSafes *self,
                GPtrArray     *items)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->documents));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  close_viewers (self);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (items != NULL)
    self->items = g_ptr_array_ref (items);
  self->n_documents = items != NULL ? items->len : 0;
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      RelaisSafeItem *item = g_ptr_array_index (items, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (item->created_at / 1000);
      g_autofree char *when = g_date_time_format (at, "%d/%m/%Y %H:%M");
      GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
      GtkWidget       *name = gtk_label_new (*item->name != '\0' ? item->name : _ ("(sans nom)"));
      GtkWidget       *category = gtk_label_new (category_label (item->category));
      GtkWidget       *date = gtk_label_new (when);
      GtkWidget       *open = gtk_button_new_with_mnemonic (_ ("_Ouvrir"));
      g_autofree char *open_name = g_strdup_printf (_ ("Ouvrir « %s »"), gtk_label_get_text (GTK_LABEL (name)));

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      g_object_set_data (G_OBJECT (open), "index", GUINT_TO_POINTER (i));
      atk_object_set_name (gtk_widget_get_accessible (open), open_name);
      g_signal_connect (open, "clicked", G_CALLBACK (open_clicked_cb), self);
      gtk_box_pack_start (GTK_BOX (box), name, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), category, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (box), date, FALSE, FALSE, 0);
      if (item->deposited)
        gtk_box_pack_start (GTK_BOX (box), gtk_label_new (_ ("déposé sans code")), FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (box), open, FALSE, FALSE, 0);
      g_object_set (box, "margin", 6, NULL);
      gtk_widget_show_all (box);
      gtk_container_add (GTK_CONTAINER (self->documents), box);
    }
}

static void
consult_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MediatorSafes) self = user_data;
  g_autoptr(GError) error = NULL;
  Consult *consult = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      self->until = 0;
      show_documents (self, NULL);
      update_until (self);
      set_message (self, error_text (error));
      return;
    }
  set_busy (self, FALSE);
  self->until = consult->until;
  g_free (self->consulted);
  self->consulted = g_strdup (consult->number);
  show_documents (self, consult->items);
  update_until (self);
  set_message (self, consult->items->len == 0 ? _ ("Le coffre est vide.") : "");
}

void
mediator_safes_consult (MediatorSafes *self,
                        const char    *number)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (number));
  Consult         *consult;

  g_return_if_fail (MEDIATOR_IS_SAFES (self));

  if (!valid_number (self, trimmed))
    return;
  consult = g_new0 (Consult, 1);
  consult->link = g_object_ref (self->link);
  consult->number = g_steal_pointer (&trimmed);
  task = g_task_new (NULL, self->cancellable, consult_done_cb, g_object_ref (self));
  g_task_set_task_data (task, consult, (GDestroyNotify) consult_free);
  set_message (self, _ ("Demande au hub…"));
  set_busy (self, TRUE);
  g_task_run_in_thread (task, consult_thread);
}

static void
consult_clicked_cb (MediatorSafes *self)
{
  mediator_safes_consult (self, gtk_entry_get_text (GTK_ENTRY (self->consult_entry)));
}

/* ---- logout ---- */

void
mediator_safes_reset (MediatorSafes *self)
{
  g_return_if_fail (MEDIATOR_IS_SAFES (self));

  /* Answers to the previous mediator's calls are dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = 0;
  set_calls_enabled (self, TRUE);
  forget_code (self);
  /* A consent is given to one mediator: the next sees nothing of it. */
  self->until = 0;
  g_clear_pointer (&self->consulted, g_free);
  show_documents (self, NULL);
  update_until (self);
  gtk_entry_set_text (GTK_ENTRY (self->resident_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->unlock_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->recovery_entry), "");
  gtk_entry_set_text (GTK_ENTRY (self->consult_entry), "");
  set_message (self, NULL);
}

/* ---- accessors ---- */

const char *
mediator_safes_get_number (MediatorSafes *self)
{
  return self->number;
}

const char *
mediator_safes_get_code (MediatorSafes *self)
{
  return self->code;
}

const char *
mediator_safes_get_recovery (MediatorSafes *self)
{
  return self->recovery;
}

guint
mediator_safes_get_n_documents (MediatorSafes *self)
{
  return self->n_documents;
}

const char *
mediator_safes_get_message (MediatorSafes *self)
{
  return gtk_label_get_text (GTK_LABEL (self->message));
}

gboolean
mediator_safes_is_busy (MediatorSafes *self)
{
  return self->busy > 0;
}

/* ---- widget ---- */

/* A section's title and what it is for, in one label: two sentences to
 * translate, joined here. */
static void
set_section (GtkWidget  *label,
             const char *title,
             const char *explanation)
{
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>  <small>%s</small>", title, explanation);

  gtk_label_set_markup (GTK_LABEL (label), markup);
}

static void
action_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  MediatorSafes *self = MEDIATOR_SAFES (user_data);
  const char    *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "create"))
    create_clicked_cb (self);
  else if (g_str_equal (name, "save-card"))
    save_card_clicked_cb (self);
  else if (g_str_equal (name, "hide-code"))
    mediator_safes_hide_code (self);
  else if (g_str_equal (name, "unlock"))
    unlock_clicked_cb (self);
  else if (g_str_equal (name, "consult"))
    consult_clicked_cb (self);
  else
    g_assert_not_reached ();
}

static void
mediator_safes_dispose (GObject *object)
{
  MediatorSafes *self = MEDIATOR_SAFES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->code_id, g_source_remove);
  if (self->viewers != NULL)
    close_viewers (self);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->link);
  G_OBJECT_CLASS (mediator_safes_parent_class)->dispose (object);
}

static void
mediator_safes_finalize (GObject *object)
{
  MediatorSafes *self = MEDIATOR_SAFES (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->actions);
  g_ptr_array_unref (self->viewers);
  g_free (self->consulted);
  g_free (self->number);
  if (self->code != NULL)
    memset (self->code, 0, strlen (self->code));
  g_free (self->code);
  if (self->recovery != NULL)
    memset (self->recovery, 0, strlen (self->recovery));
  g_free (self->recovery);
  G_OBJECT_CLASS (mediator_safes_parent_class)->finalize (object);
}

static void
mediator_safes_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MediatorSafes *self = MEDIATOR_SAFES (object);

  switch (prop_id)
    {
    case PROP_LINK:
      self->link = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_safes_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MediatorSafes *self = MEDIATOR_SAFES (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mediator_safes_class_init (MediatorSafesClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mediator_safes_dispose;
  object_class->finalize = mediator_safes_finalize;
  object_class->set_property = mediator_safes_set_property;
  object_class->get_property = mediator_safes_get_property;

  /* The console's link: the safes' calls go through the mediator's session. */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-safes.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, resident_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, create_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, created_box);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, created_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, unlock_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, recovery_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, consult_entry);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, consult_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, until_label);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, documents);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, message);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, create_section);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, unlock_section);
  gtk_widget_class_bind_template_child (widget_class, MediatorSafes, consult_section);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlock_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, consult_clicked_cb);
}

static void
mediator_safes_init (MediatorSafes *self)
{
  /* What the buttons do, so that anything pressing them (a person, a
   * screen reader, a test) goes the same way. */
  static const GActionEntry actions[] = {
    { "create", action_cb },
    { "save-card", action_cb },
    { "hide-code", action_cb },
    { "unlock", action_cb },
    { "consult", action_cb },
  };

  self->cancellable = g_cancellable_new ();
  self->code_lifetime_ms = CODE_LIFETIME_MS;
  self->viewers = g_ptr_array_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), actions, G_N_ELEMENTS (actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "safes", G_ACTION_GROUP (self->actions));
  gtk_widget_init_template (GTK_WIDGET (self));

  set_section (self->create_section, _ ("Créer un coffre"), _ ("pour toute personne, domiciliée ici ou non"));
  set_section (self->unlock_section, _ ("Débloquer un coffre"),
               _ ("après 5 codes secrets faux ; la personne est devant vous. Après deux déblocages sans "
                  "le bon code secret, il faut son code de secours (ou un responsable)"));
  set_section (self->consult_section, _ ("Voir les documents d'une personne"),
               _ ("seulement pendant l'accord qu'elle a donné à la borne, à votre nom, "
                  "et ceux qui étaient dans son coffre à ce moment"));
  self->tick_id = g_timeout_add_seconds (15, tick_cb, self);
}

GtkWidget *
mediator_safes_new (RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  return g_object_new (MEDIATOR_TYPE_SAFES, "link", link, NULL);
}

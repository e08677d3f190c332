/* mediator-mail-docs.c: supporting documents of a domiciled person: one
 * page scanned on the console PC (the station's SANE driver), kept in a
 * RelaisScanBook as the station's scan and copy pages keep theirs, made a
 * PDF, sent raw to POST /mail/people/NUMBER/documents?label=…; the list,
 * and a small preview of one (poppler). The scan, the PDF and the transfers
 * run in a worker thread: the window never freezes. */

#include "mediator-mail-docs.h"
#include "relais-pdf.h"
#include "relais-scan-book.h"
#include "relais-limits.h"
#include "relais-mail-records.h"

#include <glib/gi18n.h>
#include <poppler.h>

#define PREVIEW_WIDTH 240

struct _MediatorMailDocs {
  GtkBox          parent_instance;

  /* Template widgets */
  GtkWidget      *label_combo;
  GtkWidget      *scan_button;
  GtkWidget      *message;
  GtkWidget      *list;
  GtkWidget      *preview;

  /* Owned */
  RelaisLink     *link;
  RelaisScanner  *scanner;
  GCancellable   *cancellable;
  RelaisScanBook *book; /* the page being scanned, until it is sent */
  char           *number;
  GPtrArray      *ids;   /* gint64 ids of the listed documents, boxed */
  GPtrArray      *lines; /* char*: each line as shown */
  int             preview_pages;
  guint           busy;
};

G_DEFINE_FINAL_TYPE (MediatorMailDocs, mediator_mail_docs, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LINK,
  N_PROPS
};

static GParamSpec        *properties[N_PROPS];

static const char * const label_ids[] = { "identity", "resources", "certificate", "other", NULL };
static const char * const label_names[] = {
  N_ ("Pièce d'identité"), N_ ("Justificatif de ressources"), N_ ("Attestation"), N_ ("Autre"), NULL
};

static const char *
label_name (const char *id)
{
  for (guint i = 0; label_ids[i] != NULL; i++)
    if (g_strcmp0 (id, label_ids[i]) == 0)
      return _ (label_names[i]);
  return id != NULL ? id : "";
}

static void
set_message (MediatorMailDocs *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
}

/* ---- work in a thread ---- */

/* JOB_SCAN scans the page (the book takes it on the main thread);
 * JOB_SEND makes the book's pages a PDF and posts it. */
typedef enum {
  JOB_LIST,
  JOB_SCAN,
  JOB_SEND,
  JOB_VIEW
} JobKind;

typedef struct {
  JobKind        kind;
  RelaisLink    *link;
  RelaisScanner *scanner; /* JOB_SCAN; NULL: open the first device */
  RelaisPage    *page;    /* JOB_SCAN: the page scanned */
  GPtrArray     *pages;   /* JOB_SEND: RelaisPage, referenced */
  char          *path;
  GBytes        *reply;
  long           status;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->link);
  g_clear_object (&job->scanner);
  g_clear_pointer (&job->page, relais_page_unref);
  g_clear_pointer (&job->pages, g_ptr_array_unref);
  g_free (job->path);
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_free (job);
}

/* The hub's refusal as a sentence: its own or the status. */
static void
set_hub_error (GError **error, GBytes *reply, long status)
{
  g_autofree char *message = reply != NULL ? relais_link_refusal_message (g_bytes_get_data (reply, NULL),
                                                                          g_bytes_get_size (reply))
                                           : NULL;

  if (message != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Le serveur a refusé (%ld)."), status);
}

static void
job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;

  if (job->kind == JOB_SCAN)
    {
      RelaisScanOptions options = { RELAIS_SCAN_GRAY, 200, RELAIS_SCAN_SOURCE_DEFAULT };

      if (job->scanner == NULL && (job->scanner = relais_scanner_sane_new (NULL, &error)) == NULL)
        {
          /* Most consoles have none: say so plainly. */
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                                   g_error_matches (error, RELAIS_SCANNER_ERROR, RELAIS_SCANNER_ERROR_NO_DEVICE)
                                       ? _ ("Aucun scanner n'est branché sur ce poste. Branchez-en un, ou numérisez la pièce sur une borne.")
                                       : error->message);
          return;
        }
      job->page = relais_scanner_scan_page (job->scanner, &options, NULL, NULL, cancellable, &error);
      if (job->page == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("La numérisation a échoué : %s"), error->message);
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (job->kind == JOB_SEND)
    {
      pdf = relais_pdf_write_bytes (job->pages, 0, &error);
      if (pdf == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  job->reply = relais_link_transfer (job->link, pdf != NULL ? "POST" : "GET", job->path, pdf, NULL,
                                     RELAIS_MEDIATOR_MAX_MAIL_DOCUMENT_ANSWER, &job->status, &error);
  if (job->reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (job->status != 200)
    {
      set_hub_error (&error, job->reply, job->status);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void list_documents (MediatorMailDocs *self);
static void run (MediatorMailDocs *self, JobKind kind, char *path);
static void view_clicked_cb (GtkButton *button, MediatorMailDocs *self);

static void
show_list (MediatorMailDocs *self, GBytes *reply)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->list));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = relais_mail_documents_from_bytes (reply, &error);

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  g_ptr_array_set_size (self->ids, 0);
  g_ptr_array_set_size (self->lines, 0);
  for (guint i = 0; docs != NULL && i < docs->len; i++)
    {
      const RelaisMailDocument *d = g_ptr_array_index (docs, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (d->added_at / 1000);
      g_autofree char *day = g_date_time_format (at, "%d/%m/%Y");
      g_autofree char *size = relais_pdf_format_size (d->size);
      char            *line = g_strdup_printf ("%s — %s — %s", label_name (d->label), day, size);
      GtkWidget       *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget       *text = gtk_label_new (line);
      GtkWidget       *view = gtk_button_new_with_label (_ ("Voir"));

      gtk_label_set_xalign (GTK_LABEL (text), 0);
      g_object_set_data (G_OBJECT (view), "index", GUINT_TO_POINTER (i));
      g_signal_connect (view, "clicked", G_CALLBACK (view_clicked_cb), self);
      gtk_box_pack_start (GTK_BOX (row), text, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (row), view, FALSE, FALSE, 0);
      gtk_container_add (GTK_CONTAINER (self->list), row);
      g_ptr_array_add (self->ids, g_memdup2 (&d->id, sizeof (gint64)));
      g_ptr_array_add (self->lines, line);
    }
  /* An unreadable list is said as such, not shown as an empty one. */
  if (docs == NULL)
    gtk_container_add (GTK_CONTAINER (self->list), gtk_label_new (error->message));
  else if (self->ids->len == 0)
    gtk_container_add (GTK_CONTAINER (self->list), gtk_label_new (_ ("Aucune pièce numérisée.")));
  gtk_widget_show_all (self->list);
}

static void
show_preview (MediatorMailDocs *self, GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  /* This poppler-glib has no g_autoptr for its types. */
  PopplerDocument *doc = poppler_document_new_from_bytes (pdf, NULL, &error);
  PopplerPage     *page;
  cairo_surface_t *surface;
  cairo_t         *cr;
  double           w, h, scale;

  self->preview_pages = 0;
  if (doc == NULL || poppler_document_get_n_pages (doc) < 1)
    {
      set_message (self, _ ("Cette pièce ne s'ouvre pas."));
      g_clear_object (&doc);
      return;
    }
  self->preview_pages = poppler_document_get_n_pages (doc);
  page = poppler_document_get_page (doc, 0);
  poppler_page_get_size (page, &w, &h);
  scale = PREVIEW_WIDTH / w;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PREVIEW_WIDTH, (int) (h * scale));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  g_object_unref (page);
  g_object_unref (doc);
  gtk_image_set_from_surface (GTK_IMAGE (self->preview), surface);
  cairo_surface_destroy (surface);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MediatorMailDocs *self = MEDIATOR_MAIL_DOCS (source);
  Job              *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->busy--;
  gtk_widget_set_sensitive (self->scan_button, TRUE);
  /* Sent or not, the page is gone: the next scan starts a new document. */
  if (job->kind == JOB_SEND)
    relais_scan_book_clear (self->book);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message);
      return;
    }
  if (job->kind == JOB_LIST)
    show_list (self, job->reply);
  else if (job->kind == JOB_VIEW)
    show_preview (self, job->reply);
  else if (job->kind == JOB_SCAN)
    {
      /* One page, one document, sent to the person the scan was for (the
       * path says so). */
      gtk_widget_set_sensitive (self->scan_button, FALSE);
      relais_scan_book_clear (self->book);
      relais_scan_book_append (self->book, job->page);
      run (self, JOB_SEND, g_steal_pointer (&job->path));
    }
  else
    {
      set_message (self, _ ("Pièce numérisée et enregistrée."));
      list_documents (self);
    }
}

static void
run (MediatorMailDocs *self, JobKind kind, char *path)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, job_done, NULL);
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->link = g_object_ref (self->link);
  job->path = path;
  if (kind == JOB_SCAN && self->scanner != NULL)
    job->scanner = g_object_ref (self->scanner);
  if (kind == JOB_SEND)
    {
      GPtrArray *pages = relais_scan_book_get_pages (self->book);

      /* The worker's own references: the book may change meanwhile. */
      job->pages = g_ptr_array_new_full (pages->len, (GDestroyNotify) relais_page_unref);
      for (guint i = 0; i < pages->len; i++)
        g_ptr_array_add (job->pages, relais_page_ref (g_ptr_array_index (pages, i)));
    }
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  self->busy++;
  g_task_run_in_thread (task, job_thread);
}

static char *
documents_path (MediatorMailDocs *self, const char *tail)
{
  g_autofree char *escaped = g_uri_escape_string (self->number, NULL, FALSE);

  return g_strdup_printf ("/mail/people/%s/documents%s", escaped, tail);
}

static void
list_documents (MediatorMailDocs *self)
{
  run (self, JOB_LIST, documents_path (self, ""));
}

/* ---- public ---- */

void
mediator_mail_docs_set_person (MediatorMailDocs *self,
                               const char       *number)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_DOCS (self));
  if (g_strcmp0 (number, self->number) == 0)
    return;
  g_free (self->number);
  self->number = g_strdup (number);
  set_message (self, NULL);
  gtk_image_clear (GTK_IMAGE (self->preview));
  self->preview_pages = 0;
  if (number != NULL)
    list_documents (self);
  else
    {
      /* Nobody: nothing of the last person stays (logout). */
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->list));

      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      for (GList *l = children; l != NULL; l = l->next)
        gtk_widget_destroy (l->data);
      g_ptr_array_set_size (self->ids, 0);
      g_ptr_array_set_size (self->lines, 0);
      relais_scan_book_clear (self->book);
    }
}

void
mediator_mail_docs_set_scanner (MediatorMailDocs *self,
                                RelaisScanner    *scanner)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_DOCS (self));
  g_set_object (&self->scanner, scanner);
}

void
mediator_mail_docs_set_label (MediatorMailDocs *self,
                              const char       *label)
{
  g_return_if_fail (MEDIATOR_IS_MAIL_DOCS (self));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->label_combo), label);
}

void
mediator_mail_docs_scan (MediatorMailDocs *self)
{
  g_autofree char *tail = NULL;

  g_return_if_fail (MEDIATOR_IS_MAIL_DOCS (self));
  if (self->number == NULL)
    {
      set_message (self, _ ("Ouvrez d'abord la fiche de la personne."));
      return;
    }
  set_message (self, _ ("Numérisation en cours…"));
  gtk_widget_set_sensitive (self->scan_button, FALSE);
  tail = g_strdup_printf ("?label=%s", gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->label_combo)));
  run (self, JOB_SCAN, documents_path (self, tail));
}

void
mediator_mail_docs_view (MediatorMailDocs *self,
                         guint             index)
{
  g_autofree char *tail = NULL;

  g_return_if_fail (MEDIATOR_IS_MAIL_DOCS (self));
  g_return_if_fail (index < self->ids->len);
  tail = g_strdup_printf ("/%" G_GINT64_FORMAT, *(gint64 *) g_ptr_array_index (self->ids, index));
  run (self, JOB_VIEW, documents_path (self, tail));
}

guint
mediator_mail_docs_get_n_documents (MediatorMailDocs *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_DOCS (self), 0);
  return self->ids->len;
}

const char *
mediator_mail_docs_get_line (MediatorMailDocs *self,
                             guint             index)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_DOCS (self) && index < self->lines->len, NULL);
  return g_ptr_array_index (self->lines, index);
}

int
mediator_mail_docs_get_preview_pages (MediatorMailDocs *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_DOCS (self), 0);
  return self->preview_pages;
}

const char *
mediator_mail_docs_get_message (MediatorMailDocs *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_DOCS (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

gboolean
mediator_mail_docs_is_busy (MediatorMailDocs *self)
{
  g_return_val_if_fail (MEDIATOR_IS_MAIL_DOCS (self), FALSE);
  return self->busy > 0;
}

/* ---- construction ---- */

static void
view_clicked_cb (GtkButton *button, MediatorMailDocs *self)
{
  mediator_mail_docs_view (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

static void
mediator_mail_docs_dispose (GObject *object)
{
  MediatorMailDocs *self = MEDIATOR_MAIL_DOCS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->link);
  g_clear_object (&self->scanner);
  G_OBJECT_CLASS (mediator_mail_docs_parent_class)->dispose (object);
}

static void
mediator_mail_docs_finalize (GObject *object)
{
  MediatorMailDocs *self = MEDIATOR_MAIL_DOCS (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->book);
  g_free (self->number);
  g_ptr_array_unref (self->ids);
  g_ptr_array_unref (self->lines);
  G_OBJECT_CLASS (mediator_mail_docs_parent_class)->finalize (object);
}

static void
mediator_mail_docs_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MediatorMailDocs *self = MEDIATOR_MAIL_DOCS (object);

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
mediator_mail_docs_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MediatorMailDocs *self = MEDIATOR_MAIL_DOCS (object);

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
mediator_mail_docs_class_init (MediatorMailDocsClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mediator_mail_docs_dispose;
  object_class->finalize = mediator_mail_docs_finalize;
  object_class->set_property = mediator_mail_docs_set_property;
  object_class->get_property = mediator_mail_docs_get_property;

  /* The console's link: the documents are the hub's. */
  properties[PROP_LINK] =
      g_param_spec_object ("link", NULL, NULL, RELAIS_TYPE_LINK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/relais/mediator/ui/mediator-mail-docs.ui");
  gtk_widget_class_bind_template_child (widget_class, MediatorMailDocs, label_combo);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailDocs, scan_button);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailDocs, message);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailDocs, list);
  gtk_widget_class_bind_template_child (widget_class, MediatorMailDocs, preview);
  gtk_widget_class_bind_template_callback_full (widget_class, "scan_clicked_cb", G_CALLBACK (mediator_mail_docs_scan));
}

static void
mediator_mail_docs_init (MediatorMailDocs *self)
{
  self->cancellable = g_cancellable_new ();
  self->book = relais_scan_book_new ();
  self->ids = g_ptr_array_new_with_free_func (g_free);
  self->lines = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; label_ids[i] != NULL; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->label_combo), label_ids[i], _ (label_names[i]));
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->label_combo), 0);
}

GtkWidget *
mediator_mail_docs_new (RelaisLink *link)
{
  g_return_val_if_fail (RELAIS_IS_LINK (link), NULL);

  return g_object_new (MEDIATOR_TYPE_MAIL_DOCS, "link", link, NULL);
}

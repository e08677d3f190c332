/* mediator-viewer.h: a window that shows a document the console holds in
 * memory only (a PDF or a picture), page after page, with no way to save
 * or print it: what a resident's consent allows is to look. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MEDIATOR_VIEWER_ERROR (mediator_viewer_error_quark ())
typedef enum {
  MEDIATOR_VIEWER_ERROR_UNREADABLE = 1,
} MediatorViewerError;
GQuark mediator_viewer_error_quark (void);

#define MEDIATOR_TYPE_VIEWER (mediator_viewer_get_type ())
G_DECLARE_FINAL_TYPE (MediatorViewer, mediator_viewer, MEDIATOR, VIEWER, GtkWindow)

/* Shows @bytes (decrypted, in memory: nothing is written to disk) under
 * @title, over @parent (may be NULL). A PDF shows every page, a picture
 * (JPEG, PNG…) itself; anything else is MEDIATOR_VIEWER_ERROR_UNREADABLE
 * with a sentence for the mediator, and no window. The window belongs
 * to GTK: gtk_widget_destroy () closes it. */
MediatorViewer *mediator_viewer_new (GtkWindow  *parent,
                                     const char *title,
                                     GBytes     *bytes,
                                     GError    **error);
/* Pages shown (1 for a picture). */
guint           mediator_viewer_get_n_pages (MediatorViewer *self);

G_END_DECLS

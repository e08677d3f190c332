/* station-browser-page-keyboard.c: the station's on-screen keyboard for a
 * site's text fields. Each web view gets an input method of the page's
 * (a WebKitInputMethodContext): WebKit tells it when an editable element
 * gains or loses the focus; the keyboard then shows under the page, types
 * into its own line, and what changes there reaches the field as text
 * committed or deleted, as an input method's would. */

#include "station-browser-page-private.h"
#include "station-keyboard.h"

#include <glib/gi18n.h>

/* ---- StationWebInput: the views' input method ---- */

#define STATION_TYPE_WEB_INPUT (station_web_input_get_type ())
G_DECLARE_FINAL_TYPE (StationWebInput, station_web_input, STATION, WEB_INPUT, WebKitInputMethodContext)

struct _StationWebInput {
  WebKitInputMethodContext parent_instance;
};

G_DEFINE_FINAL_TYPE (StationWebInput, station_web_input, WEBKIT_TYPE_INPUT_METHOD_CONTEXT)

enum {
  SIGNAL_FOCUS, /* (gboolean in): an editable element gained or lost the focus */
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
station_web_input_notify_focus_in (WebKitInputMethodContext *context)
{
  g_signal_emit (context, signals[SIGNAL_FOCUS], 0, TRUE);
}

static void
station_web_input_notify_focus_out (WebKitInputMethodContext *context)
{
  g_signal_emit (context, signals[SIGNAL_FOCUS], 0, FALSE);
}

/* A real keyboard (staff's, a person's own) types as usual. */
static gboolean
station_web_input_filter_key_event (WebKitInputMethodContext *context,
                                    GdkEventKey              *event)
{
  return FALSE;
}

static void
station_web_input_get_preedit (WebKitInputMethodContext *context,
                               char                    **text,
                               GList                   **underlines,
                               guint                    *cursor_offset)
{
  if (text != NULL)
    *text = g_strdup ("");
  if (underlines != NULL)
    *underlines = NULL;
  if (cursor_offset != NULL)
    *cursor_offset = 0;
}

static void
station_web_input_class_init (StationWebInputClass *klass)
{
  WebKitInputMethodContextClass *context_class = WEBKIT_INPUT_METHOD_CONTEXT_CLASS (klass);

  context_class->notify_focus_in = station_web_input_notify_focus_in;
  context_class->notify_focus_out = station_web_input_notify_focus_out;
  context_class->filter_key_event = station_web_input_filter_key_event;
  context_class->get_preedit = station_web_input_get_preedit;

  signals[SIGNAL_FOCUS] = g_signal_new ("focus", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
station_web_input_init (StationWebInput *self)
{
}

/* ---- the page's keyboard ---- */

/* Takes @n characters back before the cursor of the field that has the
 * focus (or the selection), as a real Backspace would, and tells the
 * page's scripts with an "input" event. */
static void
delete_back (StationBrowserPage *self,
             glong               n)
{
  GtkWidget       *view = gtk_notebook_get_nth_page (GTK_NOTEBOOK (self->tabs),
                                                     gtk_notebook_get_current_page (GTK_NOTEBOOK (self->tabs)));
  g_autofree char *script = NULL;

  if (view == NULL || n <= 0)
    return;
  script = g_strdup_printf ("(function (n) {"
                            "  var e = document.activeElement;"
                            "  if (e && 'value' in e && e.selectionStart != null) {"
                            "    var s = e.selectionStart, t = e.selectionEnd;"
                            "    if (s === t) s = Math.max (0, s - n);"
                            "    e.setRangeText ('', s, t, 'end');"
                            "    e.dispatchEvent (new InputEvent ('input', { bubbles: true, inputType: 'deleteContentBackward' }));"
                            "  } else {"
                            "    for (var i = 0; i < n; i++) document.execCommand ('delete');"
                            "  }"
                            "}) (%ld)",
                            n);
  /* The station's own world: the page's scripts cannot see or change it. */
  webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (view), script, -1, "relais", NULL, NULL, NULL, NULL);
}

/* What the keyboard's line says now went to the field: the letters added
 * at its end are committed, the ones taken away deleted before the
 * field's cursor. */
static void
keyboard_text_changed_cb (GtkEditable        *entry,
                          StationBrowserPage *self)
{
  const char *now = gtk_entry_get_text (GTK_ENTRY (entry));
  const char *sent = g_object_get_data (G_OBJECT (entry), "relais-sent");
  glong       common = 0;
  glong       sent_chars;
  const char *a = sent != NULL ? sent : "";
  const char *b = now;

  if (self->input == NULL)
    return;
  /* The characters both share from the start. */
  while (*a != '\0' && *b != '\0' && g_utf8_get_char (a) == g_utf8_get_char (b))
    {
      a = g_utf8_next_char (a);
      b = g_utf8_next_char (b);
      common++;
    }
  sent_chars = g_utf8_strlen (sent != NULL ? sent : "", -1);
  /* An input method's "delete-surrounding" took back the wrong letter
   * when keys came fast (WebKitGTK 2.50, before the last commit reached
   * the page): the letters are taken back in the page, in order. */
  delete_back (self, sent_chars - common);
  if (*b != '\0')
    g_signal_emit_by_name (self->input, "committed", b);
  g_object_set_data_full (G_OBJECT (entry), "relais-sent", g_strdup (now), g_free);
}

static void
show_keyboard (StationBrowserPage *self,
               gboolean            show)
{
  if (show)
    {
      gboolean secret = self->input != NULL
                        && webkit_input_method_context_get_input_purpose (self->input) == WEBKIT_INPUT_PURPOSE_PASSWORD;

      /* A new field: the line starts empty (what the field held stays). */
      g_signal_handlers_block_by_func (self->keyboard_text, keyboard_text_changed_cb, self);
      gtk_entry_set_text (GTK_ENTRY (self->keyboard_text), "");
      g_object_set_data (G_OBJECT (self->keyboard_text), "relais-sent", NULL);
      g_signal_handlers_unblock_by_func (self->keyboard_text, keyboard_text_changed_cb, self);
      gtk_entry_set_visibility (GTK_ENTRY (self->keyboard_text), !secret);
    }
  gtk_widget_set_visible (self->keyboard_box, show);
  /* Room for the keys on the screen, the page above them: the bars come
   * back with the field's focus gone. */
  gtk_widget_set_visible (self->address_bar, !show);
  gtk_widget_set_visible (self->nav_bar, !show);
}

static void
input_focus_cb (WebKitInputMethodContext *input,
                gboolean                  in,
                StationBrowserPage       *self)
{
  if (in)
    {
      g_set_object (&self->input, input);
      show_keyboard (self, TRUE);
    }
  else if (input == self->input)
    {
      g_clear_object (&self->input);
      show_keyboard (self, FALSE);
    }
}

/* « Fini »: done with this field. The field is left too (blurred in the
 * station's own script world): WebKit tells the input method of a field
 * gained only when none had the focus, so a person touching the next
 * field (the password after the login) would otherwise get no keyboard. */
static void
keyboard_done_cb (StationBrowserPage *self)
{
  GtkWidget *view = gtk_notebook_get_nth_page (GTK_NOTEBOOK (self->tabs),
                                               gtk_notebook_get_current_page (GTK_NOTEBOOK (self->tabs)));

  show_keyboard (self, FALSE);
  if (view != NULL)
    webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (view),
                                         "if (document.activeElement) document.activeElement.blur ()", -1,
                                         "relais", NULL, NULL, NULL, NULL);
}

void
_station_browser_page_keyboard_attach (StationBrowserPage *self,
                                       WebKitWebView      *view)
{
  g_autoptr(WebKitInputMethodContext) input = g_object_new (STATION_TYPE_WEB_INPUT, NULL);

  if (self->keyboard == NULL)
    {
      self->keyboard = station_keyboard_new (STATION_PAGE_SERVICES (self)->language);
      station_keyboard_attach (STATION_KEYBOARD (self->keyboard), GTK_ENTRY (self->keyboard_text));
      g_signal_connect_object (self->keyboard, "done", G_CALLBACK (keyboard_done_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->keyboard_text, "changed", G_CALLBACK (keyboard_text_changed_cb), self, 0);
      gtk_widget_show (self->keyboard);
      gtk_container_add (GTK_CONTAINER (self->keyboard_box), self->keyboard);
    }
  g_signal_connect_object (input, "focus", G_CALLBACK (input_focus_cb), self, 0);
  webkit_web_view_set_input_method_context (view, input);
}

GtkWidget *
station_browser_page_get_keyboard (StationBrowserPage *self)
{
  g_return_val_if_fail (STATION_IS_BROWSER_PAGE (self), NULL);

  return self->keyboard != NULL && gtk_widget_get_visible (self->keyboard_box) ? self->keyboard : NULL;
}

void
_station_browser_page_keyboard_dispose (StationBrowserPage *self)
{
  g_clear_object (&self->input);
}

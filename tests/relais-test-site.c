/* relais-test-site.c: the browser's test site (relais-test-site.h). */

#include "relais-test-site.h"
#include "relais-hub.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#define PAGE_HEAD "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>%s</title>"                \
                  "<style>body{font:22px sans-serif;margin:24px} a,button,input{font-size:22px;margin:8px}</style>" \
                  "</head><body>"

static void
reply_html (SoupServerMessage *msg,
            const char        *title,
            const char        *body)
{
  g_autofree char *html = g_strdup_printf (PAGE_HEAD "<h1>%s</h1>%s</body></html>", title, title, body);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, html, strlen (html));
}

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
relais_test_site_attestation (void)
{
  GByteArray      *pdf = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_cb, pdf, 595, 842);
  cairo_t         *cr = cairo_create (surface);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 28);
  cairo_move_to (cr, 60, 120);
  cairo_show_text (cr, "Attestation de paiement");
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 60, 170);
  cairo_show_text (cr, "Caisse d'essai - document de test Relais");
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (pdf);
}

static gboolean
has_session_cookie (SoupServerMessage *msg)
{
  const char *cookies = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie");

  return cookies != NULL && strstr (cookies, "session=jeton-essai") != NULL;
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  RelaisTestSite *site = user_data;
  const char     *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/"))
    reply_html (msg, "Caisse d'essai — Accueil",
                "<p><a href=\"/login\">Mon compte</a></p>"
                "<p><a href=\"/whoami\">Qui suis-je</a></p>"
                "<p><a href=\"/attestation.pdf\">Mon attestation</a></p>"
                "<p><a href=\"/upload\">Envoyer un document</a></p>"
                "<p><a href=\"/print\">Imprimer</a></p>"
                "<p><a href=\"/popup\">Fenêtre</a></p>"
                "<p><a href=\"/dialogs\">Questions</a></p>");
  else if (g_str_equal (path, "/login") && g_str_equal (method, "POST"))
    {
      site->n_logins++;
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                                   "session=jeton-essai; Path=/; HttpOnly");
      reply_html (msg, "Caisse d'essai — Connecté",
                  "<p id=\"ok\">Vous êtes connecté.</p>"
                  "<script>localStorage.setItem('relais', 'garde');"
                  "document.cookie = 'vue=oui; path=/; max-age=86400';</script>");
    }
  else if (g_str_equal (path, "/login"))
    reply_html (msg, "Caisse d'essai — Mon compte",
                "<form method=\"post\" action=\"/login\">"
                "<label>Identifiant <input name=\"identifiant\" id=\"identifiant\"></label><br>"
                "<label>Mot de passe <input type=\"password\" name=\"mdp\" id=\"mdp\"></label><br>"
                "<button type=\"submit\" id=\"connexion\">Se connecter</button></form>");
  else if (g_str_equal (path, "/whoami"))
    {
      /* The server's view (the HttpOnly cookie) and the page's (the
       * script's cookie and localStorage), in the title the test reads. */
      g_autofree char *body = g_strdup_printf (
          "<script>document.title = 'serveur:%s cookie:' + (document.cookie.indexOf('vue=oui') >= 0 ? 'oui' : 'non')"
          " + ' stockage:' + (localStorage.getItem('relais') ? 'oui' : 'non');</script>",
          has_session_cookie (msg) ? "oui" : "non");
      reply_html (msg, "…", body);
    }
  else if (g_str_equal (path, "/attestation.pdf"))
    {
      GBytes *pdf = site->attestation;

      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Content-Disposition",
                                   "attachment; filename=\"attestation.pdf\"");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/pdf", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
    }
  else if (g_str_equal (path, "/upload") && g_str_equal (method, "POST"))
    {
      SoupMessageBody *request = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) body = soup_message_body_flatten (request);
      g_autoptr(SoupMultipart) multipart =
                     soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
      g_autofree char *title = NULL;

      for (int i = 0; multipart != NULL && i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *headers;
          GBytes             *part;
          g_autoptr(GHashTable) params = NULL;

          if (!soup_multipart_get_part (multipart, i, &headers, &part))
            continue;
          if (soup_message_headers_get_content_disposition (headers, NULL, &params)
              && g_strcmp0 (g_hash_table_lookup (params, "name"), "document") == 0)
            {
              g_clear_pointer (&site->upload, g_bytes_unref);
              site->upload = g_bytes_ref (part);
              g_free (site->upload_name);
              site->upload_name = g_strdup (g_hash_table_lookup (params, "filename"));
            }
        }
      title = g_strdup_printf ("Reçu %zu octets", site->upload != NULL ? g_bytes_get_size (site->upload) : 0);
      reply_html (msg, title, "<p>Merci.</p>");
    }
  else if (g_str_equal (path, "/upload"))
    reply_html (msg, "Caisse d'essai — Envoyer un document",
                "<form method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\">"
                "<label>Votre justificatif <input type=\"file\" name=\"document\" id=\"document\"></label><br>"
                "<button type=\"submit\" id=\"envoyer\">Envoyer</button></form>");
  else if (g_str_equal (path, "/print"))
    reply_html (msg, "Caisse d'essai — Imprimer",
                "<p>Votre relevé de situation.</p><button id=\"imprimer\" onclick=\"window.print()\">Imprimer cette page</button>");
  else if (g_str_equal (path, "/popup"))
    reply_html (msg, "Caisse d'essai — Fenêtre",
                "<p><a href=\"/popup-child\" target=\"_blank\">Ouvrir la notice</a></p>");
  else if (g_str_equal (path, "/popup-child"))
    reply_html (msg, "Notice", "<p>La notice.</p><button onclick=\"window.close()\">Fermer</button>");
  else if (g_str_equal (path, "/dialogs"))
    reply_html (msg, "Caisse d'essai — Questions",
                "<button id=\"alerte\" onclick=\"alert('Votre dossier est incomplet.')\">Alerte</button>"
                "<button id=\"question\" onclick=\"document.title = confirm('Envoyer le dossier ?') ? 'oui' : 'non'\">"
                "Question</button>");
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "absent", 6);
    }
}

static SoupServer *
serve (RelaisTestSite  *site,
       GTlsCertificate *certificate,
       guint           *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  SoupServer *server = soup_server_new ("server-header", "caisse-essai", NULL);

  if (certificate != NULL)
    soup_server_set_tls_certificate (server, certificate);
  soup_server_add_handler (server, NULL, handle_cb, site, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | (certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  *port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return server;
}

RelaisTestSite *
relais_test_site_new (void)
{
  RelaisTestSite *site = g_new0 (RelaisTestSite, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  guint            port;

  site->attestation = relais_test_site_attestation ();
  site->server = G_OBJECT (serve (site, NULL, &port));
  site->url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  site->other_url = g_strdup_printf ("http://localhost:%u/", port);

  site->dir = g_dir_make_tmp ("relais-test-site-XXXXXX", &error);
  g_assert_no_error (error);
  cert = g_build_filename (site->dir, "site.crt", NULL);
  key = g_build_filename (site->dir, "site.key", NULL);
  g_assert_true (relais_hub_tls_make_certificate (cert, key, "127.0.0.1", &error));
  g_assert_no_error (error);
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  site->tls_server = G_OBJECT (serve (site, certificate, &port));
  site->tls_url = g_strdup_printf ("https://127.0.0.1:%u/", port);
  /* The files are the test's, not the browser's: gone at once. */
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (site->dir);
  return site;
}

void
relais_test_site_free (RelaisTestSite *site)
{
  if (site == NULL)
    return;
  if (site->server != NULL)
    soup_server_disconnect (SOUP_SERVER (site->server));
  if (site->tls_server != NULL)
    soup_server_disconnect (SOUP_SERVER (site->tls_server));
  g_clear_object (&site->server);
  g_clear_object (&site->tls_server);
  g_clear_pointer (&site->upload, g_bytes_unref);
  g_clear_pointer (&site->attestation, g_bytes_unref);
  g_free (site->upload_name);
  g_free (site->url);
  g_free (site->other_url);
  g_free (site->tls_url);
  g_free (site->dir);
  g_free (site);
}

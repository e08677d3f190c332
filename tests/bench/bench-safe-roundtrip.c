/* bench-safe-roundtrip.c: a 10-page 300 dpi scan (A4, colour, JPEG as the
 * station writes it) through the digital safe: encrypt on the station,
 * upload to a hub on loopback, download, decrypt. Then what a consent
 * costs a document (its key unwrapped at the station, sent to the hub,
 * sealed to the console's key, opened there): per document, in µs and in
 * bytes of the console's answer. Prints the figures and a last line
 * "kdf_ms=… crypto_mb_s=… seconds=… bytes=… consent_us_per_doc=…".
 *
 *   bench-safe-roundtrip [ROUNDS] */
#define G_LOG_DOMAIN "relais-bench"

#include "relais-hub.h"
#include "relais-hub-safe.h"
#include "relais-link.h"
#include "relais-pdf.h"
#include "relais-safe-client.h"
#include "relais-safe-crypto.h"
#include "relais-test-hub.h"

#include <stdlib.h>
#include <sodium.h>

#define PAGES  10
#define DPI    300
#define WIDTH  2480 /* A4 at 300 dpi */
#define HEIGHT 3508

/* A page like a scanned letter: off-white paper with sensor noise and
 * lines of dark "text", so JPEG sizes are a real scan's, not a blank's. */
static RelaisPage *
fake_page (int index)
{
  gsize   stride = WIDTH * 3;
  guint8 *data = g_malloc (stride * HEIGHT);
  GRand  *rand = g_rand_new_with_seed (index + 1);

  for (int y = 0; y < HEIGHT; y++)
    {
      gboolean text_row = y > 300 && y < HEIGHT - 300 && (y / 40) % 2 == 0 && (y % 40) < 28;

      for (int x = 0; x < WIDTH; x++)
        {
          guint8 *p = data + y * stride + x * 3;
          int     v = 238 + g_rand_int_range (rand, -6, 7);

          if (text_row && x > 250 && x < WIDTH - 250 && ((x / 23 + y / 40 + index) % 7) != 0
              && g_rand_int_range (rand, 0, 3) != 0)
            v = 30 + g_rand_int_range (rand, 0, 40);
          p[0] = v;
          p[1] = v - 2;
          p[2] = v - 6;
        }
    }
  g_rand_free (rand);
  return relais_page_new (RELAIS_PAGE_RGB, WIDTH, HEIGHT, stride, DPI, g_bytes_new_take (data, stride * HEIGHT));
}

#define CONSENT_DOCUMENTS 300

typedef struct {
  RelaisSafeClient *client;
  RelaisSafeClient *console; /* Sophie's */
  RelaisLink       *console_link;
  const char       *number;
  const char       *code;
  GBytes           *pdf;
  int               rounds;
  /* results */
  double            kdf_s;
  double            seal_s, open_s; /* crypto alone, best round */
  double            end_to_end_s;   /* best round */
  double            upload_s, download_s;
  gsize             envelope_bytes;
  double            dk_us, seal_us, unseal_us; /* crypto per document key */
  double            consent_s, consented_s;    /* for CONSENT_DOCUMENTS */
  gsize             consented_bytes, key_bytes;
  guint             consented_documents;
  GError           *error;
  gint              done;
} Bench;

static gpointer
bench_thread (gpointer data)
{
  Bench *b = data;
  g_autoptr(RelaisSafeKeys) keys = relais_safe_keys_new_random ();
  RelaisSafePinKeys pin_keys;
  guint8            salt[RELAIS_SAFE_SALT_BYTES] = { 0 };
  gint64            t0;

  /* The KDF, alone: what a resident waits after the last digit. */
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < 3; i++)
    relais_safe_derive_pin ("4821", salt, &pin_keys, NULL);
  b->kdf_s = (g_get_monotonic_time () - t0) / 3e6;

  /* Crypto alone, in memory. */
  b->seal_s = b->open_s = G_MAXDOUBLE;
  for (int r = 0; r < b->rounds; r++)
    {
      g_autoptr(GBytes) env = NULL;
      g_autoptr(GBytes) back = NULL;

      t0 = g_get_monotonic_time ();
      env = relais_safe_seal_document (keys, NULL, "bench", b->pdf, &b->error);
      b->seal_s = MIN (b->seal_s, (g_get_monotonic_time () - t0) / 1e6);
      t0 = g_get_monotonic_time ();
      back = relais_safe_open_document (keys, env, NULL, &b->error);
      b->open_s = MIN (b->open_s, (g_get_monotonic_time () - t0) / 1e6);
      if (back == NULL || !g_bytes_equal (back, b->pdf))
        g_error ("round trip in memory failed");
      b->envelope_bytes = g_bytes_get_size (env);
    }

  /* End to end: encrypt + upload, then download + decrypt. */
  if (!relais_safe_client_activate (b->client, b->number, b->code, "4821", &b->error))
    goto out;
  b->end_to_end_s = b->upload_s = b->download_s = G_MAXDOUBLE;
  for (int r = 0; r < b->rounds; r++)
    {
      g_autofree char *id = NULL;
      g_autoptr(GBytes) back = NULL;
      gboolean queued = FALSE;
      gint64   t1;

      t0 = g_get_monotonic_time ();
      id = relais_safe_client_add (b->client, "impots", "bench", b->pdf, &queued, &b->error);
      if (id == NULL || queued)
        goto out;
      t1 = g_get_monotonic_time ();
      back = relais_safe_client_fetch (b->client, id, NULL, &b->error);
      if (back == NULL || !g_bytes_equal (back, b->pdf))
        goto out;
      b->upload_s = MIN (b->upload_s, (t1 - t0) / 1e6);
      b->download_s = MIN (b->download_s, (g_get_monotonic_time () - t1) / 1e6);
      b->end_to_end_s = MIN (b->end_to_end_s, (g_get_monotonic_time () - t0) / 1e6);
      relais_safe_client_delete (b->client, id, NULL);
    }

  /* A consent over CONSENT_DOCUMENTS documents. */
  {
    static const char text[] = "%PDF-1.4\n% une page\n";
    g_autoptr(GBytes) small = g_bytes_new_static (text, strlen (text));
    g_autoptr(GBytes) env = relais_safe_seal_document (keys, NULL, "bench", small, NULL);
    g_autoptr(RelaisSafeChannel) hub_side = NULL;
    g_autoptr(RelaisSafeChannel) console_side = NULL;
    g_autoptr(GBytes) consented = NULL;
    g_autofree char *number_path = NULL;
    g_autofree char *body = NULL;
    g_autofree char *epk_b64 = NULL;
    guint8           dk[RELAIS_SAFE_KEY_BYTES], epk[32], esk[32], hub_epk[32];
    char            *sealed = NULL;
    long             status = 0;
    const int        n = 10000;

    /* The crypto alone, per document key. */
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n; i++)
      relais_safe_document_key (keys, env, dk, NULL);
    b->dk_us = (g_get_monotonic_time () - t0) / (double) n;
    crypto_box_keypair (epk, esk);
    hub_side = relais_safe_channel_new_client (epk, hub_epk);
    console_side = relais_safe_channel_new_server (esk, hub_epk, NULL);
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n; i++)
      {
        g_free (sealed);
        sealed = relais_safe_channel_seal (hub_side, dk, sizeof dk);
      }
    b->seal_us = (g_get_monotonic_time () - t0) / (double) n;
    t0 = g_get_monotonic_time ();
    for (int i = 0; i < n; i++)
      g_bytes_unref (relais_safe_channel_open (console_side, sealed, NULL));
    b->unseal_us = (g_get_monotonic_time () - t0) / (double) n;
    g_free (sealed);
    sodium_memzero (esk, sizeof esk);

    for (int i = 0; i < CONSENT_DOCUMENTS; i++)
      {
        gboolean         queued = FALSE;
        g_autofree char *id = relais_safe_client_add (b->client, "autre", "page", small, &queued, &b->error);

        if (id == NULL)
          goto out;
      }
    t0 = g_get_monotonic_time ();
    if (relais_safe_client_consent (b->client, "sophie", 30, NULL, &b->error) == 0)
      goto out;
    b->consent_s = (g_get_monotonic_time () - t0) / 1e6;
    t0 = g_get_monotonic_time ();
    if (!relais_safe_client_open_consented (b->console, b->number, &b->error))
      goto out;
    b->consented_s = (g_get_monotonic_time () - t0) / 1e6;
    /* The console's answer, and the station's listing of the same
     * documents (no keys): the difference is the keys' weight. */
    crypto_box_keypair (epk, esk);
    epk_b64 = relais_safe_base64 (epk, sizeof epk);
    body = g_strdup_printf ("{\"epk\":\"%s\"}", epk_b64);
    number_path = g_strdup_printf ("/safes/%s/consented", b->number);
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      consented = relais_link_transfer (b->console_link, "POST", number_path, request, NULL,
                                        64 * 1024 * 1024, &status, &b->error);
    }
    if (consented == NULL)
      goto out;
    /* What the keys add to the answer: each ,"key":"…" member. */
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (consented, NULL), g_bytes_get_size (consented));
      g_autoptr(JsonNode) node = json_from_string (text, NULL);
      JsonArray *documents = node != NULL ? json_object_get_array_member (json_node_get_object (node), "documents") : NULL;

      for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
        b->key_bytes += strlen (",\"key\":\"\"")
                        + strlen (json_object_get_string_member (json_array_get_object_element (documents, i), "key"));
      b->consented_documents = documents != NULL ? json_array_get_length (documents) : 0;
    }
    b->consented_bytes = g_bytes_get_size (consented);
  }
out:
  sodium_memzero (&pin_keys, sizeof pin_keys);
  g_atomic_int_set (&b->done, 1);
  return NULL;
}

static gboolean
bench_done (gpointer data)
{
  return g_atomic_int_get (&((Bench *) data)->done);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(RelaisTestHub) th = NULL;
  g_autoptr(RelaisLink) station = NULL;
  g_autoptr(RelaisLink) console = NULL;
  g_autoptr(RelaisSafeClient) client = NULL;
  g_autoptr(RelaisSafeClient) console_client = NULL;
  g_autofree char *station_dir = NULL;
  g_autofree char *station_db = NULL;
  g_autofree char *number = NULL;
  g_autofree char *code = NULL;
  Bench            b = { 0 };
  GThread         *thread;
  double           mb;

  b.rounds = argc > 1 ? atoi (argv[1]) : 5;
  if (sodium_init () < 0)
    return 1;

  for (int i = 0; i < PAGES; i++)
    g_ptr_array_add (pages, fake_page (i));
  pdf = relais_pdf_write_bytes (pages, 0, &error);
  if (pdf == NULL)
    g_error ("%s", error->message);
  g_ptr_array_set_size (pages, 0);
  mb = g_bytes_get_size (pdf) / 1e6;
  g_print ("document: %d pages, %d dpi, A4 colour, PDF %.2f MB\n", PAGES, DPI, mb);

  th = relais_test_hub_new ();
  station_dir = g_dir_make_tmp ("relais-bench-safe-XXXXXX", &error);
  station_db = g_build_filename (station_dir, "station.db", NULL);
  station = relais_link_new (th->url, th->station_token, station_db, &error);
  console = relais_link_new (th->url, th->console_token, NULL, &error);
  if (station == NULL || console == NULL || !relais_test_login (console, "sophie", RELAIS_TEST_SOPHIE_PASSWORD, &error))
    g_error ("%s", error->message);
  number = relais_test_safe_create (console, &code);
  client = relais_safe_client_new (station, station_db, &error);

  relais_hub_set_rate_limit (th->hub, 100000, 100000);
  console_client = relais_safe_client_new (console, NULL, &error);
  b.client = client;
  b.console = console_client;
  b.console_link = console;
  b.number = number;
  b.code = code;
  b.pdf = pdf;
  thread = g_thread_new ("bench", bench_thread, &b);
  /* The hub serves on this thread's loop: no 20 s bound here. */
  while (!bench_done (&b))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  if (b.error != NULL)
    g_error ("%s", b.error->message);

  g_print ("KDF (Argon2id, %d passes, %d MiB): %.0f ms\n", RELAIS_SAFE_KDF_OPSLIMIT,
           RELAIS_SAFE_KDF_MEMLIMIT / (1024 * 1024), b.kdf_s * 1000);
  g_print ("encrypt: %.1f ms (%.0f MB/s), decrypt: %.1f ms (%.0f MB/s), overhead %zu bytes\n",
           b.seal_s * 1000, mb / b.seal_s, b.open_s * 1000, mb / b.open_s,
           b.envelope_bytes - g_bytes_get_size (pdf));
  g_print ("encrypt + upload: %.3f s, download + decrypt: %.3f s, round trip: %.3f s (best of %d)\n",
           b.upload_s, b.download_s, b.end_to_end_s, b.rounds);
  g_print ("consent, per document key: unwrap %.2f µs (station), seal %.2f µs (hub), open %.2f µs (console)\n",
           b.dk_us, b.seal_us, b.unseal_us);
  g_print ("consent over %d documents: given in %.3f s (station → hub, %d requests), opened on the console in %.3f s; "
           "the console's answer %zu bytes for %u documents, of which the sealed keys %zu (%.0f bytes a document)\n",
           CONSENT_DOCUMENTS, b.consent_s, (CONSENT_DOCUMENTS + 199) / 200, b.consented_s,
           b.consented_bytes, b.consented_documents, b.key_bytes, (double) b.key_bytes / MAX (1, b.consented_documents));
  g_print ("kdf_ms=%.0f crypto_mb_s=%.0f encrypt_mb_s=%.0f decrypt_mb_s=%.0f seconds=%.3f bytes=%zu "
           "consent_us_per_doc=%.0f consented_us_per_doc=%.0f key_bytes_per_doc=%.0f\n",
           b.kdf_s * 1000, 2 * mb / (b.seal_s + b.open_s), mb / b.seal_s, mb / b.open_s,
           b.end_to_end_s, g_bytes_get_size (pdf),
           b.consent_s * 1e6 / CONSENT_DOCUMENTS, b.consented_s * 1e6 / CONSENT_DOCUMENTS,
           (double) b.key_bytes / MAX (1, b.consented_documents));
  g_clear_pointer (&client, relais_safe_client_free);
  g_clear_pointer (&console_client, relais_safe_client_free);
  g_clear_object (&station);
  g_clear_object (&console);
  return 0;
}

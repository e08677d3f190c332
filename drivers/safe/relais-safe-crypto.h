/* relais-safe-crypto.h: the digital safe's cryptography (libsodium), shared
 * by the station (which encrypts and decrypts) and the hub (which only
 * checks PIN proofs and stores ciphertext). See docs/safe.md for the
 * design and the threat model. */
#pragma once

#include <glib.h>

#include "relais-limits.h"

G_BEGIN_DECLS

#define RELAIS_SAFE_ERROR (relais_safe_error_quark ())
typedef enum {
  RELAIS_SAFE_ERROR_TAMPERED = 1, /* authentication failed: altered or not ours */
  RELAIS_SAFE_ERROR_FORMAT,       /* not a safe document, or truncated */
  RELAIS_SAFE_ERROR_TOO_LARGE,
  RELAIS_SAFE_ERROR_MEMORY, /* Argon2id could not get its memory */
  RELAIS_SAFE_ERROR_WRONG_PIN,
  RELAIS_SAFE_ERROR_LOCKED,
  RELAIS_SAFE_ERROR_UNREACHABLE, /* the hub does not answer */
  RELAIS_SAFE_ERROR_NOT_FOUND,
  RELAIS_SAFE_ERROR_REFUSED,
  RELAIS_SAFE_ERROR_FULL, /* the safe's quota, or too many deposits waiting */
  RELAIS_SAFE_ERROR_BUSY, /* this station deposited enough for now: later */
} RelaisSafeError;
GQuark relais_safe_error_quark (void);

#define RELAIS_SAFE_SALT_BYTES   16
#define RELAIS_SAFE_KEY_BYTES    32
#define RELAIS_SAFE_PUBLIC_BYTES 32
/* What a document may weigh: RELAIS_SAFE_MAX_DOCUMENT (relais-limits.h). */
#define RELAIS_SAFE_MAX_NAME 200

/* Argon2id cost of a PIN: libsodium's "moderate" preset (3 passes,
 * 256 MiB), 0.4 s on the development machine; every guess made by
 * someone holding the hub's disk and key file costs as much. */
#define RELAIS_SAFE_KDF_OPSLIMIT 3
#define RELAIS_SAFE_KDF_MEMLIMIT (256 * 1024 * 1024)

/* What a PIN gives, through Argon2id and the safe's salt. @auth is shown
 * (boxed) to the hub, which keeps only a keyed hash of it; @wrap never
 * leaves the station. */
typedef struct {
  guint8 auth[RELAIS_SAFE_KEY_BYTES];
  guint8 wrap[RELAIS_SAFE_KEY_BYTES];
} RelaisSafePinKeys;

gboolean relais_safe_derive_pin (const char        *pin,
                                 const guint8      *salt,
                                 RelaisSafePinKeys *out,
                                 GError           **error);
/* 4 to 8 digits: what the keypad can type. */
gboolean relais_safe_pin_valid (const char *pin);

/* The safe's own keys, in locked memory (sodium_malloc), wiped on free.
 * Invariant: box_pk is the X25519 public key of box_sk. */
typedef struct {
  guint8 safe_key[RELAIS_SAFE_KEY_BYTES];  /* wraps each document's key */
  guint8 box_sk[RELAIS_SAFE_KEY_BYTES];    /* opens offline deposits */
  guint8 box_pk[RELAIS_SAFE_PUBLIC_BYTES]; /* stations seal deposits to it */
} RelaisSafeKeys;

RelaisSafeKeys *relais_safe_keys_new_random (void);
void            relais_safe_keys_free (RelaisSafeKeys *keys);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeKeys, relais_safe_keys_free)

/* The keys, encrypted with a key that needs both the PIN (@wrap) and the
 * secret the hub releases only after checking the attempt counter
 * (@hub_secret). */
GBytes                           *relais_safe_keys_wrap (const RelaisSafeKeys *keys,
                                                         const guint8         *wrap,
                                                         const guint8         *hub_secret);
RelaisSafeKeys                   *relais_safe_keys_unwrap (GBytes       *wrapped,
                                                           const guint8 *wrap,
                                                           const guint8 *hub_secret,
                                                           GError      **error);
/* A document's envelope: a small head (its key, wrapped, and its name,
 * encrypted) then the XChaCha20-Poly1305 secretstream of its bytes. With
 * @keys the document key is wrapped by the safe key; with @keys NULL it is
 * sealed to @box_pk (a deposit made without the PIN, hub down). */
GBytes                           *relais_safe_seal_document (const RelaisSafeKeys *keys,
                                                             const guint8         *box_pk,
                                                             const char           *name,
                                                             GBytes               *plain,
                                                             GError              **error);
/* The plaintext, in memory only; RELAIS_SAFE_ERROR_TAMPERED when a single
 * bit differs. @name (out, may be NULL) gets the document's name. */
GBytes                           *relais_safe_open_document (const RelaisSafeKeys *keys,
                                                             GBytes               *envelope,
                                                             char                **name,
                                                             GError              **error);
/* Length of the head of an envelope (what a listing carries), 0 when the
 * bytes are not an envelope. The hub checks uploads with it. */
gsize                             relais_safe_envelope_head_length (const guint8 *data,
                                                                    gsize         length);
/* The name in a head (or a whole envelope). */
char                             *relais_safe_open_name (const RelaisSafeKeys *keys,
                                                         GBytes               *head,
                                                         GError              **error);
/* TRUE when the envelope was sealed to the box key (an offline deposit). */
gboolean                          relais_safe_envelope_is_deposit (GBytes *head);

/* Each document has its own random key (@dk, RELAIS_SAFE_KEY_BYTES): a
 * consent hands a mediator those of the documents it covers, never the
 * safe's keys, so nothing added later opens with what they were given.
 * This unwraps it from a head (or a whole envelope) with the safe's keys. */
gboolean                          relais_safe_document_key (const RelaisSafeKeys *keys,
                                                            GBytes               *head,
                                                            guint8               *dk,
                                                            GError              **error);
/* The same as the two above, with the document's own key. */
GBytes                           *relais_safe_open_document_with_key (const guint8 *dk,
                                                                      GBytes       *envelope,
                                                                      char        **name,
                                                                      GError      **error);
char                             *relais_safe_open_name_with_key (const guint8 *dk,
                                                                  GBytes       *head,
                                                                  GError      **error);

/* Document keys by document id, in locked memory (sodium_malloc), wiped
 * when freed: what a consent gives, on the hub and on the console. */
typedef struct _RelaisSafeKeyring RelaisSafeKeyring;

RelaisSafeKeyring                *relais_safe_keyring_new (void);
void                              relais_safe_keyring_free (RelaisSafeKeyring *ring);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeKeyring, relais_safe_keyring_free)
/* Copies @dk (RELAIS_SAFE_KEY_BYTES); a second key for @id replaces it. */
void                              relais_safe_keyring_add (RelaisSafeKeyring *ring,
                                                           const char        *id,
                                                           const guint8      *dk);
/* The key of @id (borrowed, valid while @ring lives), or NULL. */
const guint8                     *relais_safe_keyring_lookup (RelaisSafeKeyring *ring,
                                                              const char        *id);
guint                             relais_safe_keyring_get_size (RelaisSafeKeyring *ring);

/* A channel between a station and the hub on top of HTTP (or TLS): the
 * station makes an ephemeral X25519 key pair per opening; the hub's box
 * key comes from its master key. A passive listener on the LAN then sees
 * no PIN proof even over plain HTTP. Each message: nonce ‖ box. */
typedef struct _RelaisSafeChannel RelaisSafeChannel;

/* Station side: a fresh ephemeral key against @hub_pk. */
RelaisSafeChannel                *relais_safe_channel_new_client (const guint8 *hub_pk,
                                                                  guint8       *ephemeral_pk_out);
/* Hub side: from its box secret key and the station's ephemeral key. */
RelaisSafeChannel                *relais_safe_channel_new_server (const guint8 *hub_sk,
                                                                  const guint8 *ephemeral_pk,
                                                                  GError      **error);
void                              relais_safe_channel_free (RelaisSafeChannel *channel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaisSafeChannel, relais_safe_channel_free)
/* base64 of nonce ‖ box (@data, @length). */
char   *relais_safe_channel_seal (RelaisSafeChannel *channel,
                                  const guint8      *data,
                                  gsize              length);
GBytes *relais_safe_channel_open (RelaisSafeChannel *channel,
                                  const char        *sealed,
                                  GError           **error);

/* Helpers: base64 (sodium's original variant) both ways; decoding fails
 * on anything but exactly @expected bytes when @expected > 0. */
char   *relais_safe_base64 (const guint8 *data,
                            gsize         length);
GBytes *relais_safe_unbase64 (const char *text,
                              gsize       expected,
                              GError    **error);

G_END_DECLS

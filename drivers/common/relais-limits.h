/* relais-limits.h: every cap on what grows from outside input, in one
 * place (curl's dynbuf caps, SQLite's SQLITE_MAX_*). Past a cap the
 * caller gets a clear error, never a bigger buffer: see relais-buffer.h. */
#pragma once

/* ---- the link (station and console → hub, libcurl) ---- */

/* One JSON answer of the hub. */
#define RELAIS_LINK_MAX_RESPONSE (4 * 1024 * 1024)
/* A digital safe's answers to a station or a console: a listing or an
 * error is small; a document is at most the hub's cap. */
#define RELAIS_SAFE_CLIENT_MAX_JSON_ANSWER     (8 * 1024 * 1024)
#define RELAIS_SAFE_CLIENT_MAX_DOCUMENT_ANSWER (64 * 1024 * 1024)
/* A person's supporting document as the console fetches or sends it. */
#define RELAIS_MEDIATOR_MAX_MAIL_DOCUMENT_ANSWER (16 * 1024 * 1024)
/* One line of the hub's event stream (server-sent events). */
#define RELAIS_LINK_MAX_STREAM_LINE (1024 * 1024)
/* One event of that stream: its "data:" lines together. An event is no
 * bigger than an answer would be. */
#define RELAIS_LINK_MAX_STREAM_EVENT RELAIS_LINK_MAX_RESPONSE

/* ---- notifications (SMS gateway, SMTP) ---- */

/* Gateways answer a few bytes; a chatty one is cut, not believed. */
#define RELAIS_NOTIFY_MAX_REPLY (64 * 1024)
/* One SMS or e-mail text. */
#define RELAIS_NOTIFY_MAX_TEXT 2000

/* ---- devices and files (scanner, USB key, printer, safe) ---- */

/* Raw bytes one scan may hold, all frames together, and the converted page
 * too: an A4 page at 600 dpi in 48-bit colour is about 210 MB. */
#define RELAIS_SCAN_MAX_BYTES ((gsize) 600 * 1024 * 1024)
/* A resident's file (USB key): bigger ones are refused before they are
 * read. */
#define RELAIS_DOCUMENT_MAX_BYTES ((gsize) 64 * 1024 * 1024)
/* A document bigger than this is not a form a resident prints at a public
 * station; it would only fill the memory and the printer's queue. */
#define RELAIS_PRINTER_MAX_FILE_SIZE (64 * 1024 * 1024)
/* What a document in a safe may weigh, in plaintext (a 40-page colour
 * scan). */
#define RELAIS_SAFE_MAX_DOCUMENT (32 * 1024 * 1024)

/* ---- the hub (libsoup) ---- */

/* A JSON body, unless [hub] max-body-bytes says otherwise; the routes
 * that take documents have their own caps below. */
#define RELAIS_HUB_MAX_BODY (64 * 1024)
/* A PEM certificate chain or key ([hub] tls-*) is a few KiB; past this
 * it is not one. */
#define RELAIS_HUB_MAX_PEM (1024 * 1024)
/* A stream whose reader lets this much wait is dropped. A console that
 * keeps up may still lag a few seconds behind a burst of 5,000 events/s
 * (2 MB/s): the bound is well above that. */
#define RELAIS_HUB_MAX_STREAM_QUEUE (8 * 1024 * 1024)
/* A supporting document of a domiciled person (relais-hub-mail-docs.c). */
#define RELAIS_HUB_MAIL_MAX_DOCUMENT (8 * 1024 * 1024)
/* A document in a digital safe, unless [safe] max-document-mb says
 * otherwise. */
#define RELAIS_HUB_SAFE_MAX_DOCUMENT (40 * 1024 * 1024)

/* relais-enrol-command.h: the enrolment by code from a shell
 * (`relais-station --enrol CODE`, `relais-mediator --enrol CODE`), for a
 * technician at a text console or over SSH: the same exchange and the
 * same file as the first start's screen. */
#pragma once

#include <stdio.h>
#include <glib.h>

#include "relais-config.h"

G_BEGIN_DECLS

/* @kind: "station" or "console"; @hub_url: NULL for the configuration's.
 * Refuses when a token is already in force. Shows the name the hub gives;
 * over TLS, shows the hub's short fingerprint and saves only when the
 * answer read from @in is « oui ». Writes into
 * relais_config_get_enrolment_path(), else @own_path. Sentences go to
 * @out. Returns the exit status (0: enrolled). Blocking. */
int relais_enrol_command (const char   *kind,
                          RelaisConfig *config,
                          const char   *own_path,
                          const char   *code,
                          const char   *hub_url,
                          FILE         *in,
                          FILE         *out);

G_END_DECLS

/* relais-i18n.h: the programs' language set-up, shared by all three. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds the "relais" catalogues
 * ($RELAIS_LOCALEDIR, else the installed ones). Where the environment says
 * C/POSIX, C.UTF-8 is used instead: in plain C, gettext ignores LANGUAGE
 * and the station could not switch languages. */
void        relais_i18n_init (void);
/* Where the environment names no language (C.UTF-8, as the demo runs, and
 * no LANGUAGE), speaks @language ("fr"): every domain follows, GTK's own
 * dialogs included (« Annuler », not « Cancel »). After
 * relais_i18n_init (), before any thread. */
void        relais_i18n_default_language (const char *language);

/* The name of month @month (1 to 12) in the language spoken now
 * (« janvier »), for dates written out: « 15 janvier 2027 ». */
const char *relais_i18n_month_name (guint month);

G_END_DECLS

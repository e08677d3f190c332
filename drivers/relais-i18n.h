/* relais-i18n.h: the programs' language set-up, shared by all three. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds the "relais" catalogues
 * ($RELAIS_LOCALEDIR, else the installed ones). Where the environment says
 * C/POSIX, C.UTF-8 is used instead: in plain C, gettext ignores LANGUAGE
 * and the station could not switch languages. */
void relais_i18n_init (void);

G_END_DECLS

/* relais-i18n.c: the programs' language set-up, shared by all three. */

#include "relais-i18n.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

void
relais_i18n_init (void)
{
  const char *dir = g_getenv ("RELAIS_LOCALEDIR");
  const char *locale = setlocale (LC_ALL, "");

  if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  /* The station changes LANGUAGE while threads run, and SANE, libcurl and
   * GLib read the environment from theirs. setenv () on a variable not
   * there yet grows the environment's array and frees the old one under a
   * concurrent getenv () (a crash, seen once in a test run); on one already
   * there it only swaps a pointer. So it is made to exist now, before any
   * thread. Empty, gettext ignores it. */
  if (g_getenv ("LANGUAGE") == NULL)
    g_setenv ("LANGUAGE", "", TRUE);
  /* g_dgettext () decides on its first call, for good, to leave every
   * library's strings untranslated when the program's own domain has no
   * catalogue for the language: French, our source language, has none,
   * and GTK's dialogs stayed in English. Deciding now, before our domain
   * is set, keeps the libraries translated. */
  (void) g_dgettext ("glib20", "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
relais_i18n_default_language (const char *language)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  const char *chosen = g_getenv ("LANGUAGE");

  g_return_if_fail (language != NULL);

  /* A language the person chose (LANGUAGE, or a locale that is not C)
   * stays theirs. */
  if ((chosen != NULL && *chosen != '\0')
      || (messages != NULL && !g_str_equal (messages, "C") && !g_str_equal (messages, "POSIX")
          && !g_str_has_prefix (messages, "C.")))
    return;
  /* The variable exists since relais_i18n_init (): this swaps a pointer. */
  g_setenv ("LANGUAGE", language, TRUE);
  textdomain (GETTEXT_PACKAGE);
}

const char *
relais_i18n_month_name (guint month)
{
  static const char * const months[] = {
    N_ ("janvier"),
    N_ ("février"),
    N_ ("mars"),
    N_ ("avril"),
    N_ ("mai"),
    N_ ("juin"),
    N_ ("juillet"),
    N_ ("août"),
    N_ ("septembre"),
    N_ ("octobre"),
    N_ ("novembre"),
    N_ ("décembre"),
  };

  g_return_val_if_fail (month >= 1 && month <= 12, "");
  return _ (months[month - 1]);
}

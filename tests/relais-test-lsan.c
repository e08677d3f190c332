/* relais-test-lsan.c: in the sanitizer build only, tells LeakSanitizer
 * about the one leak GLib's test harness makes on purpose.
 *
 * With G_TEST_OPTION_ISOLATE_DIRS, GLib 2.74 gives each test case fresh
 * HOME and XDG dirs through g_set_user_dirs (), and leaks the previous
 * ones: callers may still hold them. It marks them with g_ignore_leak (),
 * which reaches LeakSanitizer only when GLib itself was built with the
 * sanitizer; Debian's was not. Suppressing the leak by its stack would need
 * the slow unwinder on every malloc (Debian's GLib has no frame pointers),
 * which made TLS handshakes time out. So every test registered through
 * g_test_add* (wrapped with ld's --wrap, see tests/meson.build) first
 * marks the dirs it was given, as GLib would: the next test case's
 * isolation then leaks nothing LeakSanitizer reports. */
#define G_LOG_DOMAIN "relais-test"

#include <glib.h>
#include <sanitizer/lsan_interface.h>

void __real_g_test_add_data_func (const char *testpath, gconstpointer test_data, GTestDataFunc test_func);
void __real_g_test_add_vtable (const char *testpath, gsize data_size, gconstpointer test_data, GTestFixtureFunc data_setup, GTestFixtureFunc data_test, GTestFixtureFunc data_teardown);

static void
ignore_strv (const char * const *strv)
{
  __lsan_ignore_object (strv);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    __lsan_ignore_object (strv[i]);
}

/* What g_set_user_dirs () replaces at the next test case. */
static void
ignore_user_dirs (void)
{
  __lsan_ignore_object (g_get_home_dir ());
  __lsan_ignore_object (g_get_user_cache_dir ());
  __lsan_ignore_object (g_get_user_config_dir ());
  __lsan_ignore_object (g_get_user_data_dir ());
  __lsan_ignore_object (g_get_user_state_dir ());
  __lsan_ignore_object (g_get_user_runtime_dir ());
  ignore_strv (g_get_system_config_dirs ());
  ignore_strv (g_get_system_data_dirs ());
}

static void
run_func (gconstpointer data)
{
  ignore_user_dirs ();
  ((GTestFunc) data) ();
}

void __wrap_g_test_add_func (const char *testpath, GTestFunc test_func);

void
__wrap_g_test_add_func (const char *testpath,
                        GTestFunc   test_func)
{
  __real_g_test_add_data_func (testpath, (gconstpointer) test_func, run_func);
}

/* One for each test case, as long as the program: GLib frees its suite at
 * the end of g_test_run (), not the data given to it. */
typedef struct {
  gconstpointer    data;
  GTestDataFunc    data_func;
  GTestFixtureFunc setup;
  GTestFixtureFunc test;
  GTestFixtureFunc teardown;
} Wrapped;

static void
run_data_func (gconstpointer data)
{
  const Wrapped *w = data;

  ignore_user_dirs ();
  w->data_func (w->data);
}

void __wrap_g_test_add_data_func (const char *testpath, gconstpointer test_data, GTestDataFunc test_func);

void
__wrap_g_test_add_data_func (const char   *testpath,
                             gconstpointer test_data,
                             GTestDataFunc test_func)
{
  Wrapped *w = g_new0 (Wrapped, 1);

  __lsan_ignore_object (w);
  w->data = test_data;
  w->data_func = test_func;
  __real_g_test_add_data_func (testpath, w, run_data_func);
}

/* Without a fixture size, GLib passes the test data as the fixture:
 * that is ours now, so the test's own goes instead. */
static gpointer
fixture_of (gpointer       fixture,
            const Wrapped *w)
{
  return fixture == (gpointer) w ? (gpointer) w->data : fixture;
}

static void
run_setup (gpointer fixture, gconstpointer data)
{
  const Wrapped *w = data;

  ignore_user_dirs ();
  if (w->setup != NULL)
    w->setup (fixture_of (fixture, w), w->data);
}

static void
run_test (gpointer fixture, gconstpointer data)
{
  const Wrapped *w = data;

  w->test (fixture_of (fixture, w), w->data);
}

static void
run_teardown (gpointer fixture, gconstpointer data)
{
  const Wrapped *w = data;

  if (w->teardown != NULL)
    w->teardown (fixture_of (fixture, w), w->data);
}

void __wrap_g_test_add_vtable (const char *testpath, gsize data_size, gconstpointer test_data, GTestFixtureFunc data_setup, GTestFixtureFunc data_test, GTestFixtureFunc data_teardown);

void
__wrap_g_test_add_vtable (const char      *testpath,
                          gsize            data_size,
                          gconstpointer    test_data,
                          GTestFixtureFunc data_setup,
                          GTestFixtureFunc data_test,
                          GTestFixtureFunc data_teardown)
{
  Wrapped *w = g_new0 (Wrapped, 1);

  __lsan_ignore_object (w);
  w->data = test_data;
  w->setup = data_setup;
  w->test = data_test;
  w->teardown = data_teardown;
  __real_g_test_add_vtable (testpath, data_size, w, run_setup, run_test, run_teardown);
}

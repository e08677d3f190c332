/* relais-scan-book.c: the document being scanned, as a GListModel of its
 * pages (simple-scan's Book). */

#include "relais-scan-book.h"

/* ---- RelaisScanSheet ---- */

struct _RelaisScanSheet {
  GObject     parent_instance;

  RelaisPage *page; /* Owned; never NULL */
};

G_DEFINE_FINAL_TYPE (RelaisScanSheet, relais_scan_sheet, G_TYPE_OBJECT)

static void
relais_scan_sheet_finalize (GObject *object)
{
  RelaisScanSheet *self = RELAIS_SCAN_SHEET (object);

  g_clear_pointer (&self->page, relais_page_unref);
  G_OBJECT_CLASS (relais_scan_sheet_parent_class)->finalize (object);
}

static void
relais_scan_sheet_class_init (RelaisScanSheetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relais_scan_sheet_finalize;
}

static void
relais_scan_sheet_init (RelaisScanSheet *self)
{
}

RelaisPage *
relais_scan_sheet_get_page (RelaisScanSheet *self)
{
  g_return_val_if_fail (RELAIS_IS_SCAN_SHEET (self), NULL);

  return self->page;
}

/* ---- RelaisScanBook ---- */

struct _RelaisScanBook {
  GObject     parent_instance;

  /* Owned */
  GPtrArray  *pages; /* RelaisPage*, in order */
  RelaisPage *card_front;
  /* Invariant: selected < pages->len, or 0 when empty. */
  guint       selected;
  guint       generation;
};

static void relais_scan_book_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelaisScanBook, relais_scan_book, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, relais_scan_book_list_model_init))

enum {
  PROP_0,
  PROP_SELECTED,
  PROP_CARD_FRONT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static GType
relais_scan_book_get_item_type (GListModel *model)
{
  return RELAIS_TYPE_SCAN_SHEET;
}

static guint
relais_scan_book_get_n_items (GListModel *model)
{
  return RELAIS_SCAN_BOOK (model)->pages->len;
}

static gpointer
relais_scan_book_get_item (GListModel *model,
                           guint       position)
{
  RelaisScanBook  *self = RELAIS_SCAN_BOOK (model);
  RelaisScanSheet *sheet;

  if (position >= self->pages->len)
    return NULL;
  sheet = g_object_new (RELAIS_TYPE_SCAN_SHEET, NULL);
  sheet->page = relais_page_ref (g_ptr_array_index (self->pages, position));
  return sheet;
}

static void
relais_scan_book_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = relais_scan_book_get_item_type;
  iface->get_n_items = relais_scan_book_get_n_items;
  iface->get_item = relais_scan_book_get_item;
}

/* Pages changed: a new generation, the selection kept in range, then the
 * listeners told (once the book is consistent). */
static void
changed (RelaisScanBook *self,
         guint           position,
         guint           removed,
         guint           added)
{
  if (self->pages->len == 0)
    self->selected = 0;
  else
    self->selected = MIN (self->selected, self->pages->len - 1);
  self->generation++;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

RelaisScanBook *
relais_scan_book_new (void)
{
  return g_object_new (RELAIS_TYPE_SCAN_BOOK, NULL);
}

guint
relais_scan_book_get_n_pages (RelaisScanBook *self)
{
  g_return_val_if_fail (RELAIS_IS_SCAN_BOOK (self), 0);

  return self->pages->len;
}

RelaisPage *
relais_scan_book_get_page (RelaisScanBook *self,
                           guint           index)
{
  g_return_val_if_fail (RELAIS_IS_SCAN_BOOK (self), NULL);
  g_return_val_if_fail (index < self->pages->len, NULL);

  return g_ptr_array_index (self->pages, index);
}

GPtrArray *
relais_scan_book_get_pages (RelaisScanBook *self)
{
  g_return_val_if_fail (RELAIS_IS_SCAN_BOOK (self), NULL);

  return self->pages;
}

void
relais_scan_book_append (RelaisScanBook *self,
                         RelaisPage     *page)
{
  g_return_if_fail (RELAIS_IS_SCAN_BOOK (self));
  g_return_if_fail (page != NULL);

  g_ptr_array_add (self->pages, relais_page_ref (page));
  self->selected = self->pages->len - 1;
  changed (self, self->pages->len - 1, 0, 1);
}

void
relais_scan_book_rotate_selected (RelaisScanBook *self)
{
  RelaisPage *rotated;

  g_return_if_fail (RELAIS_IS_SCAN_BOOK (self));

  if (self->pages->len == 0)
    return;
  rotated = relais_page_rotate (g_ptr_array_index (self->pages, self->selected), 1);
  relais_page_unref (g_ptr_array_index (self->pages, self->selected));
  g_ptr_array_index (self->pages, self->selected) = rotated;
  changed (self, self->selected, 1, 1);
}

void
relais_scan_book_delete_selected (RelaisScanBook *self)
{
  guint position;

  g_return_if_fail (RELAIS_IS_SCAN_BOOK (self));

  if (self->pages->len == 0)
    return;
  position = self->selected;
  g_ptr_array_remove_index (self->pages, position);
  /* The one that took its place, or the new last one. */
  if (self->selected > 0 && self->selected >= self->pages->len)
    self->selected--;
  changed (self, position, 1, 0);
}

void
relais_scan_book_move_selected (RelaisScanBook *self,
                                int             delta)
{
  guint    target;
  guint    position;
  gpointer page;

  g_return_if_fail (RELAIS_IS_SCAN_BOOK (self));

  if (self->pages->len < 2)
    return;
  if ((delta < 0 && self->selected == 0) || (delta > 0 && self->selected + 1 >= self->pages->len))
    return;
  target = delta < 0 ? self->selected - 1 : self->selected + 1;
  page = g_ptr_array_index (self->pages, self->selected);
  g_ptr_array_index (self->pages, self->selected) = g_ptr_array_index (self->pages, target);
  g_ptr_array_index (self->pages, target) = page;
  position = MIN (self->selected, target);
  self->selected = target;
  changed (self, position, 2, 2);
}

void
relais_scan_book_clear (RelaisScanBook *self)
{
  guint removed;

  g_return_if_fail (RELAIS_IS_SCAN_BOOK (self));

  removed = self->pages->len;
  g_ptr_array_set_size (self->pages, 0);
  relais_scan_book_set_card_front (self, NULL);
  changed (self, 0, removed, 0);
}

guint
relais_scan_book_get_selected (RelaisScanBook *self)
{
  g_return_val_if_fail (RELAIS_IS_SCAN_BOOK (self), 0);

  return self->selected;
}

void
relais_scan_book_select (RelaisScanBook *self,
                         guint           index)
{
  g_return_if_fail (RELAIS_IS_SCAN_BOOK (self));
  g_return_if_fail (index < self->pages->len);

  self->selected = index;
  /* Told even when it was selected already: a touch on it shows it. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

RelaisPage *
relais_scan_book_get_card_front (RelaisScanBook *self)
{
  g_return_val_if_fail (RELAIS_IS_SCAN_BOOK (self), NULL);

  return self->card_front;
}

void
relais_scan_book_set_card_front (RelaisScanBook *self,
                                 RelaisPage     *front)
{
  g_return_if_fail (RELAIS_IS_SCAN_BOOK (self));

  if (front == self->card_front)
    return;
  g_clear_pointer (&self->card_front, relais_page_unref);
  if (front != NULL)
    self->card_front = relais_page_ref (front);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CARD_FRONT]);
}

guint
relais_scan_book_get_generation (RelaisScanBook *self)
{
  g_return_val_if_fail (RELAIS_IS_SCAN_BOOK (self), 0);

  return self->generation;
}

static void
relais_scan_book_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelaisScanBook *self = RELAIS_SCAN_BOOK (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_uint (value, self->selected);
      break;
    case PROP_CARD_FRONT:
      g_value_set_boxed (value, self->card_front);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relais_scan_book_finalize (GObject *object)
{
  RelaisScanBook *self = RELAIS_SCAN_BOOK (object);

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->card_front, relais_page_unref);
  G_OBJECT_CLASS (relais_scan_book_parent_class)->finalize (object);
}

static void
relais_scan_book_class_init (RelaisScanBookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = relais_scan_book_get_property;
  object_class->finalize = relais_scan_book_finalize;

  properties[PROP_SELECTED] = g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, 0,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                     | G_PARAM_STATIC_STRINGS);
  properties[PROP_CARD_FRONT] = g_param_spec_boxed ("card-front", NULL, NULL, RELAIS_TYPE_PAGE,
                                                    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                        | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relais_scan_book_init (RelaisScanBook *self)
{
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) relais_page_unref);
}

/* relais-scan-book.h: the document a resident is scanning (simple-scan's
 * Book): its pages in order, the one selected, a card's front waiting for
 * its back, and a generation that changes with the pages, so that work
 * started on an older state (a PDF being made, a size being measured) is
 * known to be stale. Shared by the station's scan and copy pages and the
 * console's document scan; GLib only, main thread only. */
#pragma once

#include <gio/gio.h>
#include "relais-page.h"

G_BEGIN_DECLS

/* One page of the book as a GListModel item (a RelaisPage is a boxed
 * type; list widgets want objects). Immutable. */
#define RELAIS_TYPE_SCAN_SHEET (relais_scan_sheet_get_type ())
G_DECLARE_FINAL_TYPE (RelaisScanSheet, relais_scan_sheet, RELAIS, SCAN_SHEET, GObject)

RelaisPage *relais_scan_sheet_get_page (RelaisScanSheet *self);

/* A GListModel of RelaisScanSheet. "items-changed" comes with every
 * change of the pages; "notify::selected" when only the selection moved;
 * "notify::card-front" when the front is kept or dropped. */
#define RELAIS_TYPE_SCAN_BOOK (relais_scan_book_get_type ())
G_DECLARE_FINAL_TYPE (RelaisScanBook, relais_scan_book, RELAIS, SCAN_BOOK, GObject)

RelaisScanBook *relais_scan_book_new (void);
guint           relais_scan_book_get_n_pages (RelaisScanBook *self);
/* Returns: (transfer none). */
RelaisPage     *relais_scan_book_get_page (RelaisScanBook *self,
                                           guint           index);
/* The pages in order, for relais_pdf_build_async () (which references
 * them). Returns: (transfer none) (element-type RelaisPage): valid until
 * the next change. */
GPtrArray      *relais_scan_book_get_pages (RelaisScanBook *self);
/* Adds @page (a reference is taken) at the end, and selects it. */
void            relais_scan_book_append (RelaisScanBook *self,
                                         RelaisPage     *page);
/* What the page tools do, to the selected page; nothing when empty. */
void            relais_scan_book_rotate_selected (RelaisScanBook *self);
void            relais_scan_book_delete_selected (RelaisScanBook *self);
/* Swaps the selected page with its neighbour (@delta < 0: the one before),
 * which stays selected; nothing at either end. */
void            relais_scan_book_move_selected (RelaisScanBook *self,
                                                int             delta);
/* Forgets every page and the card's front: the next resident finds
 * nothing. */
void            relais_scan_book_clear (RelaisScanBook *self);
/* Valid when the book has pages (0 otherwise). */
guint           relais_scan_book_get_selected (RelaisScanBook *self);
void            relais_scan_book_select (RelaisScanBook *self,
                                         guint           index);
/* A card's front, waiting for its back (not one of the pages). */
RelaisPage     *relais_scan_book_get_card_front (RelaisScanBook *self);
/* @front: a reference is taken; NULL drops the one kept. */
void            relais_scan_book_set_card_front (RelaisScanBook *self,
                                                 RelaisPage     *front);
/* Changes whenever the pages do (not the selection nor the card front). */
guint           relais_scan_book_get_generation (RelaisScanBook *self);

G_END_DECLS

/* The pre-scan of extraction's limits (limits.bound_markup in C); see _prescan.c. */
#ifndef LINKSCOPE_PRESCAN_H
#define LINKSCOPE_PRESCAN_H

#include <stddef.h>

/* Reasons a page was cut, as bits (also the bits of a walk's "truncated"). */
enum { PRESCAN_ATTRIBUTES = 1, PRESCAN_DEPTH = 2, PRESCAN_ELEMENTS = 4, PRESCAN_TIME = 8 };

/* Scan data[0:n] and cut what lies beyond the limits (<= 0: no limit). Sets *out to a new
 * buffer (free() it) and *out_len when something was cut, else leaves *out NULL; *reasons gets
 * the PRESCAN_* bits. Returns 0, or -1 when out of memory. */
int linkscope_prescan(const char *data, size_t n, long max_attrs, long max_depth,
                      long max_elements, char **out, size_t *out_len, unsigned *reasons);

#endif

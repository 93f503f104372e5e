/* The pre-scan of extraction's limits in C: limits.bound_markup over UTF-8 bytes.
 *
 * limits.py says why (lexbor's parse is quadratic in the attributes of one element and in the
 * depth of the stack of open elements) and what is cut; this is the same state machine, step
 * for step, on bytes instead of a str (every character it looks at is ASCII), tested equal to
 * it. It makes no Python objects: _walk.c calls it before parsing and exposes it as prescan().
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "_prescan.h"

static bool is_ws(unsigned char c) {
    return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* What limits.py's sets say of a lower-case tag name (a switch rather than a search of the
 * sets: it runs for every start tag). */
enum { K_VOID = 1, K_UNCOUNTED = 2, K_RAW_TEXT = 4, K_FOREIGN = 8, K_HTML = 16, K_BODY = 32 };

static unsigned tag_kind(const char *n, size_t len) {
#define IS(word) (memcmp(n, word, len) == 0)
    switch (len) {
    case 1:
        return n[0] == 'p' ? K_UNCOUNTED : 0;
    case 2:
        if (IS("br") || IS("hr")) return K_VOID;
        if (IS("li") || IS("dt") || IS("dd") || IS("tr") || IS("td") || IS("th") || IS("rb") ||
            IS("rt") || IS("rp"))
            return K_UNCOUNTED;
        return 0;
    case 3:
        if (IS("img") || IS("col") || IS("wbr")) return K_VOID;
        if (IS("rtc")) return K_UNCOUNTED;
        if (IS("svg")) return K_FOREIGN;
        if (IS("xmp")) return K_RAW_TEXT;
        return 0;
    case 4:
        if (IS("area") || IS("base") || IS("link") || IS("meta")) return K_VOID;
        if (IS("html")) return K_UNCOUNTED | K_HTML;
        if (IS("body")) return K_UNCOUNTED | K_BODY;
        if (IS("head")) return K_UNCOUNTED;
        if (IS("math")) return K_FOREIGN;
        return 0;
    case 5:
        if (IS("embed") || IS("input") || IS("param") || IS("track") || IS("frame") ||
            IS("image"))
            return K_VOID;
        if (IS("tbody") || IS("thead") || IS("tfoot")) return K_UNCOUNTED;
        if (IS("style") || IS("title")) return K_RAW_TEXT;
        return 0;
    case 6:
        if (IS("keygen") || IS("source")) return K_VOID;
        if (IS("option")) return K_UNCOUNTED;
        if (IS("script") || IS("iframe")) return K_RAW_TEXT;
        return 0;
    case 7:
        if (IS("bgsound")) return K_VOID;
        if (IS("caption")) return K_UNCOUNTED;
        if (IS("noembed")) return K_RAW_TEXT;
        return 0;
    case 8:
        if (IS("basefont")) return K_VOID;
        if (IS("optgroup") || IS("colgroup")) return K_UNCOUNTED;
        if (IS("noframes") || IS("textarea")) return K_RAW_TEXT;
        return 0;
    case 9:
        return IS("plaintext") ? K_RAW_TEXT : 0;
    default:
        return 0;
    }
#undef IS
}

/* ---- names of open elements: lower-case name -> how many are open ---- */

/* A name, kept at a stable index of name_table.entries (the hash table holds indices, so the
 * stack and the cuts can refer to names while the table grows). */
typedef struct { uint64_t hash; const unsigned char *name; size_t len; long open; } name_entry;
typedef struct {
    name_entry *entries;
    size_t used, entries_cap;
    size_t *slots;  /* index + 1 into entries; 0: empty */
    size_t cap;
} name_table;

static uint64_t lower_hash(const unsigned char *s, size_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t k = 0; k < len; k++) {
        unsigned char c = s[k];
        if (c >= 'A' && c <= 'Z') c |= 0x20;
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

static bool same_name(const unsigned char *a, const unsigned char *b, size_t len) {
    for (size_t k = 0; k < len; k++) {
        unsigned char x = a[k], y = b[k];
        if (x >= 'A' && x <= 'Z') x |= 0x20;
        if (y >= 'A' && y <= 'Z') y |= 0x20;
        if (x != y) return false;
    }
    return true;
}

/* The index of a name's entry (added with open == 0 when absent), or -1 when out of memory. */
static long name_find(name_table *t, const unsigned char *name, size_t len) {
    if (2 * (t->used + 1) > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        size_t *slots = calloc(cap, sizeof *slots);
        if (slots == NULL) return -1;
        for (size_t k = 0; k < t->used; k++) {
            size_t at = t->entries[k].hash & (cap - 1);
            while (slots[at]) at = (at + 1) & (cap - 1);
            slots[at] = k + 1;
        }
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    uint64_t hash = lower_hash(name, len);
    size_t at = hash & (t->cap - 1);
    for (;; at = (at + 1) & (t->cap - 1)) {
        if (t->slots[at] == 0) break;
        name_entry *e = &t->entries[t->slots[at] - 1];
        if (e->hash == hash && e->len == len && same_name(e->name, name, len))
            return (long)(t->slots[at] - 1);
    }
    if (t->used == t->entries_cap) {
        size_t cap = t->entries_cap ? t->entries_cap * 2 : 64;
        name_entry *entries = realloc(t->entries, cap * sizeof *entries);
        if (entries == NULL) return -1;
        t->entries = entries;
        t->entries_cap = cap;
    }
    t->entries[t->used] = (name_entry){hash, name, len, 0};
    t->slots[at] = ++t->used;
    return (long)(t->used - 1);
}

static bool is_foreign(const name_entry *e) {
    return (e->len == 3 && same_name(e->name, (const unsigned char *)"svg", 3)) ||
           (e->len == 4 && same_name(e->name, (const unsigned char *)"math", 4));
}

/* ---- the scan ---- */

/* Position after the first "--!?>" at or after p, or n. */
static size_t comment_end(const unsigned char *s, size_t p, size_t n) {
    while (p + 2 < n) {
        const unsigned char *dash = memchr(s + p, '-', n - p - 2);
        if (dash == NULL) break;
        p = (size_t)(dash - s);
        if (s[p + 1] == '-') {
            if (s[p + 2] == '>') return p + 3;
            if (s[p + 2] == '!' && p + 3 < n && s[p + 3] == '>') return p + 4;
        }
        p++;
    }
    return n;
}

static size_t after_char(const unsigned char *s, size_t p, size_t n, unsigned char c) {
    const unsigned char *at = p < n ? memchr(s + p, c, n - p) : NULL;
    return at ? (size_t)(at - s) + 1 : n;
}

/* One attribute from p (separators, name, optional value), as limits._ATTR; its end, or p when
 * there is none (at '>' or the end). */
static size_t one_attr(const unsigned char *s, size_t p, size_t n) {
    size_t q = p;
    while (q < n && (is_ws(s[q]) || s[q] == '/')) q++;
    if (q >= n || s[q] == '>') return p;
    q++;
    while (q < n && !is_ws(s[q]) && s[q] != '/' && s[q] != '>' && s[q] != '=') q++;
    size_t r = q;
    while (r < n && is_ws(s[r])) r++;
    if (r < n && s[r] == '=') {
        r++;
        while (r < n && is_ws(s[r])) r++;
        if (r < n && (s[r] == '"' || s[r] == '\'')) {
            r = after_char(s, r + 1, n, s[r]);
        } else {
            while (r < n && !is_ws(s[r]) && s[r] != '>') r++;
        }
        q = r;
    }
    return q;
}

/* The end of a raw text element's text: the "</name" followed by a separator, or n. */
static size_t raw_text_end(const unsigned char *s, size_t p, size_t n, const char *name,
                           size_t len) {
    while (p + 2 + len < n) {
        const unsigned char *lt = memchr(s + p, '<', n - p - 2 - len);
        if (lt == NULL) break;
        p = (size_t)(lt - s);
        if (s[p + 1] == '/' && strncasecmp((const char *)s + p + 2, name, len) == 0
            && (is_ws(s[p + 2 + len]) || s[p + 2 + len] == '/' || s[p + 2 + len] == '>'))
            return p;
        p++;
    }
    return n;
}

/* data[start:stop] is replaced by "</name>" when name (an entry index) is >= 0, else dropped */
typedef struct { size_t start, stop; long name; } span;
typedef struct { span *v; size_t n, cap; } span_list;

static int add_cut(span_list *cuts, size_t start, size_t stop, long name) {
    if (cuts->n == cuts->cap) {
        size_t cap = cuts->cap ? cuts->cap * 2 : 16;
        span *v = realloc(cuts->v, cap * sizeof *v);
        if (v == NULL) return -1;
        cuts->v = v;
        cuts->cap = cap;
    }
    cuts->v[cuts->n++] = (span){start, stop, name};
    return 0;
}

typedef struct { long *v; size_t n, cap; } name_stack;  /* entry indices */

static int push(name_stack *st, name_table *names, long name) {
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        long *v = realloc(st->v, cap * sizeof *v);
        if (v == NULL) return -1;
        st->v = v;
        st->cap = cap;
    }
    st->v[st->n++] = name;
    names->entries[name].open++;
    return 0;
}

/* Pop the top of the stack; whether it was svg or math. */
static bool pop(name_stack *st, name_table *names, long *popped) {
    *popped = st->v[--st->n];
    name_entry *e = &names->entries[*popped];
    e->open--;
    return is_foreign(e);
}

int linkscope_prescan(const char *data, size_t n, long max_attrs, long max_depth,
                      long max_elements, char **out, size_t *out_len, unsigned *reasons) {
    const unsigned char *s = (const unsigned char *)data;
    *out = NULL;
    *out_len = 0;
    *reasons = 0;
    if (max_attrs <= 0 && max_depth <= 0 && max_elements <= 0) return 0;
    span_list cuts = {0};
    name_stack stack = {0};
    name_table names = {0};
    long merged_attrs[2] = {0, 0};  /* html, body */
    long foreign = 0, elements = 0;
    int failed = 0;
    size_t pos = 0;
    char lower[16];
    while (pos < n) {
        const unsigned char *lt_at = memchr(s + pos, '<', n - pos);
        if (lt_at == NULL) break;
        size_t lt = (size_t)(lt_at - s);
        if (lt + 1 >= n) break;
        unsigned char second = s[lt + 1];
        if (second == '!') {
            if (lt + 4 <= n && memcmp(s + lt, "<!--", 4) == 0) {
                if (lt + 4 < n && s[lt + 4] == '>') pos = lt + 5;
                else if (lt + 5 < n && s[lt + 4] == '-' && s[lt + 5] == '>') pos = lt + 6;
                else pos = comment_end(s, lt + 4, n);
            } else if (foreign && lt + 9 <= n && memcmp(s + lt, "<![CDATA[", 9) == 0) {
                size_t p = lt + 9;
                for (; p + 2 < n; p++)
                    if (s[p] == ']' && s[p + 1] == ']' && s[p + 2] == '>') break;
                pos = p + 2 < n ? p + 3 : n;
            } else {
                pos = after_char(s, lt + 2, n, '>');
            }
            continue;
        }
        if (second == '?') {
            pos = after_char(s, lt + 2, n, '>');
            continue;
        }
        if (second == '/') {
            if (lt + 2 >= n) break;
            unsigned char third = s[lt + 2];
            if (third == '>') { pos = lt + 3; continue; }
            if (!is_alpha(third)) { pos = after_char(s, lt + 2, n, '>'); continue; }
            size_t name_end = lt + 3;
            while (name_end < n && !is_ws(s[name_end]) && s[name_end] != '/' && s[name_end] != '>')
                name_end++;
            size_t p = name_end, next;
            while ((next = one_attr(s, p, n)) != p) p = next;
            while (p < n && (is_ws(s[p]) || s[p] == '/')) p++;
            pos = p < n ? p + 1 : n;
            long name = name_find(&names, s + lt + 2, name_end - lt - 2);
            if (name < 0) { failed = -1; break; }
            if (names.entries[name].open > 0) {
                long top;
                do {
                    if (pop(&stack, &names, &top)) foreign--;
                } while (top != name);
            }
            continue;
        }
        if (!is_alpha(second)) { pos = lt + 1; continue; }
        /* a start tag */
        size_t name_end = lt + 2;
        while (name_end < n && !is_ws(s[name_end]) && s[name_end] != '/' && s[name_end] != '>')
            name_end++;
        size_t name_len = name_end - lt - 1;
        unsigned kind = 0;
        if (name_len < sizeof lower) {
            for (size_t k = 0; k < name_len; k++) {
                unsigned char c = s[lt + 1 + k];
                lower[k] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
            }
            kind = tag_kind(lower, name_len);
        }
        size_t attrs_end = name_end, next;
        while ((next = one_attr(s, attrs_end, n)) != attrs_end) attrs_end = next;
        size_t tail = attrs_end;
        while (tail < n && (is_ws(s[tail]) || s[tail] == '/')) tail++;
        if (tail >= n) break;  /* end of file inside the tag: the tokenizer drops it */
        size_t tag_end = tail + 1;
        bool self_closing = tail > attrs_end && s[tail - 1] == '/';
        if (max_elements > 0 && elements >= max_elements) {
            if (add_cut(&cuts, lt, n, -1) < 0) failed = -1;
            *reasons |= PRESCAN_ELEMENTS;
            break;
        }
        bool counted = !(kind & (K_VOID | K_UNCOUNTED)) && !(self_closing && foreign);
        if (counted && max_depth > 0 && (long)stack.n >= max_depth) {
            /* closed before this tag opens: the depth stays at max_depth */
            long top;
            if (pop(&stack, &names, &top)) foreign--;
            if (add_cut(&cuts, lt, lt, top) < 0) { failed = -1; break; }
            *reasons |= PRESCAN_DEPTH;
        }
        elements++;
        int merged = kind & K_HTML ? 0 : kind & K_BODY ? 1 : -1;
        long allowed = merged >= 0 ? max_attrs - merged_attrs[merged] : max_attrs;
        if (max_attrs > 0 && (merged >= 0 || (long)(attrs_end - name_end) > 2 * allowed)) {
            long kept = 0;
            size_t p = name_end;
            while ((next = one_attr(s, p, attrs_end)) != p) {
                if (kept == allowed) {
                    if (add_cut(&cuts, p, attrs_end, -1) < 0) failed = -1;
                    *reasons |= PRESCAN_ATTRIBUTES;
                    break;
                }
                kept++;
                p = next;
            }
            if (merged >= 0) merged_attrs[merged] += kept;
            if (failed) break;
        }
        if (counted) {
            long name_at = name_find(&names, s + lt + 1, name_len);
            if (name_at < 0 || push(&stack, &names, name_at) < 0) { failed = -1; break; }
            if (kind & K_FOREIGN) foreign++;
        }
        pos = tag_end;
        if ((kind & K_RAW_TEXT) && !foreign) {
            if (name_len == 9) break;  /* plaintext: the rest is text */
            pos = raw_text_end(s, pos, n, lower, name_len);
        }
    }
    if (!failed && cuts.n > 0) {
        size_t total = n;
        for (size_t k = 0; k < cuts.n; k++) {
            total -= cuts.v[k].stop - cuts.v[k].start;
            if (cuts.v[k].name >= 0) total += names.entries[cuts.v[k].name].len + 3;
        }
        char *buf = malloc(total ? total : 1);
        if (buf == NULL) {
            failed = -1;
        } else {
            size_t from = 0, at = 0;
            for (size_t k = 0; k < cuts.n; k++) {
                memcpy(buf + at, data + from, cuts.v[k].start - from);
                at += cuts.v[k].start - from;
                from = cuts.v[k].stop;
                const name_entry *name = cuts.v[k].name >= 0 ? &names.entries[cuts.v[k].name] : NULL;
                if (name) {  /* "</name>", the name lower-cased as the Python pre-scan has it */
                    buf[at++] = '<';
                    buf[at++] = '/';
                    for (size_t c = 0; c < name->len; c++) {
                        unsigned char ch = name->name[c];
                        buf[at++] = (char)(ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch);
                    }
                    buf[at++] = '>';
                }
            }
            memcpy(buf + at, data + from, n - from);
            *out = buf;
            *out_len = total;
        }
    }
    free(cuts.v);
    free(stack.v);
    free(names.slots);
    free(names.entries);
    return failed;
}

/* The tree pass of extraction in C: parse a page with lexbor and walk it once.
 *
 * The lexbor library is the one selectolax ships, linked statically into selectolax's extension
 * module, which exports lexbor's API in its dynamic symbol table. `bind(path)` looks the functions
 * up in that already loaded module (dlopen with RTLD_NOLOAD, then dlsym) and checks on a probe
 * page that they behave as expected; `walk(text, limits...)` then bounds the markup (the
 * pre-scan of _prescan.c, limits.py's in C), parses it in chunks (the deadline is checked
 * between two), walks it up to the element limit, and returns the
 * same facts as tree.read_tree (see tree.py, which owns their meaning), plus the per-element text
 * statistics that placement.py would otherwise compute from them.
 *
 * Everything that is vocabulary (which tags are containers, inline, link tags; what a class name
 * says) stays in Python: the first time a tag name is seen, `tag_facts(name)` says what it is;
 * the first time a (tag, class, id, role) combination is seen, `own_signal(...)` gives its region
 * signal; each <meta> goes to `meta_fact(...)`. Their answers are cached here.
 *
 * Only lexbor's exported functions are called, with one exception: a text node's character data
 * is read at the offset that follows lexbor's node struct, which `bind` verifies on the probe
 * against lxb_dom_node_text_content (a function that copies it).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "_prescan.h"

typedef unsigned char lxb_char_t;

/* lexbor's node struct as lexbor 2.x lays it out; only its size is used (see above). */
struct lexbor_node_layout {
    void *events;
    uintptr_t local_name, prefix, ns;
    void *owner_document;
    void *next, *prev, *parent, *first_child, *last_child;
    void *user;
    int type;
};
typedef struct { lxb_char_t *data; size_t length; } lexbor_str;

enum { TAG_TEXT = 2, TAG_DOCUMENT = 3, TAG_COMMENT = 4, TAG_DOCTYPE = 5 };
enum { NODE_ELEMENT = 1, NODE_TEXT = 3 };

static struct {
    void *(*document_create)(void);
    void *(*document_destroy)(void *);
    unsigned int (*document_parse)(void *, const lxb_char_t *, size_t);
    unsigned int (*parse_chunk_begin)(void *);
    unsigned int (*parse_chunk)(void *, const lxb_char_t *, size_t);
    unsigned int (*parse_chunk_end)(void *);
    void (*dom_opt_set)(void *, uint32_t);
    void (*scripting_set)(void *, bool);
    void *(*document_root)(void *);
    void *(*first_child)(void *);
    void *(*next)(void *);
    void *(*parent)(void *);
    uintptr_t (*tag_id)(void *);
    int (*node_type)(void *);
    const lxb_char_t *(*element_name)(const void *, size_t *);
    void *(*first_attribute)(void *);
    void *(*next_attribute)(void *);
    const lxb_char_t *(*attribute_name)(void *, size_t *);
    const lxb_char_t *(*attribute_value)(void *, size_t *);
    lxb_char_t *(*text_content)(void *, size_t *);
    void *(*destroy_text)(void *, lxb_char_t *);
} lx;

static bool bound = false;
static size_t text_offset = sizeof(struct lexbor_node_layout);
static PyObject *tag_facts_fn, *own_signal_fn, *meta_fact_fn;
static PyObject *s_a, *s_area, *s_link, *s_iframe, *s_form, *s_refresh, *s_robots, *s_empty;

/* ---- tag names: content -> (str, facts), cached for the life of the process ---- */

/* Facts of a tag name, as tag_facts() in fastwalk.py encodes them. */
enum {
    F_SKIP_TEXT = 1, F_CONTAINER = 2, F_INLINE = 4, F_IGNORED = 8,
    F_A = 16, F_AREA = 32, F_IMG = 64, F_LINK = 128, F_IFRAME = 256, F_BASE = 512,
    F_META = 1024, F_HTML = 2048, F_FORM = 4096
};

typedef struct {
    char *key;
    size_t len;
    PyObject *name;
    long facts;
    long signal;
} name_entry;

#define NAME_SLOTS 4096
#define NAME_MAX_CACHED 64  /* longer tag names are not cached: a page cannot fill memory */
static name_entry names[NAME_SLOTS];
static size_t names_used = 0;

static uint64_t hash_bytes(const lxb_char_t *data, size_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t k = 0; k < len; k++) h = (h ^ data[k]) * 1099511628211ULL;
    return h;
}

/* The cached entry of a tag name, or a temporary one (tmp) when the table is full. */
static name_entry *lookup_name(const lxb_char_t *data, size_t len, name_entry *tmp) {
    size_t slot = hash_bytes(data, len) & (NAME_SLOTS - 1);
    for (size_t probe = 0; probe < NAME_SLOTS; probe++) {
        name_entry *e = &names[(slot + probe) & (NAME_SLOTS - 1)];
        if (e->key == NULL) break;
        if (e->len == len && memcmp(e->key, data, len) == 0) return e;
    }
    PyObject *name = PyUnicode_DecodeUTF8((const char *)data, (Py_ssize_t)len, "replace");
    if (name == NULL) return NULL;
    PyObject *answer = PyObject_CallOneArg(tag_facts_fn, name);
    if (answer == NULL) { Py_DECREF(name); return NULL; }
    long facts = 0, signal = 0;
    if (!PyArg_ParseTuple(answer, "ll", &facts, &signal)) {
        Py_DECREF(answer); Py_DECREF(name); return NULL;
    }
    Py_DECREF(answer);
    name_entry *e = tmp;
    if (len <= NAME_MAX_CACHED && names_used < NAME_SLOTS / 2) {
        for (size_t probe = 0;; probe++) {
            e = &names[(slot + probe) & (NAME_SLOTS - 1)];
            if (e->key == NULL) break;
        }
        e->key = PyMem_RawMalloc(len ? len : 1);
        if (e->key == NULL) { Py_DECREF(name); PyErr_NoMemory(); return NULL; }
        memcpy(e->key, data, len);
        names_used++;
    } else {
        tmp->key = NULL;  /* not cached: the caller releases tmp->name */
    }
    e->len = len;
    e->name = name;
    e->facts = facts;
    e->signal = signal;
    return e;
}

/* ---- growable arrays ---- */

typedef struct { Py_ssize_t *v; Py_ssize_t n, cap; } ivec;

static int ivec_push(ivec *a, Py_ssize_t x) {
    if (a->n == a->cap) {
        Py_ssize_t cap = a->cap ? a->cap * 2 : 256;
        Py_ssize_t *v = PyMem_Realloc(a->v, (size_t)cap * sizeof(Py_ssize_t));
        if (v == NULL) { PyErr_NoMemory(); return -1; }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

static PyObject *ivec_list(const ivec *a) {
    PyObject *list = PyList_New(a->n);
    if (list == NULL) return NULL;
    for (Py_ssize_t k = 0; k < a->n; k++) {
        PyObject *x = PyLong_FromSsize_t(a->v[k]);
        if (x == NULL) { Py_DECREF(list); return NULL; }
        PyList_SET_ITEM(list, k, x);
    }
    return list;
}

typedef struct {
    PyObject *kind;  /* borrowed interned string */
    Py_ssize_t element;
    PyObject *href, *rel, *alt;  /* owned; rel and alt may be NULL for None */
} raw_link;

typedef struct { raw_link *v; Py_ssize_t n, cap; } lvec;

static int lvec_push(lvec *a, PyObject *kind, Py_ssize_t element, PyObject *href,
                     PyObject *rel, PyObject *alt) {
    if (a->n == a->cap) {
        Py_ssize_t cap = a->cap ? a->cap * 2 : 64;
        raw_link *v = PyMem_Realloc(a->v, (size_t)cap * sizeof(raw_link));
        if (v == NULL) {  /* the link owns href, rel and alt (not kind): release them */
            Py_XDECREF(href);
            Py_XDECREF(rel);
            Py_XDECREF(alt);
            PyErr_NoMemory();
            return -1;
        }
        a->v = v;
        a->cap = cap;
    }
    raw_link *l = &a->v[a->n++];
    l->kind = kind;
    l->element = element;
    l->href = href;
    l->rel = rel;
    l->alt = alt;
    return 0;
}

/* ---- attributes ---- */

typedef struct { const lxb_char_t *data; size_t len; bool present; bool valued; } attr_ref;

static bool name_is(const lxb_char_t *name, size_t len, const char *want) {
    size_t wl = strlen(want);
    return len == wl && memcmp(name, want, wl) == 0;
}

/* Read the named attributes of an element; as a dict of them would, a later duplicate wins. */
static void read_attrs(void *element, const char *const *wanted, attr_ref *out, int count) {
    for (int k = 0; k < count; k++) out[k].present = out[k].valued = false;
    for (void *attr = lx.first_attribute(element); attr != NULL; attr = lx.next_attribute(attr)) {
        size_t len = 0;
        const lxb_char_t *name = lx.attribute_name(attr, &len);
        if (name == NULL) continue;
        for (int k = 0; k < count; k++) {
            if (name_is(name, len, wanted[k])) {
                size_t vlen = 0;
                const lxb_char_t *value = lx.attribute_value(attr, &vlen);
                out[k].present = true;
                out[k].valued = value != NULL;
                out[k].data = value;
                out[k].len = vlen;
                break;
            }
        }
    }
}

/* The attribute as selectolax gives it: None when absent or without a value. */
static PyObject *attr_object(const attr_ref *a) {
    if (!a->present || !a->valued) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8((const char *)a->data, (Py_ssize_t)a->len, "replace");
}

/* A truthy attribute: present with a non-empty value. */
static bool attr_truthy(const attr_ref *a) { return a->present && a->valued && a->len > 0; }

/* ---- text ---- */

static bool ascii_space(lxb_char_t c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}

/* Facts of one text piece as Python sees them: len(text.strip()), text.count(","), the number
 * of words of text.split(), and whether text.isspace(). */
static void text_facts(PyObject *text, Py_ssize_t *stripped, Py_ssize_t *commas,
                       Py_ssize_t *words, bool *all_space) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t first = -1, last = -1, c = 0, w = 0;
    bool in_word = false;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, k);
        if (Py_UNICODE_ISSPACE(ch)) {
            in_word = false;
            continue;
        }
        if (first < 0) first = k;
        last = k;
        if (ch == ',') c++;
        if (!in_word) { w++; in_word = true; }
    }
    *stripped = first < 0 ? 0 : last - first + 1;
    *commas = c;
    *words = w;
    *all_space = first < 0;
}

static bool text_is_blank(const lexbor_str *s) {
    for (size_t k = 0; k < s->length; k++)
        if (!ascii_space(s->data[k])) return false;
    return true;
}

/* ---- the signal of a container element, from Python, cached by its strings ---- */

static int append_part(char **buf, size_t *len, size_t *cap, const attr_ref *a) {
    size_t add = a->present && a->valued ? a->len : 0;
    size_t need = *len + sizeof(uint32_t) + add;
    if (need > *cap) {
        size_t cap2 = need * 2;
        char *b = PyMem_Realloc(*buf, cap2);
        if (b == NULL) { PyErr_NoMemory(); return -1; }
        *buf = b;
        *cap = cap2;
    }
    uint32_t l32 = (uint32_t)add;
    memcpy(*buf + *len, &l32, sizeof l32);
    if (add) memcpy(*buf + *len + sizeof l32, a->data, add);
    *len = need;
    return 0;
}

static PyObject *attr_or_empty(const attr_ref *a) {
    if (!a->present || !a->valued) { Py_INCREF(s_empty); return s_empty; }
    return PyUnicode_DecodeUTF8((const char *)a->data, (Py_ssize_t)a->len, "replace");
}

/* (tag, class, id, role) -> signal, cached for the life of the process */
typedef struct {
    char *key;
    size_t len;
    uint64_t hash;
    long signal;
} signal_entry;

#define SIGNAL_SLOTS 65536
#define SIGNAL_MAX_CACHED 512  /* longer keys (a class list of a page's own) are not cached */
static signal_entry signals[SIGNAL_SLOTS];
static size_t signals_used = 0;

static long container_signal(name_entry *tag, const attr_ref *cls, const attr_ref *ident,
                             const attr_ref *role, char **buf, size_t *cap) {
    size_t len = 0;
    attr_ref name = {(const lxb_char_t *)tag->key, tag->len, true, true};
    if (tag->key == NULL) {
        const char *utf8 = PyUnicode_AsUTF8AndSize(tag->name, (Py_ssize_t *)&name.len);
        if (utf8 == NULL) return -1;
        name.data = (const lxb_char_t *)utf8;
    }
    if (append_part(buf, &len, cap, &name) < 0 || append_part(buf, &len, cap, cls) < 0 ||
        append_part(buf, &len, cap, ident) < 0 || append_part(buf, &len, cap, role) < 0)
        return -1;
    uint64_t hash = hash_bytes((const lxb_char_t *)*buf, len);
    size_t slot = hash & (SIGNAL_SLOTS - 1);
    for (;; slot = (slot + 1) & (SIGNAL_SLOTS - 1)) {
        signal_entry *e = &signals[slot];
        if (e->key == NULL) break;
        if (e->hash == hash && e->len == len && memcmp(e->key, *buf, len) == 0) return e->signal;
    }
    PyObject *c = attr_or_empty(cls), *i = attr_or_empty(ident), *r = attr_or_empty(role);
    PyObject *answer = NULL;
    if (c && i && r) answer = PyObject_CallFunctionObjArgs(own_signal_fn, tag->name, c, i, r, NULL);
    Py_XDECREF(c);
    Py_XDECREF(i);
    Py_XDECREF(r);
    if (answer == NULL) return -1;
    long signal = PyLong_AsLong(answer);
    Py_DECREF(answer);
    if (signal == -1 && PyErr_Occurred()) return -1;
    if (len > SIGNAL_MAX_CACHED) return signal;
    if (signals_used >= SIGNAL_SLOTS / 2) {  /* full: start over rather than probe forever */
        for (size_t k = 0; k < SIGNAL_SLOTS; k++) {
            PyMem_RawFree(signals[k].key);
            signals[k].key = NULL;
        }
        signals_used = 0;
    }
    /* the call above may have let another thread fill the slot found before it: look again */
    for (slot = hash & (SIGNAL_SLOTS - 1);; slot = (slot + 1) & (SIGNAL_SLOTS - 1)) {
        signal_entry *e = &signals[slot];
        if (e->key == NULL) break;
        if (e->hash == hash && e->len == len && memcmp(e->key, *buf, len) == 0) return signal;
    }
    char *key = PyMem_RawMalloc(len ? len : 1);
    if (key == NULL) return signal;  /* not cached */
    memcpy(key, *buf, len);
    signals[slot] = (signal_entry){key, len, hash, signal};
    signals_used++;
    return signal;
}

/* ---- the walk ---- */

typedef struct {
    PyObject *tags, *texts, *robots;  /* lists */
    ivec parents, signals, in_link, block_of, text_owner, text_link;
    ivec total, linked, commas, block;
    ivec span_first, span_count;  /* per element: its first text piece and how many it has */
    unsigned char *skip;
    Py_ssize_t skip_cap;
    lvec links;
    PyObject *base_href, *lang;  /* NULL until found */
    Py_ssize_t words;
    void *title;  /* the first <title> element */
    char *buf;
    size_t buf_cap;
    unsigned truncated;  /* PRESCAN_* bits: what the limits cut */
} walk_state;

static void release_state(walk_state *s) {
    Py_XDECREF(s->tags);
    Py_XDECREF(s->texts);
    Py_XDECREF(s->robots);
    ivec *all[] = {&s->parents, &s->signals, &s->in_link, &s->block_of, &s->text_owner,
                   &s->text_link, &s->total, &s->linked, &s->commas, &s->block,
                   &s->span_first, &s->span_count};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) PyMem_Free(all[k]->v);
    PyMem_Free(s->skip);
    for (Py_ssize_t k = 0; k < s->links.n; k++) {
        Py_XDECREF(s->links.v[k].href);
        Py_XDECREF(s->links.v[k].rel);
        Py_XDECREF(s->links.v[k].alt);
    }
    PyMem_Free(s->links.v);
    Py_XDECREF(s->base_href);
    Py_XDECREF(s->lang);
    PyMem_Free(s->buf);
}

static int visit_text(walk_state *s, void *node, Py_ssize_t parent) {
    if (parent < 0 || s->skip[parent]) return 0;
    const lexbor_str *str = (const lexbor_str *)((const char *)node + text_offset);
    if (str->data == NULL || str->length == 0 || text_is_blank(str)) return 0;
    PyObject *text = PyUnicode_DecodeUTF8((const char *)str->data, (Py_ssize_t)str->length,
                                          "replace");
    if (text == NULL) return -1;
    Py_ssize_t stripped, commas, words;
    bool blank;
    text_facts(text, &stripped, &commas, &words, &blank);
    if (blank) { Py_DECREF(text); return 0; }
    int failed = PyList_Append(s->texts, text);
    Py_DECREF(text);
    if (failed) return -1;
    Py_ssize_t link = s->in_link.v[parent];
    if (ivec_push(&s->text_owner, parent) < 0 || ivec_push(&s->text_link, link) < 0) return -1;
    s->total.v[parent] += stripped;
    if (link >= 0) {
        s->linked.v[parent] += stripped;
        if (s->span_count.v[link]++ == 0) s->span_first.v[link] = s->text_owner.n - 1;
    }
    s->commas.v[parent] += commas;
    s->block.v[s->block_of.v[parent]] += stripped;
    s->words += words;
    return 0;
}

static const char *const CONTAINER_ATTRS[] = {"class", "id", "role", "action"};
static const char *const LINK_ATTRS[] = {"href", "rel", "alt", "src"};
static const char *const META_ATTRS[] = {"name", "http-equiv", "content"};
static const char *const HTML_ATTRS[] = {"lang", "xml:lang"};

static int visit_meta(walk_state *s, void *node) {
    attr_ref a[3];
    read_attrs(node, META_ATTRS, a, 3);
    PyObject *name = attr_object(&a[0]), *equiv = attr_object(&a[1]), *content = attr_object(&a[2]);
    PyObject *fact = NULL;
    if (name && equiv && content)
        fact = PyObject_CallFunctionObjArgs(meta_fact_fn, name, equiv, content, NULL);
    Py_XDECREF(name);
    Py_XDECREF(equiv);
    Py_XDECREF(content);
    if (fact == NULL) return -1;
    int result = 0;
    if (fact != Py_None && (!PyTuple_Check(fact) || PyTuple_GET_SIZE(fact) != 2)) {
        PyErr_SetString(PyExc_TypeError, "meta_fact must give (str, value) or None");
        result = -1;
    } else if (fact != Py_None) {
        PyObject *what = PyTuple_GET_ITEM(fact, 0), *value = PyTuple_GET_ITEM(fact, 1);
        if (!PyUnicode_Check(what)) {
            PyErr_SetString(PyExc_TypeError, "meta_fact must give (str, value) or None");
            result = -1;
        } else if (PyUnicode_Compare(what, s_robots) == 0) {
            result = PyList_Append(s->robots, value);
        } else {
            Py_INCREF(value);
            result = lvec_push(&s->links, s_refresh, 0, value, NULL, NULL);
        }
    }
    Py_DECREF(fact);
    return result;
}

static Py_ssize_t visit_element(walk_state *s, void *node, Py_ssize_t parent) {
    size_t len = 0;
    const lxb_char_t *raw = lx.element_name(node, &len);
    if (raw == NULL) return -1;
    name_entry tmp = {0};
    name_entry *tag = lookup_name(raw, len, &tmp);
    if (tag == NULL) return -2;
    long facts = tag->facts;
    if (facts & F_IGNORED) {
        if (tag == &tmp) Py_DECREF(tmp.name);
        return -1;
    }
    Py_ssize_t i = PyList_GET_SIZE(s->tags);
    int failed = PyList_Append(s->tags, tag->name);
    if (tag == &tmp) Py_DECREF(tmp.name);
    if (failed) return -2;
    if (i >= s->skip_cap) {
        Py_ssize_t cap = s->skip_cap ? s->skip_cap * 2 : 256;
        unsigned char *v = PyMem_Realloc(s->skip, (size_t)cap);
        if (v == NULL) { PyErr_NoMemory(); return -2; }
        s->skip = v;
        s->skip_cap = cap;
    }
    s->skip[i] = (facts & F_SKIP_TEXT) || (parent >= 0 && s->skip[parent]);
    Py_ssize_t link_here = parent >= 0 ? s->in_link.v[parent] : -1;
    long signal = tag->signal;
    if (ivec_push(&s->parents, parent) < 0 ||
        ivec_push(&s->block_of, parent >= 0 && (facts & F_INLINE) ? s->block_of.v[parent] : i) < 0 ||
        ivec_push(&s->total, 0) < 0 || ivec_push(&s->linked, 0) < 0 ||
        ivec_push(&s->commas, 0) < 0 || ivec_push(&s->block, 0) < 0 ||
        ivec_push(&s->span_first, 0) < 0 || ivec_push(&s->span_count, 0) < 0)
        return -2;
    if (facts & F_CONTAINER) {
        attr_ref a[4];
        read_attrs(node, CONTAINER_ATTRS, a, 4);
        if (attr_truthy(&a[0]) || attr_truthy(&a[1]) || attr_truthy(&a[2])) {
            signal = container_signal(tag == &tmp ? &tmp : tag, &a[0], &a[1], &a[2], &s->buf,
                                      &s->buf_cap);
            if (signal == -1 && PyErr_Occurred()) return -2;
        }
        if ((facts & F_FORM) && a[3].present && a[3].valued) {
            bool blank = true;
            for (size_t k = 0; k < a[3].len && blank; k++) blank = ascii_space(a[3].data[k]);
            if (!blank) {
                /* .strip() also strips non-ASCII whitespace: decide on the decoded string */
                PyObject *action = attr_object(&a[3]);
                if (action == NULL) return -2;
                Py_ssize_t st, cm, wd;
                bool all_space;
                text_facts(action, &st, &cm, &wd, &all_space);
                if (all_space) Py_DECREF(action);
                else if (lvec_push(&s->links, s_form, i, action, NULL, NULL) < 0) return -2;
            }
        }
    } else if (facts & (F_A | F_AREA | F_LINK | F_IFRAME | F_BASE | F_IMG)) {
        attr_ref a[4];
        read_attrs(node, LINK_ATTRS, a, 4);
        if (facts & (F_A | F_AREA)) {
            if (a[0].present && a[0].valued) {
                PyObject *href = attr_object(&a[0]), *rel = NULL, *alt = NULL;
                if (href == NULL) return -2;
                if (a[1].present && a[1].valued) {
                    rel = attr_object(&a[1]);
                    if (rel == NULL) { Py_DECREF(href); return -2; }
                }
                if (facts & F_AREA) {
                    alt = attr_truthy(&a[2]) ? attr_object(&a[2]) : (Py_INCREF(s_empty), s_empty);
                    if (alt == NULL) { Py_DECREF(href); Py_XDECREF(rel); return -2; }
                }
                if (lvec_push(&s->links, (facts & F_AREA) ? s_area : s_a, i, href, rel, alt) < 0)
                    return -2;
                link_here = i;
            }
        } else if (facts & F_IMG) {
            if (link_here >= 0 && s->links.n > 0) {
                raw_link *last = &s->links.v[s->links.n - 1];
                if (last->element == link_here && last->alt == NULL) {
                    last->alt = attr_truthy(&a[2]) ? attr_object(&a[2])
                                                   : (Py_INCREF(s_empty), s_empty);
                    if (last->alt == NULL) return -2;
                }
            }
        } else if (facts & F_LINK) {
            if (a[0].present && a[0].valued) {
                PyObject *href = attr_object(&a[0]), *rel = NULL;
                if (href == NULL) return -2;
                if (a[1].present && a[1].valued) {
                    rel = attr_object(&a[1]);
                    if (rel == NULL) { Py_DECREF(href); return -2; }
                }
                if (lvec_push(&s->links, s_link, i, href, rel, NULL) < 0) return -2;
            }
        } else if (facts & F_IFRAME) {
            if (a[3].present && a[3].valued) {
                PyObject *src = attr_object(&a[3]);
                if (src == NULL) return -2;
                Py_ssize_t st, cm, wd;
                bool all_space;
                text_facts(src, &st, &cm, &wd, &all_space);
                if (all_space) Py_DECREF(src);
                else if (lvec_push(&s->links, s_iframe, i, src, NULL, NULL) < 0) return -2;
            }
        } else if (facts & F_BASE) {
            if (s->base_href == NULL && a[0].present && a[0].valued) {
                s->base_href = attr_object(&a[0]);
                if (s->base_href == NULL) return -2;
            }
        }
    } else if (facts & F_META) {
        if (visit_meta(s, node) < 0) return -2;
    } else if (facts & F_HTML) {
        attr_ref a[2];
        read_attrs(node, HTML_ATTRS, a, 2);
        Py_CLEAR(s->lang);
        s->lang = attr_object(attr_truthy(&a[0]) ? &a[0] : &a[1]);
        if (s->lang == NULL) return -2;
    }
    if (s->title == NULL && name_is(raw, len, "title")) s->title = node;
    if (ivec_push(&s->signals, signal) < 0 || ivec_push(&s->in_link, link_here) < 0) return -2;
    return i;
}

static double monotonic_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);  /* the clock of Python's time.monotonic() */
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

/* Where the walk stops: at max_elements elements, or at the deadline (time.monotonic(); checked
 * every 4096 nodes). 0 turns a limit off. tree.read_tree stops at the same places. (Depth needs
 * no limit here: the walk costs the same at any depth; the pre-scan bounds it for lexbor.) */
typedef struct { long max_elements; double deadline; } walk_limits;

/* The walk of selectolax's traverse(include_text=True) from the root element: every node once,
 * in document order. Returns 0, or -1 with an exception set. */
static int walk_tree(walk_state *s, void *root, const walk_limits *limits) {
    void **stack_node = NULL;
    Py_ssize_t *stack_index = NULL;
    Py_ssize_t depth = 0, cap = 0;
    void *node = root;
    int result = 0;
    unsigned long visited = 0;
    for (;;) {
        if (limits->deadline > 0 && (++visited & 4095) == 0 &&
            monotonic_now() > limits->deadline) {
            s->truncated |= PRESCAN_TIME;
            break;
        }
        Py_ssize_t parent = depth > 0 ? stack_index[depth - 1] : -1;
        Py_ssize_t index = -1;
        uintptr_t tid = lx.tag_id(node);
        if (tid == TAG_TEXT && lx.node_type(node) == NODE_TEXT) {
            if (visit_text(s, node, parent) < 0) { result = -1; break; }
        } else if (tid != TAG_DOCUMENT && tid != TAG_COMMENT && tid != TAG_DOCTYPE &&
                   lx.node_type(node) == NODE_ELEMENT) {
            if (limits->max_elements > 0 &&
                       PyList_GET_SIZE(s->tags) >= limits->max_elements) {
                s->truncated |= PRESCAN_ELEMENTS;
                break;
            } else {
                index = visit_element(s, node, parent);
                if (index == -2) { result = -1; break; }
            }
        }
        void *child = lx.first_child(node);
        if (child != NULL) {
            if (depth == cap) {
                cap = cap ? cap * 2 : 64;
                void **sn = PyMem_Realloc(stack_node, (size_t)cap * sizeof(void *));
                if (sn == NULL) { PyErr_NoMemory(); result = -1; break; }
                stack_node = sn;
                Py_ssize_t *si = PyMem_Realloc(stack_index, (size_t)cap * sizeof(Py_ssize_t));
                if (si == NULL) { PyErr_NoMemory(); result = -1; break; }
                stack_index = si;
            }
            stack_node[depth] = node;
            stack_index[depth] = index;
            depth++;
            node = child;
            continue;
        }
        while (depth > 0 && lx.next(node) == NULL) node = stack_node[--depth];
        if (depth == 0) break;
        node = lx.next(node);
    }
    PyMem_Free(stack_node);
    PyMem_Free(stack_index);
    return result;
}

/* The text of an element as selectolax's text() gives it: its descendant text nodes, joined. */
static PyObject *subtree_text(void *element) {
    char *buf = NULL;
    size_t len = 0, cap = 0;
    void *node = lx.first_child(element);
    while (node != NULL) {
        if (lx.tag_id(node) == TAG_TEXT) {
            const lexbor_str *str = (const lexbor_str *)((const char *)node + text_offset);
            if (str->data != NULL && str->length) {
                if (len + str->length > cap) {
                    cap = (len + str->length) * 2;
                    char *b = PyMem_Realloc(buf, cap);
                    if (b == NULL) { PyMem_Free(buf); return PyErr_NoMemory(); }
                    buf = b;
                }
                memcpy(buf + len, str->data, str->length);
                len += str->length;
            }
        }
        void *child = lx.first_child(node);
        if (child != NULL) { node = child; continue; }
        while (node != element && lx.next(node) == NULL) node = lx.parent(node);
        node = node == element ? NULL : lx.next(node);
    }
    PyObject *text = PyUnicode_DecodeUTF8(buf ? buf : "", (Py_ssize_t)len, "replace");
    PyMem_Free(buf);
    return text;
}

static PyObject *build_result(walk_state *s) {
    Py_ssize_t n = PyList_GET_SIZE(s->tags);
    /* subtree sums and ends, bottom-up: descendants of i are i+1 .. end[i] */
    Py_ssize_t *ends = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    if (ends == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) ends[i] = i;
    for (Py_ssize_t i = n - 1; i > 0; i--) {
        Py_ssize_t p = s->parents.v[i];
        if (p >= 0) {
            if (ends[i] > ends[p]) ends[p] = ends[i];
            s->total.v[p] += s->total.v[i];
            s->linked.v[p] += s->linked.v[i];
            s->commas.v[p] += s->commas.v[i];
        }
    }
    ivec end_vec = {ends, n, n};
    PyObject *title = s->title != NULL ? subtree_text(s->title) : Py_NewRef(Py_None);
    if (title == NULL) { PyMem_Free(ends); return NULL; }
    PyObject *spans = PyDict_New();
    if (spans == NULL) { PyMem_Free(ends); Py_DECREF(title); return NULL; }
    for (Py_ssize_t k = 0; k < s->links.n; k++) {
        Py_ssize_t e = s->links.v[k].element;
        if (e < 0 || e >= n || s->span_count.v[e] == 0) continue;
        PyObject *key = PyLong_FromSsize_t(e);
        PyObject *span = Py_BuildValue("(nn)", s->span_first.v[e], s->span_count.v[e]);
        int failed = key == NULL || span == NULL || PyDict_SetItem(spans, key, span) < 0;
        Py_XDECREF(key);
        Py_XDECREF(span);
        if (failed) { Py_DECREF(spans); PyMem_Free(ends); Py_DECREF(title); return NULL; }
    }
    PyObject *links = PyList_New(s->links.n);
    if (links == NULL) { Py_DECREF(spans); PyMem_Free(ends); Py_DECREF(title); return NULL; }
    for (Py_ssize_t k = 0; k < s->links.n; k++) {
        raw_link *l = &s->links.v[k];
        PyObject *item = Py_BuildValue("(OnOOO)", l->kind, l->element, l->href,
                                       l->rel ? l->rel : Py_None, l->alt ? l->alt : Py_None);
        if (item == NULL) {
            Py_DECREF(links);
            Py_DECREF(spans);
            PyMem_Free(ends);
            Py_DECREF(title);
            return NULL;
        }
        PyList_SET_ITEM(links, k, item);
    }
    PyObject *result = Py_BuildValue(
        "{s:O,s:N,s:N,s:O,s:N,s:N,s:N,s:O,s:O,s:O,s:N,s:N,s:N,s:N,s:N,s:n,s:N,s:N,s:I}",
        "tags", s->tags, "parents", ivec_list(&s->parents), "signals", ivec_list(&s->signals),
        "texts", s->texts, "text_owner", ivec_list(&s->text_owner),
        "text_link", ivec_list(&s->text_link), "links", links,
        "base_href", s->base_href ? s->base_href : Py_None, "robots", s->robots,
        "lang", s->lang ? s->lang : Py_None, "ends", ivec_list(&end_vec),
        "total", ivec_list(&s->total), "linked", ivec_list(&s->linked),
        "commas", ivec_list(&s->commas), "block", ivec_list(&s->block), "words", s->words,
        "title", title, "spans", spans, "truncated", s->truncated);
    PyMem_Free(ends);
    return result;
}

/* Bytes fed to lexbor at a time: between two chunks the deadline is checked. */
#define PARSE_CHUNK 16384

/* Parse html[0:size] into document in chunks, stopping at the deadline (0: none). Returns
 * lexbor's status; sets PRESCAN_TIME in *truncated when it stopped early. */
static unsigned int parse_in_chunks(void *document, const char *html, size_t size,
                                    double deadline, unsigned *truncated) {
    unsigned int status = lx.parse_chunk_begin(document);
    for (size_t at = 0; status == 0 && at < size; at += PARSE_CHUNK) {
        if (at > 0 && deadline > 0 && monotonic_now() > deadline) {
            *truncated |= PRESCAN_TIME;
            break;
        }
        size_t len = size - at < PARSE_CHUNK ? size - at : PARSE_CHUNK;
        status = lx.parse_chunk(document, (const lxb_char_t *)html + at, len);
    }
    unsigned int ended = lx.parse_chunk_end(document);
    return status ? status : ended;
}

/* walk(text, max_attributes=0, max_depth=0, max_elements=0, deadline=0.0) -> dict */
static PyObject *walk(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *text;
    long max_attrs = 0, max_depth = 0, max_elements = 0;
    double deadline = 0;
    if (!PyArg_ParseTuple(args, "O|llld", &text, &max_attrs, &max_depth, &max_elements,
                          &deadline))
        return NULL;
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "linkscope's lexbor walk is not bound");
        return NULL;
    }
    Py_ssize_t size = 0;
    PyObject *encoded = NULL;
    const char *html;
    if (PyBytes_Check(text)) {  /* UTF-8 already (see charset.utf8_body) */
        html = PyBytes_AS_STRING(text);
        size = PyBytes_GET_SIZE(text);
    } else if (PyUnicode_Check(text)) {
        html = PyUnicode_AsUTF8AndSize(text, &size);
        if (html == NULL) {  /* lone surrogates: dropped, as selectolax's encode does */
            PyErr_Clear();
            encoded = PyUnicode_AsEncodedString(text, "utf-8", "ignore");
            if (encoded == NULL) return NULL;
            html = PyBytes_AS_STRING(encoded);
            size = PyBytes_GET_SIZE(encoded);
        }
    } else {
        PyErr_SetString(PyExc_TypeError, "walk() takes a str or UTF-8 bytes");
        return NULL;
    }
    char *bounded = NULL;
    size_t bounded_len = 0;
    unsigned truncated = 0;
    int scanned;
    Py_BEGIN_ALLOW_THREADS
    scanned = linkscope_prescan(html, (size_t)size, max_attrs, max_depth, max_elements,
                                &bounded, &bounded_len, &truncated);
    Py_END_ALLOW_THREADS
    if (scanned < 0) { Py_XDECREF(encoded); return PyErr_NoMemory(); }
    if (bounded != NULL) {  /* something was cut: parse the rest */
        html = bounded;
        size = (Py_ssize_t)bounded_len;
    }
    void *document = lx.document_create();
    if (document == NULL) { free(bounded); Py_XDECREF(encoded); return PyErr_NoMemory(); }
    lx.dom_opt_set(document, 0);
    lx.scripting_set(document, false);
    unsigned int status;
    Py_BEGIN_ALLOW_THREADS
    status = parse_in_chunks(document, html, (size_t)size, deadline, &truncated);
    Py_END_ALLOW_THREADS
    free(bounded);
    Py_XDECREF(encoded);
    if (status != 0) {
        lx.document_destroy(document);
        PyErr_SetString(PyExc_ValueError, "lexbor could not parse the page");
        return NULL;
    }
    walk_state s;
    memset(&s, 0, sizeof s);
    s.truncated = truncated;
    walk_limits limits = {max_elements, deadline};
    s.tags = PyList_New(0);
    s.texts = PyList_New(0);
    s.robots = PyList_New(0);
    PyObject *result = NULL;
    if (s.tags && s.texts && s.robots) {
        void *root = lx.document_root(document);
        if (root == NULL || walk_tree(&s, root, &limits) == 0) result = build_result(&s);
    }
    release_state(&s);
    lx.document_destroy(document);
    return result;
}

/* ---- anchor and context of a link, as page.py's _collapse and _context make them ---- */

typedef struct { Py_UCS4 *v; Py_ssize_t n, cap; } ubuf;

static int ubuf_put(ubuf *b, Py_UCS4 ch) {
    if (b->n == b->cap) {
        Py_ssize_t cap = b->cap ? b->cap * 2 : 256;
        Py_UCS4 *v = PyMem_Realloc(b->v, (size_t)cap * sizeof(Py_UCS4));
        if (v == NULL) { PyErr_NoMemory(); return -1; }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = ch;
    return 0;
}

/* The words of texts[start:stop] joined by single spaces, as " ".join(sep.join(pieces).split())
 * with sep "" (words may run across pieces) or " " (they may not). */
static int collapse_pieces(PyObject *texts, Py_ssize_t start, Py_ssize_t stop, bool separate,
                           ubuf *out) {
    bool pending_space = false, in_word = false;
    out->n = 0;
    for (Py_ssize_t k = start; k < stop; k++) {
        PyObject *text = PyList_GET_ITEM(texts, k);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts must hold str");
            return -1;
        }
        if (separate) in_word = false;
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (Py_UNICODE_ISSPACE(ch)) {
                in_word = false;
                continue;
            }
            if (!in_word) {
                if (out->n > 0) pending_space = true;
                in_word = true;
            }
            if (pending_space) {
                if (ubuf_put(out, ' ') < 0) return -1;
                pending_space = false;
            }
            if (ubuf_put(out, ch) < 0) return -1;
        }
    }
    return 0;
}

static PyObject *ubuf_str(const ubuf *b, Py_ssize_t start, Py_ssize_t stop) {
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b->v + start, stop - start);
}

static int ubuf_append(ubuf *b, const Py_UCS4 *chars, Py_ssize_t n) {
    for (Py_ssize_t k = 0; k < n; k++)
        if (ubuf_put(b, chars[k]) < 0) return -1;
    return 0;
}

/* link_texts(texts, first, count, anchor_limit, context_limit) -> (anchor, context)
 * Buffers are kept between calls: every call runs with the GIL held. */
static ubuf anchor_buf, left_buf, right_buf, context_buf;

static PyObject *link_texts(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *texts;
    Py_ssize_t first, count, anchor_limit, context_limit;
    if (!PyArg_ParseTuple(args, "O!nnnn", &PyList_Type, &texts, &first, &count, &anchor_limit,
                          &context_limit))
        return NULL;
    Py_ssize_t size = PyList_GET_SIZE(texts);
    if (first < 0 || count < 0 || anchor_limit < 0 || context_limit < 0 || first > size)
        return PyErr_Format(PyExc_ValueError, "bad piece range");
    Py_ssize_t end = count > size - first ? size : first + count;  /* no overflow */
    ubuf *a = &anchor_buf, *l = &left_buf, *r = &right_buf, *c = &context_buf;
    if (collapse_pieces(texts, first, end, false, a) < 0 ||
        collapse_pieces(texts, first >= 4 ? first - 4 : 0, first, true, l) < 0 ||
        collapse_pieces(texts, end, end + 4 < size ? end + 4 : size, true, r) < 0)
        return NULL;
    Py_ssize_t anchor_len = a->n < anchor_limit ? a->n : anchor_limit;
    /* text[-limit:], where a limit of 0 keeps everything, as it does in Python */
    Py_ssize_t left_start = context_limit && l->n > context_limit ? l->n - context_limit : 0;
    Py_ssize_t right_len = r->n < context_limit ? r->n : context_limit;
    /* " ".join(part for part in (left, anchor, right) if part) */
    const Py_UCS4 *parts[3] = {l->v + left_start, a->v, r->v};
    Py_ssize_t lengths[3] = {l->n - left_start, anchor_len, right_len};
    c->n = 0;
    for (int k = 0; k < 3; k++) {
        if (lengths[k] == 0) continue;
        if ((c->n && ubuf_put(c, ' ') < 0) || ubuf_append(c, parts[k], lengths[k]) < 0)
            return NULL;
    }
    PyObject *anchor = ubuf_str(a, 0, anchor_len);
    PyObject *context = anchor ? ubuf_str(c, 0, c->n) : NULL;
    PyObject *result = context ? PyTuple_Pack(2, anchor, context) : NULL;
    Py_XDECREF(anchor);
    Py_XDECREF(context);
    ubuf *all[] = {a, l, r, c};
    for (int k = 0; k < 4; k++) {
        if (all[k]->cap > (1 << 16)) {  /* a huge text once: do not keep its buffer */
            PyMem_Free(all[k]->v);
            *all[k] = (ubuf){0};
        }
    }
    return result;
}

/* ---- binding ---- */

static int resolve(void *lib, const char *name, void **slot) {
    *slot = dlsym(lib, name);
    if (*slot == NULL) {
        PyErr_Format(PyExc_ImportError, "lexbor symbol %s not found", name);
        return -1;
    }
    return 0;
}

/* Parse a probe page and check what this module relies on: tag ids, node types, the text
 * offset, attribute access. */
static int check_probe(void) {
    static const char probe[] = "<html><body><!--c--><p class=x>linkscope probe</p></body></html>";
    void *document = lx.document_create();
    if (document == NULL) { PyErr_NoMemory(); return -1; }
    int ok = lx.document_parse(document, (const lxb_char_t *)probe, sizeof probe - 1) == 0;
    void *html = ok ? lx.document_root(document) : NULL;
    void *body = html ? lx.next(lx.first_child(html)) : NULL;  /* head, then body */
    void *comment = body ? lx.first_child(body) : NULL;
    void *p = comment ? lx.next(comment) : NULL;
    void *text = p ? lx.first_child(p) : NULL;
    ok = text != NULL && lx.node_type(html) == NODE_ELEMENT && lx.tag_id(comment) == TAG_COMMENT
         && lx.tag_id(text) == TAG_TEXT && lx.node_type(text) == NODE_TEXT
         && lx.tag_id(document) == TAG_DOCUMENT;
    if (ok) {
        size_t len = 0;
        const lxb_char_t *name = lx.element_name(p, &len);
        ok = name != NULL && name_is(name, len, "p");
    }
    if (ok) {
        void *attr = lx.first_attribute(p);
        size_t len = 0, vlen = 0;
        const lxb_char_t *name = attr ? lx.attribute_name(attr, &len) : NULL;
        const lxb_char_t *value = attr ? lx.attribute_value(attr, &vlen) : NULL;
        ok = name && value && name_is(name, len, "class") && name_is(value, vlen, "x")
             && lx.next_attribute(attr) == NULL;
    }
    if (ok) {
        size_t len = 0;
        lxb_char_t *copy = lx.text_content(text, &len);
        const lexbor_str *str = (const lexbor_str *)((const char *)text + text_offset);
        ok = copy != NULL && str->data != NULL && str->length == len
             && memcmp(copy, str->data, len) == 0 && name_is(copy, len, "linkscope probe");
        if (copy != NULL) lx.destroy_text(document, copy);
    }
    lx.document_destroy(document);
    if (!ok) {
        PyErr_SetString(PyExc_ImportError, "lexbor does not behave as this module expects");
        return -1;
    }
    return 0;
}

static PyObject *bind(PyObject *module, PyObject *args) {
    (void)module;
    const char *path;
    PyObject *facts, *signal, *meta;
    if (!PyArg_ParseTuple(args, "sOOO", &path, &facts, &signal, &meta)) return NULL;
    bound = false;  /* until every symbol is resolved and the probe passes again */
    void *lib = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (lib == NULL) {
        PyErr_Format(PyExc_ImportError, "%s is not loaded", path);
        return NULL;
    }
    struct { const char *name; void **slot; } table[] = {
        {"lxb_html_document_create", (void **)&lx.document_create},
        {"lxb_html_document_destroy", (void **)&lx.document_destroy},
        {"lxb_html_document_parse", (void **)&lx.document_parse},
        {"lxb_html_document_parse_chunk_begin", (void **)&lx.parse_chunk_begin},
        {"lxb_html_document_parse_chunk", (void **)&lx.parse_chunk},
        {"lxb_html_document_parse_chunk_end", (void **)&lx.parse_chunk_end},
        {"lxb_html_document_dom_opt_set_noi", (void **)&lx.dom_opt_set},
        {"lxb_dom_document_scripting_set_noi", (void **)&lx.scripting_set},
        {"lxb_dom_document_root", (void **)&lx.document_root},
        {"lxb_dom_node_first_child_noi", (void **)&lx.first_child},
        {"lxb_dom_node_next_noi", (void **)&lx.next},
        {"lxb_dom_node_parent_noi", (void **)&lx.parent},
        {"lxb_dom_node_tag_id_noi", (void **)&lx.tag_id},
        {"lxb_dom_node_type_noi", (void **)&lx.node_type},
        {"lxb_dom_element_qualified_name", (void **)&lx.element_name},
        {"lxb_dom_element_first_attribute_noi", (void **)&lx.first_attribute},
        {"lxb_dom_element_next_attribute_noi", (void **)&lx.next_attribute},
        {"lxb_dom_attr_qualified_name", (void **)&lx.attribute_name},
        {"lxb_dom_attr_value_noi", (void **)&lx.attribute_value},
        {"lxb_dom_node_text_content", (void **)&lx.text_content},
        {"lxb_dom_document_destroy_text_noi", (void **)&lx.destroy_text},
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        if (resolve(lib, table[k].name, table[k].slot) < 0) {
            dlclose(lib);
            return NULL;
        }
    }
    /* the library stays loaded by selectolax; our reference keeps it so */
    if (check_probe() < 0) return NULL;
    Py_XSETREF(tag_facts_fn, Py_NewRef(facts));
    Py_XSETREF(own_signal_fn, Py_NewRef(signal));
    Py_XSETREF(meta_fact_fn, Py_NewRef(meta));
    bound = true;
    Py_RETURN_NONE;
}

/* ---- resolution of plain hrefs through ada's C API ---- */

typedef struct { const char *data; size_t length; } ada_string;
static struct {
    void *(*parse_with_base)(const char *, size_t, const char *, size_t);
    bool (*is_valid)(void *);
    ada_string (*get_href)(void *);
    void (*free)(void *);
} ada;
static bool ada_bound = false;

/* Whether a cleaned href's scheme, if any, is http or https (as urls.href_scheme reads it). */
static bool web_or_relative(const char *href, Py_ssize_t n) {
    Py_ssize_t k = 0;
    if (n == 0 || !((href[0] | 0x20) >= 'a' && (href[0] | 0x20) <= 'z')) return true;
    while (k < n) {
        char c = href[k];
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
            c == '.' || c == '-') {
            k++;
            continue;
        }
        break;
    }
    if (k == n || href[k] != ':') return true;  /* no scheme: relative */
    if (k == 4) return strncasecmp(href, "http", 4) == 0;
    if (k == 5) return strncasecmp(href, "https", 5) == 0;
    return false;
}

/* resolve_plain(hrefs, base) -> list: for each href, the target that page._Resolver.target
 * would give, when the href is plain (printable ASCII, no whitespace, not a fragment, an http(s)
 * or relative reference) and resolves to an http(s) URL with a host and no credentials; None
 * for every other href, which the caller resolves in Python. */
static PyObject *resolve_plain(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *hrefs, *base_obj;
    if (!PyArg_ParseTuple(args, "O!U", &PyList_Type, &hrefs, &base_obj)) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(hrefs);
    PyObject *result = PyList_New(count);
    if (result == NULL) return NULL;
    Py_ssize_t base_len = 0;
    const char *base = ada_bound && PyUnicode_IS_ASCII(base_obj)
                           ? PyUnicode_AsUTF8AndSize(base_obj, &base_len) : NULL;
    if (base == NULL && PyErr_Occurred()) { Py_DECREF(result); return NULL; }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *item = PyList_GET_ITEM(hrefs, i), *target = NULL;
        if (base != NULL && PyUnicode_Check(item) && PyUnicode_IS_ASCII(item)) {
            Py_ssize_t n = PyUnicode_GET_LENGTH(item);
            const char *href = (const char *)PyUnicode_DATA(item);
            bool plain = n > 0 && href[0] != '#';
            for (Py_ssize_t k = 0; k < n && plain; k++) plain = href[k] > 0x20 && href[k] < 0x7f;
            if (plain && web_or_relative(href, n)) {
                void *url = ada.parse_with_base(href, (size_t)n, base, (size_t)base_len);
                if (url != NULL) {
                    if (ada.is_valid(url)) {
                        ada_string full = ada.get_href(url);
                        size_t start = 0, len = full.length;
                        if (len >= 7 && memcmp(full.data, "http://", 7) == 0) start = 7;
                        else if (len >= 8 && memcmp(full.data, "https://", 8) == 0) start = 8;
                        const char *hash = start ? memchr(full.data, '#', len) : NULL;
                        if (hash != NULL) len = (size_t)(hash - full.data);
                        const char *slash = start ? memchr(full.data + start, '/', len - start)
                                                  : NULL;
                        size_t host_end = slash ? (size_t)(slash - full.data) : len;
                        if (start && host_end > start &&
                            memchr(full.data + start, '@', host_end - start) == NULL)
                            target = PyUnicode_DecodeASCII(full.data, (Py_ssize_t)len, "strict");
                    }
                    ada.free(url);
                }
                if (target == NULL && PyErr_Occurred()) { Py_DECREF(result); return NULL; }
            }
        }
        PyList_SET_ITEM(result, i, target ? target : Py_NewRef(Py_None));
    }
    return result;
}

static PyObject *bind_ada(PyObject *module, PyObject *args) {
    (void)module;
    const char *path;
    if (!PyArg_ParseTuple(args, "s", &path)) return NULL;
    ada_bound = false;  /* until every symbol is resolved again */
    void *lib = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (lib == NULL) return PyErr_Format(PyExc_ImportError, "%s is not loaded", path);
    if (resolve(lib, "ada_parse_with_base", (void **)&ada.parse_with_base) < 0 ||
        resolve(lib, "ada_is_valid", (void **)&ada.is_valid) < 0 ||
        resolve(lib, "ada_get_href", (void **)&ada.get_href) < 0 ||
        resolve(lib, "ada_free", (void **)&ada.free) < 0)
        return NULL;
    ada_bound = true;
    Py_RETURN_NONE;
}

/* ---- UTF-8 validation, as strict as Python's decoder ---- */

/* is_utf8(data) -> bool: whether data.decode("utf-8") would succeed, without making the str. */
static PyObject *is_utf8(PyObject *module, PyObject *data) {
    (void)module;
    if (!PyBytes_Check(data)) {
        PyErr_SetString(PyExc_TypeError, "is_utf8() takes bytes");
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(data);
    const unsigned char *end = p + PyBytes_GET_SIZE(data);
    while (p < end) {
        if (end - p >= 8) {  /* eight ASCII bytes at a time */
            uint64_t word;
            memcpy(&word, p, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                p += 8;
                continue;
            }
        }
        unsigned char c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        Py_ssize_t need;
        unsigned char low = 0x80, high = 0xBF;  /* bounds of the second byte */
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c == 0xE0) { need = 2; low = 0xA0; }
        else if (c >= 0xE1 && c <= 0xEC) need = 2;
        else if (c == 0xED) { need = 2; high = 0x9F; }  /* no surrogates */
        else if (c >= 0xEE && c <= 0xEF) need = 2;
        else if (c == 0xF0) { need = 3; low = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) need = 3;
        else if (c == 0xF4) { need = 3; high = 0x8F; }  /* up to U+10FFFF */
        else Py_RETURN_FALSE;
        if (end - p <= need || p[1] < low || p[1] > high) Py_RETURN_FALSE;
        for (Py_ssize_t k = 2; k <= need; k++)
            if (p[k] < 0x80 || p[k] > 0xBF) Py_RETURN_FALSE;
        p += need + 1;
    }
    Py_RETURN_TRUE;
}

/* ---- records built without their dataclass __init__ ---- */

/* A frozen, slotted dataclass's __init__ sets each field through object.__setattr__: most of
 * the cost of a Link. new_record stores the fields straight into their slots, which is what
 * that __init__ ends up doing; bind_record accepts only a type whose fields are all plain object
 * slots, and fastwalk checks the result against the real constructor before using it. */
#define MAX_FIELDS 16
static PyTypeObject *record_type = NULL;
static Py_ssize_t record_offsets[MAX_FIELDS];
static Py_ssize_t record_fields = 0;

static PyObject *bind_record(PyObject *module, PyObject *args) {
    (void)module;
    PyTypeObject *type;
    PyObject *names;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &type, &PyTuple_Type, &names)) return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    if (n == 0 || n > MAX_FIELDS || type->tp_dictoffset != 0 || type->tp_itemsize != 0 ||
        type->tp_dict == NULL)
        return PyErr_Format(PyExc_ImportError, "%s is not a slotted record", type->tp_name);
    Py_ssize_t offsets[MAX_FIELDS];
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *descr = PyDict_GetItemWithError(type->tp_dict, PyTuple_GET_ITEM(names, k));
        if (descr == NULL || !Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ImportError, "%s has a field that is not a slot",
                             type->tp_name);
            return NULL;
        }
        PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
        if (member->type != T_OBJECT_EX || (member->flags & READONLY))
            return PyErr_Format(PyExc_ImportError, "%s has a slot of another kind",
                                type->tp_name);
        offsets[k] = member->offset;
    }
    memcpy(record_offsets, offsets, sizeof offsets);
    Py_XSETREF(record_type, (PyTypeObject *)Py_NewRef(type));
    record_fields = n;
    Py_RETURN_NONE;
}

static PyObject *new_record(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (record_type == NULL || nargs != record_fields)
        return PyErr_Format(PyExc_TypeError, "new_record takes the %zd fields of the bound type",
                            record_fields);
    PyObject *obj = record_type->tp_alloc(record_type, 0);
    if (obj == NULL) return NULL;
    for (Py_ssize_t k = 0; k < nargs; k++)
        *(PyObject **)((char *)obj + record_offsets[k]) = Py_NewRef(args[k]);
    return obj;
}

/* prescan(data, max_attributes, max_depth, max_elements) -> (bytes or None, reasons) */
static PyObject *prescan(PyObject *module, PyObject *args) {
    (void)module;
    const char *data;
    Py_ssize_t size;
    long max_attrs, max_depth, max_elements;
    if (!PyArg_ParseTuple(args, "y#lll", &data, &size, &max_attrs, &max_depth, &max_elements))
        return NULL;
    char *out = NULL;
    size_t out_len = 0;
    unsigned reasons = 0;
    if (linkscope_prescan(data, (size_t)size, max_attrs, max_depth, max_elements, &out,
                          &out_len, &reasons) < 0)
        return PyErr_NoMemory();
    PyObject *bytes = out ? PyBytes_FromStringAndSize(out, (Py_ssize_t)out_len)
                          : Py_NewRef(Py_None);
    free(out);
    return bytes ? Py_BuildValue("(NI)", bytes, reasons) : NULL;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS,
     "bind(path, tag_facts, own_signal, meta_fact): find lexbor in selectolax's loaded module."},
    {"bind_record", bind_record, METH_VARARGS, "bind_record(type, field_names)."},
    {"new_record", (PyCFunction)(void (*)(void))new_record, METH_FASTCALL,
     "new_record(*fields): an instance of the bound record type."},
    {"is_utf8", is_utf8, METH_O, "is_utf8(data) -> whether data.decode('utf-8') succeeds."},
    {"walk", walk, METH_VARARGS,
     "walk(text, max_attributes=0, max_depth=0, max_elements=0, deadline=0.0) -> dict: parse "
     "a page within the limits and return its tree's facts."},
    {"prescan", prescan, METH_VARARGS,
     "prescan(data, max_attributes, max_depth, max_elements) -> (bytes or None, reasons)."},
    {"bind_ada", bind_ada, METH_VARARGS, "bind_ada(path): find ada's C API in ada_url's module."},
    {"resolve_plain", resolve_plain, METH_VARARGS,
     "resolve_plain(hrefs, base) -> list of targets, None where Python must decide."},
    {"link_texts", link_texts, METH_VARARGS,
     "link_texts(texts, first, count, anchor_limit, context_limit) -> (anchor, context)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_walk", "The tree pass of extraction over lexbor, in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__walk(void) {
    s_a = PyUnicode_InternFromString("a");
    s_area = PyUnicode_InternFromString("area");
    s_link = PyUnicode_InternFromString("link");
    s_iframe = PyUnicode_InternFromString("iframe");
    s_form = PyUnicode_InternFromString("form");
    s_refresh = PyUnicode_InternFromString("refresh");
    s_robots = PyUnicode_InternFromString("robots");
    s_empty = PyUnicode_InternFromString("");
    if (!s_a || !s_area || !s_link || !s_iframe || !s_form || !s_refresh ||
        !s_robots || !s_empty)
        return NULL;
    return PyModule_Create(&module_def);
}

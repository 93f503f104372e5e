"""The `portal` template: a page laid out as sites of about 2005-2012 laid them out, in tables.

    <table> logo | tagline </table>                                  header
    <table>
      <tr> <td> menu links, one a line (<br>) </td>                   nav
           <td> headline, paragraphs,                                 content
                a "Related stories" box of links,                     sidebar
                the comments as a table, one row a comment with its   comment
                author and date over its text </td>
           <td> side tables of links ("sidebox"), one per widget </td>  sidebar
      <tr> <td colspan=3> copyright and links </td>                   footer
    </table>

The menu cell and the footer row carry no telling names: only their place and their links say
what they are. The renderer records each link's placement as it writes it (render._Writer.a).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from linkscope.samples.model import LinkSpec

if TYPE_CHECKING:  # the writer is render's; render imports this module
    from linkscope.samples.render import _Writer

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
RELATED_MIN = 3  # links a "Related stories" box needs (else its widget stays at the side)


def render_portal(w: _Writer) -> str:
    """The body of one page in the portal template."""
    site, page = w.site, w.page
    logo = w.a(LinkSpec(site.home, site.brand, kind="image"), "header")
    header = ('<table width="100%" cellpadding="4" cellspacing="0"><tr>'
              f'<td width="200">{logo}</td><td><font size="2">Notes on '
              f"{html.escape(site.topic)}</font></td></tr></table>\n")
    menu = "".join(f"&raquo; {w.a(spec, 'nav')}<br>\n" for spec in site.nav)
    # the links are written in document order: the truth numbers them as they come
    paragraphs = "\n".join(f"<p>{w.inline(para, 'content')}</p>" for para in page.paragraphs)
    widgets = list(site.sidebar + page.extra_widgets)
    related = ""
    if widgets and len(widgets[0].links) >= RELATED_MIN:
        first = widgets.pop(0)
        items = "".join(f"&middot; {w.a(spec, 'sidebar')}<br>" for spec in first.links)
        related = ('<table width="100%" cellpadding="2"><tr><td bgcolor="#eeeeee"><b>Related '
                   f"stories</b></td></tr><tr><td>{items}</td></tr></table>\n")
    content = (f"<h1><font size=\"4\">{html.escape(page.title)}</font></h1>\n{paragraphs}\n"
               f"{related}{_comments(w)}")
    side = "".join(
        '<table class="sidebox" width="100%" cellpadding="2"><tr><th>'
        f"{html.escape(widget.title)}</th></tr><tr><td>"
        + "".join(f"{w.a(spec, 'sidebar')}<br>" for spec in widget.links)
        + "</td></tr></table>\n" for widget in widgets)
    links = " | ".join(w.a(spec, "footer") for spec in site.footer)
    return (f'{header}<table width="100%" cellpadding="6" cellspacing="0">\n'
            f'<tr><td width="150" valign="top">\n{menu}</td>\n'
            f'<td valign="top">\n{content}</td>\n'
            f'<td width="180" valign="top">\n{side}</td></tr>\n'
            f'<tr><td colspan="3" align="center"><font size="1">&copy; 2012 '
            f"{html.escape(site.brand)}. {links}</font></td></tr>\n</table>\n")


def _comments(w: _Writer) -> str:
    """The comments as blog software of the time wrote them: a table with a row a comment,
    the author (linked to their site, or not) and the date over the text."""
    if not w.page.comments:
        return ""
    rows = []
    for k, comment in enumerate(w.page.comments):
        who = (w.a(comment.author_link, "comment") if comment.author_link
               else html.escape(comment.author))
        date = (f"{MONTHS[(k * 5) % 12]} {1 + (k * 11) % 28}, 2012 "
                f"{8 + k % 12}:{(k * 17) % 60:02d}")
        rows.append(f'<tr><td class="comment-body"><b>{who}</b> &middot; {date}<br>'
                    f"{w.inline(comment.text, 'comment')}</td></tr>")
    count = len(w.page.comments)
    return (f'<table class="comments" width="100%" cellpadding="3"><tr><td><b>{count} '
            f'comment{"s" if count > 1 else ""}</b></td></tr>{"".join(rows)}</table>\n')

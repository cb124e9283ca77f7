/**
 * A Markdown plugin for articles and labs: a link to another host becomes an
 * address in code. GFM turns a bare http://router.lan/ in the text into a link
 * by itself; the site never sends a reader's browser outside itself, so a
 * room without internet meets no dead link, and the address stays readable
 * and copyable. Sources say where they live online the same way (SourceEntry).
 */
import { defineMdastPlugin } from 'satteri';

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

export default defineMdastPlugin({
  name: 'no-outside-links',
  link(node, ctx) {
    if (!ABSOLUTE.test(node.url)) return;
    const text = ctx.textContent(node);
    // A bare address keeps its text as code; a worded link keeps its words.
    ctx.replaceNode(node, text === node.url || text === '' ? { type: 'inlineCode', value: node.url } : node.children);
  },
});
